import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sobrio.core.models import Institution, InstitutionOwned, ScopedQuerySet


class Criterion(models.TextChoices):
    GWP = "gwp", _("Changement climatique")
    ADPE = "adpe", _("Épuisement des ressources abiotiques (minéraux et métaux)")
    PE = "pe", _("Énergie primaire")


class Parameter(models.TextChoices):
    """Rows of a factor set that are not impacts but what the method needs per category."""

    LIFETIME = "lifetime", _("Durée de vie")
    POWER = "power", _("Puissance moyenne")
    USE_RATIO = "use_ratio", _("Part du temps en marche")
    ENERGY = "energy", _("Consommation annuelle")
    REFURBISHED_AVOIDED = "refurbished_avoided", _("Part évitée par un achat reconditionné")


class Phase(models.TextChoices):
    EMBODIED = "embodied", _("Fabrication")
    USE = "use", _("Usage")
    PARAMETER = "parameter", _("Paramètre")


class Method(models.TextChoices):
    STOCK = "stock", _("Amortissement (stock)")
    FLOW = "flow", _("Achats de l'année (flux)")


class Purpose(models.TextChoices):
    FOOTPRINT = "footprint", _("Empreinte du parc")
    CLEANUP = "cleanup", _("Journée du nettoyage numérique")
    REUSE = "reuse", _("Réemploi (impact évité)")


class FactorSetQuerySet(ScopedQuerySet):
    def for_institution(self, institution, purpose=None):
        """Shared sets (built from boaviztapi) plus the institution's own imports, of one
        purpose (None: all of them; what the footprint may use asks for Purpose.FOOTPRINT)."""
        rows = self if purpose is None else self.filter(purpose=purpose)
        if institution is None:
            return rows.filter(institution__isnull=True)
        return rows.filter(models.Q(institution__isnull=True) | models.Q(institution=institution))


class FactorSet(models.Model):
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("nom"), max_length=200)
    version = models.CharField(_("version"), max_length=40)
    source = models.TextField(_("source"))
    licence = models.CharField(_("licence"), max_length=120, blank=True)
    published = models.CharField(_("date"), max_length=20, blank=True)
    builtin_key = models.CharField(max_length=80, blank=True, editable=False)
    purpose = models.CharField(
        _("usage"), max_length=10, choices=Purpose, default=Purpose.FOOTPRINT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FactorSetQuerySet.as_manager()

    class Meta:
        ordering = ["institution_id", "name", "-version"]
        verbose_name = _("jeu de facteurs")
        verbose_name_plural = _("jeux de facteurs")

    def __str__(self):
        return f"{self.name} {self.version}"

    @property
    def is_shared(self):
        return self.institution_id is None

    def get_additional_data(self):
        return {"institution_id": self.institution_id}


class Factor(models.Model):
    factor_set = models.ForeignKey(FactorSet, on_delete=models.CASCADE, related_name="factors")
    category = models.CharField(_("catégorie"), max_length=40)
    criterion = models.CharField(_("critère"), max_length=20)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase)
    value = models.FloatField(_("valeur"))
    min = models.FloatField(_("min"))
    max = models.FloatField(_("max"))
    unit = models.CharField(_("unité"), max_length=30)
    source = models.TextField(_("source"))
    licence = models.CharField(_("licence"), max_length=120, blank=True)
    date = models.CharField(_("date"), max_length=20, blank=True)
    estimated = models.BooleanField(
        _("estimation"),
        default=False,
        help_text=_("La source elle-même donne cette valeur comme une estimation."),
    )

    class Meta:
        ordering = ["category", "phase", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["factor_set", "category", "criterion", "phase"], name="factor_unique"
            )
        ]

    def __str__(self):
        return f"{self.category} {self.criterion} {self.phase}"


class ConfigProfile(models.Model):
    """boaviztapi's result for one server, cloud or disk configuration, computed once."""

    key = models.CharField(max_length=255, unique=True)
    boavizta_version = models.CharField(max_length=20)
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key


class FootprintSettings(InstitutionOwned):
    factor_set = models.ForeignKey(
        FactorSet,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jeu de facteurs"),
        help_text=_("Vide : le jeu par défaut, construit à partir de boaviztapi."),
    )
    electricity_gwp = models.FloatField(
        _("facteur d'émission de l'électricité (kgCO2e/kWh)"),
        null=True,
        blank=True,
        help_text=_("Vide : la valeur de boaviztapi pour le pays de l'établissement."),
    )
    electricity_source = models.CharField(_("source du facteur"), max_length=300, blank=True)
    electricity_year = models.PositiveSmallIntegerField(
        _("année du facteur"), null=True, blank=True
    )
    staff_count = models.PositiveIntegerField(_("personnels"), null=True, blank=True)
    student_count = models.PositiveIntegerField(_("étudiant·es"), null=True, blank=True)
    # Renewed whenever anything the footprint reads changes (footprint/signals.py):
    # cached results are keyed by it.
    data_version = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("réglages de l'empreinte")
        constraints = [
            models.UniqueConstraint(fields=["institution"], name="footprint_settings_unique")
        ]


class ScenarioKind(models.TextChoices):
    LIFETIME = "lifetime", _("Allonger la durée de vie")
    VDI = "vdi", _("Clients légers et VDI")
    SCREENS = "screens", _("Retirer des seconds écrans")
    REFURBISHED = "refurbished", _("Acheter reconditionné")
    ROOMS = "rooms", _("Regrouper des salles serveurs ou changer un PUE")


def this_year():
    return timezone.localdate().year


class Scenario(InstitutionOwned):
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("levier"), max_length=20, choices=ScenarioKind)
    params = models.JSONField(default=dict)
    # The lever acts on 1 January of this year: before it the scenario changes nothing,
    # after it the years shown follow from what it did then (footprint/scenarios.apply).
    start_year = models.PositiveSmallIntegerField(_("à partir de"), default=this_year)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("scénario")

    def __str__(self):
        return self.name
