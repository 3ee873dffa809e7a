from django import forms
from django.utils.translation import gettext_lazy as _

from sobrio.core import perms
from sobrio.core.forms import Form, ModelForm
from sobrio.core.models import Unit
from sobrio.inventory.enums import AssetStatus, Category
from sobrio.inventory.models import (
    Asset,
    CloudInstance,
    CustomCategory,
    DataStore,
    ServerRoom,
    category_labels,
)

ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx", ".ods")


class ScopedModelForm(ModelForm):
    """Foreign keys offer only the institution's own rows; a contributor's units only."""

    def __init__(self, *args, institution, membership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.institution = institution
        for name, model in (("unit", Unit), ("server_room", ServerRoom)):
            if name in self.fields:
                self.fields[name].queryset = model.objects.for_institution(institution)
        if "unit" in self.fields and membership is not None:
            self.fields["unit"].queryset = own_units(institution, membership)


def own_units(institution, membership):
    units = Unit.objects.for_institution(institution)
    if not perms.has_capability(membership, perms.EDIT):
        units = units.filter(pk__in=perms.contributor_unit_ids(membership))
    return units


class BulkForm(Form):
    """What changes on the selected assets; an empty field changes nothing. The selection
    travels as the ids ticked in the list (checked against the institution by the view)."""

    MAX_SELECTED = 500

    unit = forms.ModelChoiceField(
        label=_("Unité"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— inchangée —"),
    )
    server_room = forms.ModelChoiceField(
        label=_("Salle serveur"),
        queryset=ServerRoom.objects.none(),
        required=False,
        empty_label=_("— inchangée —"),
    )
    status = forms.ChoiceField(label=_("Statut"), required=False)
    retirement_date = forms.DateField(
        label=_("Date de réforme"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Pour le statut « Réformé » : vide, aujourd'hui."),
    )

    def __init__(self, *args, institution, membership, selected=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.selected = sorted(
            {int(pk) for pk in selected if str(pk).isdigit() and len(str(pk)) < 19}
        )[: self.MAX_SELECTED]
        self.fields["unit"].queryset = own_units(institution, membership)
        self.fields["server_room"].queryset = ServerRoom.objects.for_institution(institution)
        self.fields["status"].choices = [("", _("— inchangé —")), *AssetStatus.choices]

    def clean(self):
        data = super().clean()
        if not (data.get("unit") or data.get("server_room") or data.get("status")):
            raise forms.ValidationError(_("Choisissez ce qui change : unité, salle ou statut."))
        return data


class AssetForm(ScopedModelForm):
    category = forms.ChoiceField(label=_("Catégorie"))

    class Meta:
        model = Asset
        fields = [
            "inventory_number",
            "name",
            "category",
            "manufacturer",
            "model",
            "unit",
            "site",
            "purchase_date",
            "commissioning_date",
            "status",
            "retirement_date",
            "quantity",
            "lifetime_years",
            "hours_per_day",
            "days_per_year",
            "power_w",
            "refurbished",
            "server_room",
            "cpu_units",
            "cpu_core_units",
            "ram_gb",
            "ssd_units",
            "hdd_units",
            "comment",
        ]
        widgets = {
            "purchase_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "commissioning_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "retirement_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "comment": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, institution=institution, **kwargs)
        self.fields["category"].choices = sorted(
            category_labels(institution).items(), key=lambda kv: str(kv[1])
        )

    def validate_unique(self):
        # institution is not a form field, so Django skips this constraint by default.
        super().validate_unique()
        number = self.cleaned_data.get("inventory_number")
        clash = Asset.objects.for_institution(self.instance.institution).filter(
            inventory_number=number
        )
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if number and clash.exists():
            self.add_error("inventory_number", _("Ce numéro d'inventaire existe déjà."))


class CustomCategoryForm(ScopedModelForm):
    class Meta:
        model = CustomCategory
        fields = ["label", "code"]
        help_texts = {
            "code": _(
                "Lettres, chiffres et tirets, par exemple « borne-interactive ». C'est le code "
                "des fichiers d'inventaire et de facteurs ; il ne change plus ensuite."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Assets and factor sets refer to the code: renaming it would orphan them.
            self.fields["code"].disabled = True

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code in Category.values:
            raise forms.ValidationError(_("Ce code est celui d'une catégorie de Sobrio."))
        taken = CustomCategory.objects.for_institution(self.instance.institution).filter(code=code)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("L'établissement a déjà une catégorie de ce code."))
        return code


class ServerRoomForm(ScopedModelForm):
    class Meta:
        model = ServerRoom
        fields = ["name", "site", "pue", "pue_measured", "it_power_kw", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}


class CloudInstanceForm(ScopedModelForm):
    class Meta:
        model = CloudInstance
        fields = [
            "name",
            "provider",
            "instance_type",
            "region",
            "hours_per_year",
            "quantity",
            "unit",
            "comment",
        ]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}

    def clean_region(self):
        return self.cleaned_data["region"].upper()


class DataStoreForm(ScopedModelForm):
    class Meta:
        model = DataStore
        fields = [
            "name",
            "volume_tb",
            "media",
            "replicas",
            "disk_capacity_tb",
            "server_room",
            "unit",
            "retention",
            "retention_until",
            "comment",
        ]
        widgets = {
            "retention_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "comment": forms.Textarea(attrs={"rows": 2}),
        }
