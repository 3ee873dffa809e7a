"""The Digital Cleanup Day (Agir): campaigns, their teams and pledges.

People are core.User rows reached through their membership of the institution (a
participant, or a member of the team taking part): identity stays in core.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sobrio.core.models import InstitutionOwned


class CleanupCampaign(InstitutionOwned):
    name = models.CharField(_("nom"), max_length=200)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    description = models.TextField(_("présentation (markdown)"), blank=True)
    anonymous = models.BooleanField(
        _("déclarations sans connexion"),
        default=False,
        help_text=_(
            "Anonymes, ouvertes à tous : elles comptent une fois acceptées par l'équipe. "
            "Sinon, seules les personnes connectées à l'espace « Participer » déclarent."
        ),
    )
    moderate_all = models.BooleanField(
        _("modérer aussi les déclarations des personnes connectées"), default=False
    )
    goal_participants = models.PositiveIntegerField(_("objectif : participant·es"), null=True,
                                                    blank=True)  # fmt: skip
    goal_gb = models.PositiveIntegerField(_("objectif : Go supprimés"), null=True, blank=True)
    goal_devices = models.PositiveIntegerField(_("objectif : appareils collectés"), null=True,
                                               blank=True)  # fmt: skip
    substitution_percent = models.PositiveSmallIntegerField(
        _("appareils réemployés qui évitent un achat neuf (%)"),
        null=True,
        blank=True,
        help_text=_(
            "Hypothèse de substitution : sans elle, aucune fabrication évitée n'est affichée."
        ),
    )
    factor_set = models.ForeignKey(
        "footprint.FactorSet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jeu de facteurs"),
        help_text=_("Vide : le jeu « Journée du nettoyage numérique » livré avec Sobrio."),
    )
    action = models.ForeignKey(
        "plan.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("action du plan réalisée"),
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("campagne de nettoyage")

    def __str__(self):
        return self.name


class TeamKind(models.TextChoices):
    UNIT = "unit", _("Service ou composante")
    LAB = "lab", _("Laboratoire")
    ASSOCIATION = "association", _("Association étudiante")
    OTHER = "other", _("Autre")


class Team(InstitutionOwned):
    campaign = models.ForeignKey(CleanupCampaign, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=12, choices=TeamKind, default=TeamKind.UNIT)
    unit = models.ForeignKey(
        "core.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unité"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("équipe")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="team_name_unique")
        ]

    def __str__(self):
        return self.name


class PledgeState(models.TextChoices):
    PENDING = "pending", _("À modérer")
    ACCEPTED = "accepted", _("Acceptée")
    REJECTED = "rejected", _("Refusée")


# What a pledge declares, field by field: the form, the totals, the CSV and the CLI read
# these lists, so that a new place or device is one line here and one column.
GB_FIELDS = ("gb_mailbox", "gb_personal_drive", "gb_shared_drive", "gb_phone", "gb_cloud")
COUNT_FIELDS = ("mails_deleted", "files_deleted")
DEVICE_KINDS = ("laptop", "smartphone", "tablet", "screen")
DEVICE_FIELDS = tuple(f"{k}_{w}" for k in DEVICE_KINDS for w in ("reuse", "recycling"))


class CleanupAction(models.TextChoices):
    NEWSLETTERS = "newsletters", _("Désabonnement de lettres d'information")
    BINS = "bins", _("Corbeilles vidées")
    ATTACHMENTS = "attachments", _("Pièces jointes remplacées par des liens")
    DUPLICATES = "duplicates", _("Doublons et photos floues supprimés")
    APPS = "apps", _("Applications inutilisées désinstallées")
    ACCOUNTS = "accounts", _("Comptes inutilisés fermés")
    RULES = "rules", _("Règles de tri ou d'archivage du courrier")


class Pledge(InstitutionOwned):
    """One declaration. Its counts change by the second on the campaign's morning: pages
    read them live, and a pledge does not renew the institution's cached pages."""

    freshness_exempt = True

    campaign = models.ForeignKey(CleanupCampaign, on_delete=models.CASCADE, related_name="pledges")
    token = models.UUIDField(unique=True)  # the form's: a resubmitted form is one pledge
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pledges",
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="pledges",
        verbose_name=_("équipe"),
    )  # fmt: skip
    unit = models.ForeignKey(
        "core.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("unité"),
    )  # fmt: skip
    state = models.CharField(_("état"), max_length=10, choices=PledgeState)
    gb_mailbox = models.FloatField(_("messagerie (Go)"), default=0)
    gb_personal_drive = models.FloatField(_("espace personnel (Go)"), default=0)
    gb_shared_drive = models.FloatField(_("espace partagé (Go)"), default=0)
    gb_phone = models.FloatField(_("téléphone (Go)"), default=0)
    gb_cloud = models.FloatField(_("cloud (Go)"), default=0)
    mails_deleted = models.PositiveIntegerField(_("courriels supprimés"), default=0)
    files_deleted = models.PositiveIntegerField(_("fichiers supprimés"), default=0)
    laptop_reuse = models.PositiveSmallIntegerField(_("ordinateurs portables à réemployer"),
                                                    default=0)  # fmt: skip
    laptop_recycling = models.PositiveSmallIntegerField(_("ordinateurs portables à recycler"),
                                                        default=0)  # fmt: skip
    smartphone_reuse = models.PositiveSmallIntegerField(_("smartphones à réemployer"), default=0)
    smartphone_recycling = models.PositiveSmallIntegerField(_("smartphones à recycler"),
                                                            default=0)  # fmt: skip
    tablet_reuse = models.PositiveSmallIntegerField(_("tablettes à réemployer"), default=0)
    tablet_recycling = models.PositiveSmallIntegerField(_("tablettes à recycler"), default=0)
    screen_reuse = models.PositiveSmallIntegerField(_("écrans à réemployer"), default=0)
    screen_recycling = models.PositiveSmallIntegerField(_("écrans à recycler"), default=0)
    cables_kg = models.FloatField(_("câbles et chargeurs (kg)"), default=0)
    actions = models.JSONField(_("gestes"), default=list, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("déclaration")
        indexes = [models.Index(fields=["campaign", "state"], name="pledge_campaign_state")]

    @property
    def gb_deleted(self):
        return sum(getattr(self, f) for f in GB_FIELDS)

    @property
    def devices(self):
        return sum(getattr(self, f) for f in DEVICE_FIELDS)
