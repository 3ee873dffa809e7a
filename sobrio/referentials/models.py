from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sobrio.core.models import Institution
from sobrio.referentials import scales
from sobrio.referentials.importers import natural_key


class ScaleChoice(models.TextChoices):
    MATURITY = scales.MATURITY, _("Maturité (à évaluer … réalisé)")
    RGESN = scales.RGESN, _("RGESN (À évaluer, En cours, Validé, Non validé, Non applicable)")


class ReferentialQuerySet(models.QuerySet):
    def for_institution(self, institution):
        """Shared referentials and the institution's own; never another institution's."""
        if institution is None:
            return self.none()
        return self.filter(Q(institution__isnull=True) | Q(institution=institution))


class Referential(models.Model):
    """One version of a referential. A newer version is a new row: campaigns keep theirs."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vide : partagé par tous les établissements de l'instance."),
    )
    key = models.SlugField(
        _("clé"), max_length=80, help_text=_("Identique d'une version à l'autre.")
    )
    name = models.CharField(_("nom"), max_length=200)
    version = models.CharField(_("version"), max_length=60, blank=True)
    publisher = models.CharField(_("éditeur"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=120, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    published_on = models.DateField(_("date de publication"), null=True, blank=True)
    scale = models.CharField(_("échelle de réponse"), max_length=20, choices=ScaleChoice.choices)
    source_format = models.CharField(_("format importé"), max_length=30)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_versions"
    )
    imported_at = models.DateTimeField(_("importé le"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ReferentialQuerySet.as_manager()

    class Meta:
        verbose_name = _("référentiel")
        ordering = ["name", "-imported_at"]

    def __str__(self):
        return f"{self.name} {self.version}".strip()

    @property
    def is_shared(self):
        return self.institution_id is None

    @property
    def statuses(self):
        return scales.statuses(self.scale)

    def get_additional_data(self):
        return {"institution_id": self.institution_id}


class Family(models.Model):
    referential = models.ForeignKey(Referential, on_delete=models.CASCADE, related_name="families")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("famille")
        ordering = ["referential", "position"]
        constraints = [
            models.UniqueConstraint(fields=["referential", "code"], name="family_code_unique")
        ]

    def __str__(self):
        return self.name


class Item(models.Model):
    """A practice (guide) or criterion (RGESN): what a campaign answers."""

    referential = models.ForeignKey(Referential, on_delete=models.CASCADE, related_name="items")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=20)
    position = models.PositiveIntegerField(default=0, help_text=_("Ordre naturel des codes."))
    title = models.TextField(_("intitulé"))
    body = models.TextField(_("texte"), blank=True, help_text=_("Markdown."))
    priority = models.CharField(_("priorité"), max_length=40, blank=True)
    priority_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    difficulty = models.CharField(_("difficulté"), max_length=40, blank=True)
    roles = models.JSONField(_("rôles concernés"), default=list, blank=True)
    indicators = models.JSONField(_("indicateurs"), default=list, blank=True)
    weight = models.DecimalField(_("poids"), max_digits=6, decimal_places=3, default=1)
    url = models.URLField(_("lien"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("item")
        ordering = ["referential", "position"]
        constraints = [
            models.UniqueConstraint(fields=["referential", "code"], name="item_code_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def sort_key(self):
        return natural_key(self.code)
