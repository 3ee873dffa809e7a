from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sobrio.assessment.models import Campaign
from sobrio.core.forms import Form, ModelForm
from sobrio.core.models import Membership, Unit
from sobrio.imports.forms import LimitedFileField
from sobrio.referentials import scales
from sobrio.referentials.models import Referential


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CampaignForm(ModelForm):
    class Meta:
        model = Campaign
        fields = ["referential", "name", "scope", "starts_on", "ends_on", "working_group"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "working_group": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referential"].queryset = Referential.objects.for_institution(institution)
        self.fields["working_group"].queryset = (
            Membership.objects.for_institution(institution).staff().select_related("user")
        )


class AssignForm(Form):
    family = forms.ChoiceField(label=_("Famille"), required=False)
    codes = forms.CharField(
        label=_("Ou ces codes"),
        required=False,
        help_text=_("Séparés par des virgules, par exemple : 1.1, 1.2. Prime sur la famille."),
    )
    assignee = forms.ModelChoiceField(
        label=_("Membre chargé"), queryset=Membership.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Unité chargée"), queryset=Unit.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Échéance"), required=False, widget=DateInput())

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        families = campaign.referential.families.all()
        self.fields["family"].choices = [("", _("Toutes les familles"))] + [
            (f.code, f"{f.code} · {f.name}") for f in families
        ]
        self.fields["assignee"].queryset = (
            Membership.objects.for_institution(campaign.institution).staff().select_related("user")
        )
        self.fields["unit"].queryset = Unit.objects.for_institution(campaign.institution)

    def clean_codes(self):
        return [c.strip() for c in self.cleaned_data["codes"].split(",") if c.strip()]


class AnswerForm(Form):
    status = forms.ChoiceField(label=_("Statut"), widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, answer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (s.key, gettext(s.label)) for s in scales.statuses(answer.campaign.scale)
        ]
        self.indicator_keys = []
        for index, label in enumerate(answer.item.indicators):
            key = f"indicator_{index}"
            self.indicator_keys.append((key, label))
            self.fields[key] = forms.CharField(label=label, required=False, max_length=500)

    def indicator_values(self):
        return {
            label: self.cleaned_data[key]
            for key, label in self.indicator_keys
            if self.cleaned_data.get(key)
        }


class EvidenceForm(Form):
    label = forms.CharField(label=_("Intitulé"), required=False, max_length=200)
    url = forms.URLField(label=_("Lien"), required=False, max_length=500, assume_scheme="https")
    upload = forms.FileField(label=_("Ou un fichier"), required=False)


class AnswersImportForm(Form):
    file = LimitedFileField(
        max_bytes=10 * 1024 * 1024,
        label=_("Tableau des réponses"),
        help_text=_(
            "CSV, XLSX ou ODS avec les colonnes code, statut et commentaire ; les statuts "
            "tels qu'écrits sur l'échelle du référentiel."
        ),
    )


class DeclarationForm(Form):
    published = forms.BooleanField(label=_("Publier la déclaration"), required=False)
