from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from dsfr.utils import dsfr_input_class_attr

from sobrio.core.forms import Form, ModelForm
from sobrio.core.models import Unit
from sobrio.imports.forms import LimitedFileField
from sobrio.reuse.models import (
    Application,
    Batch,
    BeneficiaryKind,
    Disposal,
    RedistributionCampaign,
    Refurbishment,
    ReuseSettings,
    Sanitisation,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SettingsForm(ModelForm):
    class Meta:
        model = ReuseSettings
        fields = [
            "substitution_percent",
            "second_life_years",
            "grades",
            "site_name",
            "site_address",
            "site_postcode",
            "site_city",
            "factor_set",
        ]

    def __init__(self, *args, institution, **kwargs):
        from sobrio.footprint.models import FactorSet, Purpose

        super().__init__(*args, **kwargs)
        self.fields["factor_set"].queryset = FactorSet.objects.for_institution(
            institution, purpose=Purpose.REUSE
        )
        self.fields["substitution_percent"].validators.append(MaxValueValidator(100))
        self.fields["substitution_percent"].widget.attrs["max"] = 100


class DecisionForm(ModelForm):
    class Meta:
        model = Disposal
        fields = [
            "path",
            "decided_on",
            "beneficiary",
            "beneficiary_kind",
            "unit",
            "unit_value",
            "exception",
            "committed_reuse",
            "excluded",
            "weight_kg",
            "eco_organism",
            "eco_organism_siret",
            "waste_code",
            "document_ref",
            "document",
        ]
        widgets = {"decided_on": DATE, "exception": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "exception": _(
                "Pour enregistrer une décision que les règles ci-dessus n'admettent pas : "
                "pourquoi, et sur quel fondement."
            ),
            "unit": _("Pour une réaffectation : l'unité qui reçoit l'appareil."),
        }

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_institution(institution)
        self.fields["document"].widget = forms.ClearableFileInput()

    def fields_for_service(self):
        data = dict(self.cleaned_data)
        return {
            "on": data["decided_on"],
            "beneficiary": data["beneficiary"],
            "kind": data["beneficiary_kind"],
            "unit": data["unit"],
            "unit_value": data["unit_value"],
            "exception": data["exception"],
            "committed_reuse": data["committed_reuse"],
            "excluded": data["excluded"],
            "weight_kg": data["weight_kg"],
            "eco_organism": data["eco_organism"],
            "eco_organism_siret": data["eco_organism_siret"],
            "waste_code": data["waste_code"],
            "document_ref": data["document_ref"],
            "document": data["document"],
        }


class ImportForm(Form):
    file = LimitedFileField(
        label=_("Fichier des décisions (CSV ou XLSX)"),
        help_text=_(
            "Colonnes : « Numéro d'inventaire », « Destination », « Date », « Bénéficiaire », "
            "« Type de bénéficiaire », « Valeur unitaire (€) », « Dérogation », « Poids (kg) »."
        ),
    )
    valid_only = forms.BooleanField(label=_("N'enregistrer que les lignes valides"), required=False)


class BatchForm(ModelForm):
    class Meta:
        model = Batch
        fields = ["name", "partner", "opened_on", "closed_on"]
        widgets = {"opened_on": DATE, "closed_on": DATE}


class RefurbishmentForm(ModelForm):
    class Meta:
        model = Refurbishment
        fields = ["diagnostics", "repairs", "parts", "operating_system", "grade"]
        widgets = {
            "diagnostics": forms.Textarea(attrs={"rows": 2}),
            "repairs": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, grades, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"] = forms.ChoiceField(
            label=_("Grade"), required=False, choices=[("", "—")] + [(g, g) for g in grades]
        )
        self._bound_fields_cache.pop("grade", None)  # DsfrMixin bound the model's field
        dsfr_input_class_attr(self["grade"])


class SanitisationForm(ModelForm):
    class Meta:
        model = Sanitisation
        fields = [
            "category",
            "method",
            "tool",
            "tool_version",
            "media",
            "verification",
            "done_by",
            "done_on",
        ]
        widgets = {"done_on": DATE}


class WipeReportForm(Form):
    file = LimitedFileField(
        label=_("Rapport d'effacement (CSV ou JSON)"),
        max_bytes=5 * 1024 * 1024,
        help_text=_("Une ligne (ou un objet) par appareil, reconnu par son numéro de série."),
    )
    done_by = forms.CharField(label=_("Réalisé par"), max_length=150, required=False)


class CampaignForm(ModelForm):
    eligible = forms.MultipleChoiceField(
        label=_("Bénéficiaires admis"),
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (k, BeneficiaryKind(k).label)
            for k in (
                BeneficiaryKind.STAFF,
                BeneficiaryKind.STUDENT_ASSOCIATION,
                BeneficiaryKind.PARENTS_ASSOCIATION,
                BeneficiaryKind.SCHOOL_SUPPORT_ASSOCIATION,
                BeneficiaryKind.ARUP,
                BeneficiaryKind.ESUS,
                BeneficiaryKind.PRECARITY_ASSOCIATION,
            )
        ],
        help_text=_(
            "Les étudiant·es, à titre individuel, passent par une association (CG3P, art. L3212-2)."
        ),
    )

    class Meta:
        model = RedistributionCampaign
        fields = [
            "name",
            "description",
            "opens_on",
            "closes_on",
            "eligible",
            "selection",
            "retention_days",
        ]
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("La clôture suit l'ouverture."))
        return data


class ApplicationForm(ModelForm):
    class Meta:
        model = Application
        fields = ["kind", "organisation", "need", "no_device"]

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, BeneficiaryKind(k).label) for k in kinds]
        self.fields["organisation"].help_text = _("Pour une association seulement.")


class HandOverForm(Form):
    signed_by = forms.CharField(label=_("Convention signée par"), max_length=150)
    on = forms.DateField(label=_("Remis le"), widget=DATE)
