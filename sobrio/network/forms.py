from django import forms
from django.utils.translation import gettext_lazy as _

from sobrio.core.forms import Form
from sobrio.network.models import GROUPS


class ShareForm(Form):
    figures = forms.MultipleChoiceField(
        label=_("Chiffres partagés avec le réseau"),
        choices=GROUPS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    anonymous = forms.BooleanField(
        label=_("Partager sans être nommé (les chiffres comptent, le nom n'apparaît jamais)"),
        required=False,
    )


class PublishForm(Form):
    action = forms.ModelChoiceField(label=_("Action de mon plan"), queryset=None)
    results = forms.CharField(
        label=_("Résultats"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    indicators = forms.CharField(label=_("Indicateurs"), max_length=1000, required=False)

    def __init__(self, *args, institution, **kwargs):
        from sobrio.plan.models import Action

        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = Action.objects.for_institution(institution)
