from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sobrio.core.models import InstitutionOwned, Unit
from sobrio.inventory.enums import AssetStatus, Category, CloudProvider, Media, Retention


class CustomCategory(InstitutionOwned):
    """A category of the institution's own; its factors come from an imported factor set."""

    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("libellé"), max_length=100)

    class Meta:
        ordering = ["label"]
        verbose_name = _("catégorie propre")
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="custom_category_unique")
        ]

    def __str__(self):
        return self.label

    def clean(self):
        if self.code in Category.values:
            raise ValidationError({"code": _("Ce code est celui d'une catégorie de Sobrio.")})


def category_labels(institution):
    """code -> label of every category the institution may use."""
    labels = dict(Category.choices)
    labels.update(CustomCategory.objects.for_institution(institution).values_list("code", "label"))
    return labels


class ServerRoom(InstitutionOwned):
    name = models.CharField(_("nom"), max_length=120)
    site = models.CharField(_("site"), max_length=120, blank=True)
    pue = models.DecimalField(
        _("PUE"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Énergie totale de la salle ÷ énergie des équipements informatiques (≥ 1)."),
    )
    pue_measured = models.BooleanField(
        _("PUE mesuré"), default=False, help_text=_("Décoché : PUE déclaré ou estimé.")
    )
    it_power_kw = models.DecimalField(
        _("puissance informatique (kW)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("salle serveur")
        verbose_name_plural = _("salles serveurs")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"],
                name="server_room_unique",
                violation_error_message=_("Une salle serveur porte déjà ce nom."),
            )
        ]

    def __str__(self):
        return self.name


class Asset(InstitutionOwned):
    """One inventory row: a device, or a group of identical ones (quantity)."""

    inventory_number = models.CharField(_("numéro d'inventaire"), max_length=80)
    name = models.CharField(_("nom"), max_length=200, blank=True)
    category = models.CharField(_("catégorie"), max_length=40, db_index=True)
    manufacturer = models.CharField(_("fabricant"), max_length=120, blank=True)
    model = models.CharField(_("modèle"), max_length=200, blank=True)
    serial_number = models.CharField(_("numéro de série"), max_length=120, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unité"),
    )
    site = models.CharField(_("site"), max_length=120, blank=True)
    purchase_date = models.DateField(_("date d'achat"), null=True, blank=True)
    commissioning_date = models.DateField(_("mise en service"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=AssetStatus, default=AssetStatus.IN_SERVICE
    )
    retirement_date = models.DateField(_("date de réforme"), null=True, blank=True)
    # When the status last changed: the footprint's end of service for a retired asset
    # whose retirement date nobody entered (it says how many such assets it counts).
    status_changed_on = models.DateField(
        _("statut changé le"), null=True, blank=True, editable=False
    )
    lifetime_years = models.DecimalField(
        _("durée de vie (ans)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.5), MaxValueValidator(30)],
        help_text=_("Vide : celle du jeu de facteurs pour la catégorie."),
    )
    hours_per_day = models.DecimalField(
        _("heures d'usage par jour"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    days_per_year = models.PositiveSmallIntegerField(
        _("jours d'usage par an"), null=True, blank=True, validators=[MaxValueValidator(366)]
    )
    power_w = models.DecimalField(
        _("puissance moyenne (W)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Vide : celle du jeu de facteurs."),
    )
    quantity = models.PositiveIntegerField(
        _("quantité"), default=1, validators=[MinValueValidator(1)]
    )
    refurbished = models.BooleanField(_("reconditionné"), default=False)
    server_room = models.ForeignKey(
        ServerRoom,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("salle serveur"),
    )
    # A server's configuration, when known: computed through boaviztapi's server model.
    cpu_units = models.PositiveSmallIntegerField(_("processeurs"), null=True, blank=True)
    cpu_core_units = models.PositiveSmallIntegerField(
        _("cœurs par processeur"), null=True, blank=True
    )
    ram_gb = models.PositiveIntegerField(_("mémoire (Go)"), null=True, blank=True)
    ssd_units = models.PositiveSmallIntegerField(_("disques SSD"), null=True, blank=True)
    hdd_units = models.PositiveSmallIntegerField(_("disques durs"), null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["inventory_number"]
        verbose_name = _("équipement")
        verbose_name_plural = _("équipements")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "inventory_number"],
                name="asset_number_unique",
                violation_error_message=_("Un équipement a déjà ce numéro d'inventaire."),
            )
        ]
        indexes = [models.Index(fields=["institution", "category"])]

    def __str__(self):
        return f"{self.inventory_number} {self.name or self.model}".strip()

    @property
    def category_label(self):
        """The category as a person reads it (« Écran », never « monitor »): Sobrio's own
        label, else the institution's custom category's, else the code as imported. A
        list sets it from category_labels() at once (one query for all its rows)."""
        if getattr(self, "_category_label", None) is None:
            label = dict(Category.choices).get(self.category)
            if label is None:
                label = (CustomCategory.objects.filter(institution_id=self.institution_id,
                                                       code=self.category)
                         .values_list("label", flat=True).first())  # fmt: skip
            self._category_label = label or self.category
        return self._category_label

    @category_label.setter
    def category_label(self, value):
        self._category_label = value

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = getattr(instance, "status", None)
        return instance

    def save(self, *args, **kwargs):
        if getattr(self, "_loaded_status", None) != self.status or self.status_changed_on is None:
            from django.utils import timezone

            self.status_changed_on = timezone.localdate()
            fields = kwargs.get("update_fields")
            if fields is not None:
                kwargs["update_fields"] = {*fields, "status_changed_on"}
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    @property
    def server_config(self):
        values = {
            "cpu_units": self.cpu_units,
            "cpu_core_units": self.cpu_core_units,
            "ram_capacity_gb": self.ram_gb,
            "ssd_units": self.ssd_units,
            "hdd_units": self.hdd_units,
        }
        return {k: v for k, v in values.items() if v}

    def clean(self):
        errors = {}
        if (
            self.retirement_date
            and self.commissioning_date
            and self.retirement_date < self.commissioning_date
        ):
            errors["retirement_date"] = _("La réforme précède la mise en service.")
        elif (
            self.retirement_date
            and self.purchase_date
            and self.retirement_date < self.purchase_date
        ):
            errors["retirement_date"] = _("La réforme précède l'achat.")
        if self.status == AssetStatus.RETIRED and not self.retirement_date:
            errors["retirement_date"] = _(
                "Indiquez la date de réforme : l'empreinte compte les années de service "
                "jusqu'à elle."
            )
        today = _today()
        for name in ("purchase_date", "commissioning_date"):
            value = getattr(self, name)
            if value and value > today:
                errors[name] = _("Cette date est dans le futur.")
        if self.server_room_id and self.server_room.institution_id != self.institution_id:
            errors["server_room"] = _("Salle d'un autre établissement.")
        if self.unit_id and self.unit.institution_id != self.institution_id:
            errors["unit"] = _("Unité d'un autre établissement.")
        if errors:
            raise ValidationError(errors)


def _today():
    from django.utils import timezone

    return timezone.localdate()


class CloudInstance(InstitutionOwned):
    name = models.CharField(_("nom"), max_length=200)
    provider = models.CharField(_("fournisseur"), max_length=20, choices=CloudProvider)
    instance_type = models.CharField(_("type d'instance"), max_length=80)
    region = models.CharField(
        _("région"),
        max_length=40,
        default="FRA",
        help_text=_(
            "Code ISO à trois lettres du pays où tourne l'instance (FRA, DEU, IRL…) ou nom de "
            "la région du fournisseur (eu-west-3, fr-par…)."
        ),
    )
    hours_per_year = models.PositiveIntegerField(
        _("heures d'utilisation dans l'année"), validators=[MaxValueValidator(8784)]
    )
    quantity = models.PositiveIntegerField(_("nombre d'instances"), default=1)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unité"),
    )
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instance cloud")
        verbose_name_plural = _("instances cloud")

    def __str__(self):
        return self.name

    def clean(self):
        from sobrio.inventory import catalogue

        self.region = (self.region or "FRA").strip()
        problems = catalogue.check_cloud(self.provider, self.instance_type or "", self.region)
        if problems:
            raise ValidationError({k: v[0].upper() + v[1:] + "." for k, v in problems.items()})


class DataStore(InstitutionOwned):
    """Research data kept somewhere: the FAIRS question, what, how long, on what."""

    name = models.CharField(_("nom"), max_length=200)
    volume_tb = models.DecimalField(
        _("volume (To)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    media = models.CharField(_("support"), max_length=4, choices=Media)
    replicas = models.PositiveSmallIntegerField(
        _("copies"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Nombre total d'exemplaires, original compris."),
    )
    disk_capacity_tb = models.DecimalField(
        _("capacité d'un disque (To)"),
        max_digits=6,
        decimal_places=2,
        default=8,
        validators=[MinValueValidator(0.1)],
        help_text=_("Sert à compter les disques : volume × copies ÷ capacité."),
    )
    server_room = models.ForeignKey(
        ServerRoom,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stores",
        verbose_name=_("salle serveur"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unité"),
    )
    retention = models.CharField(
        _("décision de conservation"),
        max_length=10,
        choices=Retention,
        default=Retention.UNDECIDED,
    )
    retention_until = models.DateField(_("conserver jusqu'au"), null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("stockage de données")
        verbose_name_plural = _("stockages de données")

    def __str__(self):
        return self.name
