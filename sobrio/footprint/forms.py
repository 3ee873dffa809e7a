import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from sobrio.core.forms import Form, ModelForm
from sobrio.footprint.models import FactorSet, FootprintSettings, Method, ScenarioKind
from sobrio.imports.forms import LimitedFileField
from sobrio.inventory.models import ServerRoom, category_labels


def year_choices():
    this = datetime.date.today().year
    return [(y, str(y)) for y in range(this, this - 8, -1)]


class FootprintQueryForm(Form):
    """What the results page shows: read from GET, so every view is a shareable link."""

    year = forms.TypedChoiceField(label=_("Année"), coerce=int, required=False)
    method = forms.ChoiceField(label=_("Méthode"), choices=Method.choices, required=False)
    factor_set = forms.ModelChoiceField(
        label=_("Jeu de facteurs"),
        queryset=FactorSet.objects.none(),
        required=False,
        empty_label=_("celui de l'établissement"),
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["factor_set"].queryset = FactorSet.objects.for_institution(institution)

    def values(self):
        data = self.cleaned_data if self.is_valid() else {}
        return (
            data.get("year") or datetime.date.today().year - 1,
            data.get("method") or Method.STOCK,
            data.get("factor_set"),
        )


class SettingsForm(ModelForm):
    class Meta:
        model = FootprintSettings
        fields = [
            "factor_set",
            "electricity_gwp",
            "electricity_source",
            "electricity_year",
            "staff_count",
            "student_count",
        ]

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factor_set"].queryset = FactorSet.objects.for_institution(institution)

    def clean(self):
        data = super().clean()
        if data.get("electricity_gwp") is not None and not data.get("electricity_source"):
            self.add_error("electricity_source", _("Indiquez la source du facteur saisi."))
        return data


class FactorImportForm(Form):
    name = forms.CharField(label=_("Nom du jeu"), max_length=200)
    version = forms.CharField(label=_("Version"), max_length=40)
    source = forms.CharField(label=_("Source"), widget=forms.Textarea(attrs={"rows": 2}))
    licence = forms.CharField(label=_("Licence"), max_length=120, required=False)
    file = LimitedFileField(
        max_bytes=10 * 1024 * 1024,
        label=_("Fichier CSV"),
        help_text=_(
            "Colonnes : categorie, critere, phase, valeur, min, max, unite, source, "
            "licence, date (voir la documentation)."
        ),
    )


class CompareForm(Form):
    a = forms.ModelChoiceField(label=_("Jeu A"), queryset=FactorSet.objects.none())
    b = forms.ModelChoiceField(label=_("Jeu B"), queryset=FactorSet.objects.none())

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            self.fields[name].queryset = FactorSet.objects.for_institution(institution)


class ScenarioForm(Form):
    name = forms.CharField(label=_("Nom du scénario"), max_length=200)
    kind = forms.ChoiceField(label=_("Levier"), choices=ScenarioKind.choices)
    category = forms.ChoiceField(
        label=_("Catégorie"),
        required=False,
        help_text=_("Durée de vie, reconditionné."),
    )
    years = forms.DecimalField(
        label=_("Années de plus"),
        min_value=0.5,
        max_value=10,
        required=False,
        help_text=_("Durée de vie."),
    )
    count = forms.IntegerField(
        label=_("Nombre d'équipements"),
        min_value=1,
        required=False,
        help_text=_("VDI : postes fixes remplacés ; écrans : écrans retirés."),
    )
    vms_per_server = forms.IntegerField(
        label=_("Postes virtuels par serveur"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("VDI."),
    )
    share = forms.DecimalField(
        label=_("Part achetée reconditionnée (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Reconditionné."),
    )
    avoided = forms.DecimalField(
        label=_("Impact de fabrication évité par un reconditionné (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Reconditionné : votre hypothèse, avec sa source dans le nom ou ailleurs."),
    )
    room = forms.ModelChoiceField(
        label=_("Salle serveur"),
        queryset=ServerRoom.objects.none(),
        required=False,
        help_text=_("Salles : la salle regroupée ou modifiée ; VDI : la salle des serveurs."),
    )
    target_room = forms.ModelChoiceField(
        label=_("Salle d'accueil"),
        queryset=ServerRoom.objects.none(),
        required=False,
        help_text=_("Salles : vide pour changer seulement le PUE."),
    )
    pue = forms.DecimalField(
        label=_("Nouveau PUE"),
        min_value=1,
        max_value=5,
        required=False,
        help_text=_("Salles, sans salle d'accueil."),
    )

    REQUIRED = {
        ScenarioKind.LIFETIME: ("category", "years"),
        ScenarioKind.VDI: ("count", "vms_per_server"),
        ScenarioKind.SCREENS: ("count",),
        ScenarioKind.REFURBISHED: ("category", "share", "avoided"),
        ScenarioKind.ROOMS: ("room",),
    }

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + sorted(
            category_labels(institution).items(), key=lambda kv: str(kv[1])
        )
        rooms = ServerRoom.objects.for_institution(institution)
        self.fields["room"].queryset = rooms
        self.fields["target_room"].queryset = rooms

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        for name in self.REQUIRED.get(kind, ()):
            if data.get(name) in (None, ""):
                self.add_error(name, _("Nécessaire pour ce levier."))
        if kind == ScenarioKind.ROOMS and not data.get("target_room") and data.get("pue") is None:
            self.add_error("pue", _("Choisissez une salle d'accueil ou un nouveau PUE."))
        if (
            kind == ScenarioKind.ROOMS
            and data.get("target_room")
            and data.get("room") == data.get("target_room")
        ):
            self.add_error("target_room", _("Choisissez une autre salle."))
        return data

    def params(self):
        d = self.cleaned_data
        kind = d["kind"]
        if kind == ScenarioKind.LIFETIME:
            return {"category": d["category"], "years": float(d["years"])}
        if kind == ScenarioKind.VDI:
            return {
                "count": d["count"],
                "vms_per_server": d["vms_per_server"],
                "room": d["room"].pk if d.get("room") else None,
            }
        if kind == ScenarioKind.SCREENS:
            return {"count": d["count"]}
        if kind == ScenarioKind.REFURBISHED:
            return {
                "category": d["category"],
                "share": float(d["share"]) / 100,
                "avoided": float(d["avoided"]) / 100,
            }
        params = {"room": d["room"].pk}
        if d.get("target_room"):
            params["target_room"] = d["target_room"].pk
        else:
            params["pue"] = float(d["pue"])
        return params
