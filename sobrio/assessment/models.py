import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sobrio.core.models import InstitutionOwned, Membership, Unit
from sobrio.referentials import scales
from sobrio.referentials.models import Item, Referential


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("En cours")
    CLOSED = "closed", _("Clôturée")


class Campaign(InstitutionOwned):
    """A self-assessment of the institution (or one digital service) against one version."""

    referential = models.ForeignKey(
        Referential,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("référentiel"),
    )
    name = models.CharField(_("nom"), max_length=200)
    scope = models.CharField(
        _("périmètre"),
        max_length=200,
        blank=True,
        help_text=_("Vide : tout l'établissement. Sinon le service numérique évalué (ENT, LMS…)."),
    )
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    working_group = models.ManyToManyField(
        Membership, blank=True, related_name="+", verbose_name=_("groupe de travail")
    )
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    # At closing: scores, counts and every answer with its item as it was, for good.
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    public_token = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    declaration_published = models.BooleanField(_("déclaration publiée"), default=False)
    # What the public sees: the campaign as it was when the officer published it, never
    # the answers and comments being written since.
    declaration_snapshot = models.JSONField(default=dict, blank=True, editable=False)
    declaration_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("campagne d'autoévaluation")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return self.name

    @property
    def is_closed(self):
        return self.status == CampaignStatus.CLOSED

    @property
    def scale(self):
        return self.referential.scale

    @property
    def is_rgesn(self):
        return self.referential.scale == scales.RGESN

    @property
    def scope_label(self):
        return self.scope or _("Tout l'établissement")


class Answer(InstitutionOwned):
    """The campaign's answer for one item: status, comment, indicators, who and when."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("statut"), max_length=30, default=scales.DEFAULT_STATUS)
    comment = models.TextField(_("commentaire"), blank=True)
    indicator_values = models.JSONField(_("valeurs des indicateurs"), default=dict, blank=True)
    assignee = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("membre chargé"),
    )
    assigned_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unité chargée"),
    )
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("réponse")
        ordering = ["campaign", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "item"], name="answer_item_unique")
        ]

    def __str__(self):
        return f"{self.item.code} ({self.campaign})"

    @property
    def status_info(self):
        return scales.status(self.campaign.referential.scale, self.status)

    @property
    def status_label(self):
        return self.status_info.label

    @property
    def is_done(self):
        return self.status_info.done


class Evidence(InstitutionOwned):
    """A link or a file that supports an answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    label = models.CharField(_("intitulé"), max_length=200, blank=True)
    url = models.URLField(_("lien"), max_length=500, blank=True)
    file = models.FileField(_("fichier"), upload_to="evidence/%Y/", blank=True)
    size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("preuve")
        ordering = ["pk"]

    def __str__(self):
        return self.label or self.url or self.file.name
