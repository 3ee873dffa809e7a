from django import forms
from django.utils.translation import gettext_lazy as _

from sobrio.core import indicators as registry
from sobrio.core.enums import Role
from sobrio.core.forms import Form, ModelForm
from sobrio.core.models import Membership, Unit
from sobrio.plan.models import (
    Action,
    Axis,
    BudgetLine,
    Indicator,
    Measurement,
    Objective,
    Plan,
    Status,
    Target,
)

DATE = {"type": "date"}


def _date(**attrs):
    return forms.DateInput(attrs=DATE | attrs, format="%Y-%m-%d")


class PlanForm(ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "starts_on", "ends_on", "summary"]
        widgets = {
            "starts_on": _date(),
            "ends_on": _date(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La fin précède le début."))
        return data


class AxisForm(ModelForm):
    class Meta:
        model = Axis
        fields = ["name", "position"]


class ObjectiveForm(ModelForm):
    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = plan.axes.all()

    class Meta:
        model = Objective
        fields = ["axis", "name"]


class ActionForm(ModelForm):
    class Meta:
        model = Action
        fields = [
            "label",
            "description",
            "axis",
            "objective",
            "level",
            "pilot",
            "units",
            "partners",
            "identified_on",
            "planned_start",
            "planned_end",
            "expected_impact",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "expected_impact": forms.Textarea(attrs={"rows": 3}),
            "identified_on": _date(),
            "planned_start": _date(),
            "planned_end": _date(),
            "units": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        institution = plan.institution
        self.fields["axis"].queryset = plan.axes.all()
        self.fields["objective"].queryset = Objective.objects.for_institution(institution).filter(
            axis__plan=plan
        )
        # A pilot changes the action: someone whose role may write.
        self.fields["pilot"].queryset = (
            Membership.objects.for_institution(institution)
            .staff()
            .exclude(role=Role.VIEWER)
            .select_related("user")
        )
        self.fields["pilot"].label_from_instance = lambda m: m.user.get_full_name() or m.user.email
        self.fields["units"].queryset = Unit.objects.for_institution(institution)

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("La fin prévue précède le début prévu."))
        objective = data.get("objective")
        if objective and data.get("axis") and objective.axis_id != data["axis"].pk:
            self.add_error("objective", _("Cet objectif appartient à un autre axe."))
        return data


class StatusForm(Form):
    status = forms.ChoiceField(label=_("Nouveau statut"), choices=Status.choices)
    on = forms.DateField(label=_("Date"), widget=_date(), required=False)
    reason = forms.CharField(
        label=_("Motif (obligatoire pour un abandon)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.ABANDONED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Dites pourquoi l'action est abandonnée."))
        return data


class CommentForm(Form):
    text = forms.CharField(label=_("Commentaire"), widget=forms.Textarea(attrs={"rows": 2}))


class BudgetLineForm(ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["year", "source", "planned", "committed", "spent"]


class IndicatorForm(ModelForm):
    source = forms.ChoiceField(label=_("Calcul"), required=False)
    criterion = forms.ChoiceField(
        label=_("Critère (empreinte)"),
        required=False,
        choices=[("gwp", "GWP"), ("adpe", "ADPe"), ("pe", "PE")],
    )
    years = forms.IntegerField(label=_("Années (âge du parc)"), required=False, min_value=1)
    referential = forms.ChoiceField(label=_("Référentiel (score d'autoévaluation)"), required=False)

    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "kind",
            "direction",
            "frequency",
            "baseline",
            "baseline_on",
            "action",
            "key",
        ]
        widgets = {"baseline_on": _date()}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("— saisi à la main —")), *registry.choices()]
        self.fields["action"].queryset = plan.actions.all()
        from sobrio.referentials.models import Referential

        keys = {}
        for key, name in Referential.objects.for_institution(plan.institution).values_list(
            "key", "name"
        ):
            keys.setdefault(key, name)
        self.fields["referential"].choices = [
            ("", _("— la dernière autoévaluation des pratiques —")),
            *sorted(keys.items()),
        ]
        if self.instance.pk:
            self.fields["referential"].initial = self.instance.params.get("referential")
            self.fields["source"].initial = self.instance.source
            self.fields["criterion"].initial = self.instance.params.get("criterion")
            self.fields["years"].initial = self.instance.params.get("years")

    def save(self, commit=True):
        indicator = super().save(commit=False)
        indicator.source = self.cleaned_data.get("source") or ""
        source = registry.SOURCES.get(indicator.source)
        params = {}
        if source:
            for p in source.params:
                value = self.cleaned_data.get(p.name)
                params[p.name] = value if value not in (None, "") else p.default
            if not indicator.unit:
                indicator.unit = source.unit_for(params)
        indicator.params = params
        if commit:
            indicator.save()
        return indicator


class TargetForm(ModelForm):
    class Meta:
        model = Target
        fields = ["due_on", "value"]
        widgets = {"due_on": _date()}


class MeasurementForm(ModelForm):
    class Meta:
        model = Measurement
        fields = ["measured_on", "value", "comment"]
        widgets = {"measured_on": _date()}


class PlanImportForm(Form):
    file = forms.FileField(
        label=_("Plan au format XLSX"),
        help_text=_("Le fichier exporté par Sobrio, complété ou corrigé : une ligne par action."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Format attendu : XLSX."))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Fichier trop gros (10 Mo au plus)."))
        return upload
