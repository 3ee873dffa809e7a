from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from sobrio.cleanup import services as cleanup
from sobrio.cleanup.models import (
    COUNT_FIELDS,
    DEVICE_FIELDS,
    GB_FIELDS,
    CleanupAction,
    CleanupCampaign,
    Team,
)
from sobrio.core.forms import Form, ModelForm
from sobrio.plan.models import Action


class CampaignForm(ModelForm):
    class Meta:
        model = CleanupCampaign
        fields = [
            "name",
            "starts_on",
            "ends_on",
            "description",
            "anonymous",
            "moderate_all",
            "goal_participants",
            "goal_gb",
            "goal_devices",
            "substitution_percent",
            "factor_set",
            "action",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, institution, **kwargs):
        from sobrio.footprint.models import FactorSet, Purpose

        super().__init__(*args, **kwargs)
        self.fields["factor_set"].queryset = FactorSet.objects.for_institution(
            institution, purpose=Purpose.CLEANUP
        )
        self.fields["action"].queryset = Action.objects.for_institution(institution)
        self.fields["substitution_percent"].validators.append(MaxValueValidator(100))
        self.fields["substitution_percent"].widget.attrs["max"] = 100

    def clean(self):
        data = super().clean()
        try:
            cleanup.validate_dates(data.get("starts_on"), data.get("ends_on"))
        except ValidationError as error:
            self.add_error("ends_on", error)
        return data


class TeamForm(ModelForm):
    class Meta:
        model = Team
        fields = ["name", "kind", "unit"]

    def __init__(self, *args, institution, **kwargs):
        from sobrio.core.models import Unit

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_institution(institution)


def _amount(label, maximum, decimal=False, help_text=""):
    field = forms.FloatField if decimal else forms.IntegerField
    return field(
        label=label,
        required=False,
        min_value=0,
        max_value=maximum,
        help_text=help_text,
        localize=decimal,  # « 3,5 » typed as in French, « 3.5 » as a number field sends
        widget=forms.NumberInput(
            attrs={
                "min": 0,
                "max": maximum,
                "step": "any" if decimal else 1,
                "inputmode": "decimal" if decimal else "numeric",
            }  # fmt: skip
        ),
    )


class PledgeForm(Form):
    """One declaration. Bounds are generous (one person, one week) and stop typing
    mistakes: 50 TB, ten million mails, 200 devices of a kind."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    # The honeypot: hidden from people (and from screen readers), filled by robots.
    website = forms.CharField(required=False, label=_("Laissez ce champ vide"))
    team = forms.TypedChoiceField(label=_("Équipe"), required=False, coerce=int,
                                  empty_value=None)  # fmt: skip
    gb_mailbox = _amount(_("Messagerie (Go)"), 50000, True)
    gb_personal_drive = _amount(_("Espace personnel (Go)"), 50000, True)
    gb_shared_drive = _amount(_("Espace partagé (Go)"), 50000, True)
    gb_phone = _amount(_("Téléphone (Go)"), 50000, True)
    gb_cloud = _amount(_("Cloud (Go)"), 50000, True)
    mails_deleted = _amount(_("Courriels supprimés"), 10_000_000)
    files_deleted = _amount(_("Fichiers supprimés"), 10_000_000)
    laptop_reuse = _amount(_("Ordinateurs portables en état de marche"), 200)
    laptop_recycling = _amount(_("Ordinateurs portables hors d'usage"), 200)
    smartphone_reuse = _amount(_("Smartphones en état de marche"), 200)
    smartphone_recycling = _amount(_("Smartphones hors d'usage"), 200)
    tablet_reuse = _amount(_("Tablettes en état de marche"), 200)
    tablet_recycling = _amount(_("Tablettes hors d'usage"), 200)
    screen_reuse = _amount(_("Écrans en état de marche"), 200)
    screen_recycling = _amount(_("Écrans hors d'usage"), 200)
    cables_kg = _amount(_("Câbles et chargeurs (kg)"), 1000, True)
    actions = forms.MultipleChoiceField(
        label=_("Gestes"),
        choices=CleanupAction.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {t.pk: t for t in campaign.teams.all()}  # one query, the choices
        if self.teams:
            self.fields["team"].choices = [("", _("Sans équipe"))] + [
                (pk, t.name) for pk, t in self.teams.items()
            ]
        else:
            del self.fields["team"]

    def clean_team(self):
        team_id = self.cleaned_data.get("team")
        return self.teams.get(team_id) if team_id is not None else None

    def is_robot(self):
        return bool(self.data.get("website"))

    def groups(self):
        """The fields by fieldset, for the template."""
        names = {
            "data": GB_FIELDS + COUNT_FIELDS,
            "devices": DEVICE_FIELDS + ("cables_kg",),
        }
        return {key: [self[n] for n in fields] for key, fields in names.items()}
