"""Réemploi: an asset's end of first life (its path, decided and documented), its
refurbishment and data sanitisation, and redistribution campaigns that hand refurbished
devices to eligible people or bodies.

The asset stays in inventory (its identity, category, unit); this app records what
happened to it after, and the inventory shows that story on the asset's page."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sobrio.core.models import InstitutionOwned

RETENTION_MAX_DAYS = 3653  # ten years: a redistribution campaign's applications at most


class ReusePath(models.TextChoices):
    REASSIGNED = "reassigned", _("Réaffecté dans l'établissement")
    DONATION = "donation", _("Don")
    SOLIDARITY_SALE = "solidarity_sale", _("Vente solidaire par un organisme habilité")
    DOMAIN_SALE = "domain_sale", _("Vente par le Domaine")
    TAKEBACK_REUSE = "takeback_reuse", _("Reprise pour réemploi (fournisseur, éco-organisme)")
    RECYCLING = "recycling", _("Recyclage (DEEE)")


class BeneficiaryKind(models.TextChoices):
    STAFF = "staff", _("Agent de l'établissement")
    STUDENT_ASSOCIATION = "student_association", _("Association étudiante")
    PARENTS_ASSOCIATION = "parents_association", _("Association de parents d'élèves")
    SCHOOL_SUPPORT_ASSOCIATION = "school_support_association", _("Association de soutien scolaire")
    ARUP = "arup", _("Association reconnue d'utilité publique")
    ESUS = "esus", _("Entreprise solidaire d'utilité sociale (ESUS)")
    PRECARITY_ASSOCIATION = (
        "precarity_association",
        _("Association d'intérêt général (équipement des personnes en précarité)"),
    )
    PUBLIC_BODY = "public_body", _("Organisme public")
    SUPPLIER = "supplier", _("Fournisseur")
    ECO_ORGANISM = "eco_organism", _("Éco-organisme")
    STUDENT = "student", _("Étudiant·e (à titre individuel)")
    OTHER = "other", _("Autre")


class ReuseSettings(InstitutionOwned):
    """What the officer sets once: the substitution rate, the second life assumed, the
    grading grid and the pick-up site written in the waste register."""

    substitution_percent = models.PositiveSmallIntegerField(
        _("taux de substitution (%)"),
        null=True,
        blank=True,
        help_text=_(
            "Part des appareils reconditionnés qui remplacent vraiment un achat neuf. Vide : "
            "l'impact évité n'est pas calculé (ADEME : le gain ne vaut que s'il y a "
            "substitution)."
        ),
    )
    second_life_years = models.DecimalField(
        _("durée de la seconde vie (années)"), max_digits=4, decimal_places=1, default=3
    )
    grades = models.CharField(
        _("grille de grades"),
        max_length=200,
        default="A,B,C",
        help_text=_("Séparés par des virgules, du meilleur au moins bon."),
    )
    site_name = models.CharField(_("site d'enlèvement"), max_length=200, blank=True)
    site_address = models.CharField(_("adresse du site"), max_length=300, blank=True)
    site_postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    site_city = models.CharField(_("commune"), max_length=120, blank=True)
    factor_set = models.ForeignKey(
        "footprint.FactorSet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jeu de facteurs (impact évité)"),
        help_text=_("Vide : le jeu fourni (ADEME, produits reconditionnés, 2022)."),
    )

    class Meta:
        verbose_name = _("réglages du réemploi")
        constraints = [models.UniqueConstraint(fields=["institution"], name="reuse_settings_one")]

    def grade_list(self):
        return [g.strip() for g in self.grades.split(",") if g.strip()]


class Exclusion(models.TextChoices):
    NONE = "", _("Aucune")
    OVER_TEN_YEARS = "over_10_years", _("Plus de 10 ans à la réforme")
    CLASSIFIED = "classified", _("A contenu des informations classifiées")
    SECURITY = "security", _("Obligations de sécurité particulières")


class Disposal(InstitutionOwned):
    """What was decided for an asset leaving service, and what proves it."""

    asset = models.ForeignKey(
        "inventory.Asset",
        on_delete=models.CASCADE,
        related_name="disposals",
        verbose_name=_("équipement"),
    )
    path = models.CharField(_("destination"), max_length=20, choices=ReusePath)
    decided_on = models.DateField(_("date"))
    # When the asset was reformed (its first life ended): kept here, since a reassigned
    # asset goes back in service and loses its retirement date.
    reformed_on = models.DateField(_("réformé le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidé par"),
    )
    beneficiary = models.CharField(_("bénéficiaire"), max_length=200, blank=True)
    beneficiary_kind = models.CharField(
        _("type de bénéficiaire"), max_length=30, choices=BeneficiaryKind, blank=True
    )
    unit = models.ForeignKey(
        "core.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unité d'affectation"),
    )
    unit_value = models.DecimalField(
        _("valeur unitaire (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    exception = models.TextField(_("dérogation (justification)"), blank=True)
    committed_reuse = models.BooleanField(
        _("le repreneur s'est engagé à réemployer"),
        default=False,
        help_text=_("Pour une vente ou une reprise : sans engagement prouvé, pas de réemploi."),
    )
    excluded = models.CharField(
        _("exclusion du taux de réemploi"), max_length=20, choices=Exclusion, blank=True
    )
    weight_kg = models.DecimalField(
        _("poids (kg)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    eco_organism = models.CharField(_("éco-organisme"), max_length=120, blank=True)
    eco_organism_siret = models.CharField(_("SIRET de l'éco-organisme"), max_length=14, blank=True)
    waste_code = models.CharField(_("code déchet"), max_length=12, blank=True)
    document_ref = models.CharField(
        _("pièce (convention, attestation, BSD)"), max_length=120, blank=True
    )
    document = models.FileField(_("document"), upload_to="reuse/%Y/", blank=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("décision de fin de première vie")

    def __str__(self):
        return f"{self.asset} — {self.get_path_display()}"


class Batch(InstitutionOwned):
    name = models.CharField(_("nom"), max_length=150)
    partner = models.CharField(
        _("partenaire"), max_length=200, blank=True, help_text=_("Vide : en interne.")
    )
    opened_on = models.DateField(_("ouvert le"))
    closed_on = models.DateField(_("clos le"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("lot de reconditionnement")

    def __str__(self):
        return self.name


class Refurbishment(InstitutionOwned):
    """One device in a batch: what was found, repaired and installed, and its grade."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="devices")
    asset = models.OneToOneField(
        "inventory.Asset", on_delete=models.CASCADE, related_name="refurbishment"
    )
    diagnostics = models.TextField(_("diagnostic"), blank=True)
    repairs = models.TextField(_("réparations"), blank=True)
    parts = models.CharField(_("pièces remplacées"), max_length=300, blank=True)
    operating_system = models.CharField(_("système installé"), max_length=120, blank=True)
    grade = models.CharField(_("grade"), max_length=20, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("appareil reconditionné")


class WipeCategory(models.TextChoices):
    CLEAR = "clear", _("Effacement simple (Clear)")
    PURGE = "purge", _("Purge")
    DESTROY = "destroy", _("Destruction (Destroy)")


OUTSIDE_OK = (WipeCategory.PURGE, WipeCategory.DESTROY)  # NIST SP 800-88: media leaving


class Sanitisation(InstitutionOwned):
    """A data sanitisation record, as NIST SP 800-88 asks for one."""

    asset = models.ForeignKey(
        "inventory.Asset", on_delete=models.CASCADE, related_name="sanitisations"
    )
    category = models.CharField(_("catégorie"), max_length=10, choices=WipeCategory)
    method = models.CharField(_("méthode"), max_length=120)
    tool = models.CharField(_("outil"), max_length=120)
    tool_version = models.CharField(_("version de l'outil"), max_length=40, blank=True)
    media = models.CharField(_("support (modèle, n° de série)"), max_length=200, blank=True)
    verification = models.CharField(_("vérification"), max_length=200)
    done_by = models.CharField(_("réalisé par"), max_length=150)
    done_on = models.DateField(_("le"))
    report = models.JSONField(_("rapport de l'outil"), default=dict, blank=True)

    class Meta:
        ordering = ["-done_on", "-pk"]
        verbose_name = _("effacement des données")


class Selection(models.TextChoices):
    PRIORITY = "priority", _("Par critères de priorité, puis tirage au sort à égalité")
    DRAW = "draw", _("Par tirage au sort")


class RedistributionCampaign(InstitutionOwned):
    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("présentation"), blank=True)
    opens_on = models.DateField(_("ouverture des demandes"))
    closes_on = models.DateField(_("clôture des demandes"))
    eligible = models.JSONField(_("bénéficiaires admis"), default=list)  # BeneficiaryKind codes
    selection = models.CharField(
        _("sélection"), max_length=10, choices=Selection, default=Selection.PRIORITY
    )
    seed = models.CharField(_("graine du tirage (publiée)"), max_length=64)
    retention_days = models.PositiveIntegerField(
        _("conservation des demandes (jours après la clôture)"),
        default=365,
        # ten years at most: past it the date overflows (the purge once crashed there)
        validators=[MinValueValidator(1), MaxValueValidator(RETENTION_MAX_DAYS)],
    )
    drawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("campagne de redistribution")

    def __str__(self):
        return self.name


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("Déposée")
    SELECTED = "selected", _("Retenue")
    WAITING = "waiting", _("En liste d'attente")
    ALLOCATED = "allocated", _("Appareil attribué")
    HANDED_OVER = "handed_over", _("Remis")
    WITHDRAWN = "withdrawn", _("Retirée")


class Application(InstitutionOwned):
    """An application, with the least personal data: who applies (their account), for
    whom (themselves or an association) and why, in a few words."""

    campaign = models.ForeignKey(
        RedistributionCampaign, on_delete=models.CASCADE, related_name="applications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reuse_applications"
    )
    kind = models.CharField(_("je demande pour"), max_length=30, choices=BeneficiaryKind)
    organisation = models.CharField(_("nom de l'association"), max_length=200, blank=True)
    need = models.CharField(_("besoin, en quelques mots"), max_length=300)
    no_device = models.BooleanField(_("sans ordinateur personnel aujourd'hui"), default=False)
    state = models.CharField(
        _("état"), max_length=12, choices=ApplicationState, default=ApplicationState.SUBMITTED
    )
    rank = models.PositiveIntegerField(_("rang"), null=True, blank=True)
    device = models.OneToOneField(
        "inventory.Asset",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("appareil"),
    )
    handed_over_on = models.DateField(_("remis le"), null=True, blank=True)
    signed_by = models.CharField(_("signé par"), max_length=150, blank=True)

    class Meta:
        ordering = ["rank", "pk"]
        verbose_name = _("demande")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="reuse_application_once")
        ]

    def __str__(self):
        return f"{self.campaign} — {self.user}"
