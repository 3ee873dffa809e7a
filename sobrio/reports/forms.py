from django import forms
from django.utils.translation import gettext_lazy as _

from sobrio.core.forms import Form, ModelForm
from sobrio.reports import services
from sobrio.reports.models import Kind, Report


class NewReportForm(Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    period = forms.CharField(
        label=_("Période"),
        max_length=20,
        help_text=_("Trimestre : 2026-T3 ; année : 2026 ; évaluation finale : 2025-2028."),
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("period"):
            try:
                services.period_bounds(data["kind"], data["period"])
            except ValueError as error:
                self.add_error("period", str(error))
        return data


class NarrativeForm(ModelForm):
    class Meta:
        model = Report
        fields = ["synthesis", "difficulties", "outlook"]
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in fields}
