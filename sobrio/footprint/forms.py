import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.utils import dsfr_input_class_attr

from sobrio.core.forms import Form, ModelForm
from sobrio.footprint.models import FactorSet, FootprintSettings, Method, Purpose, ScenarioKind
from sobrio.imports.forms import LimitedFileField
from sobrio.inventory.models import ServerRoom, category_labels


def year_choices():
    this = datetime.date.today().year
    return [(y, str(y)) for y in range(this, this - 8, -1)]


def default_year():
    """The last whole year: the one every footprint page shows unless asked otherwise."""
    return datetime.date.today().year - 1


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
        self.fields["year"].initial = default_year()  # the select shows the year shown
        self.fields["method"].initial = Method.STOCK
        self.fields["factor_set"].queryset = FactorSet.objects.for_institution(
            institution, purpose=Purpose.FOOTPRINT
        )

    def values(self):
        data = self.cleaned_data if self.is_valid() else {}
        return (
            data.get("year") or default_year(),
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
        self.fields["factor_set"].queryset = FactorSet.objects.for_institution(
            institution, purpose=Purpose.FOOTPRINT
        )

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
    purpose = forms.ChoiceField(
        label=_("Usage"),
        choices=Purpose.choices,
        initial=Purpose.FOOTPRINT,
        required=False,  # scripts written before it came import footprint factors
        help_text=_(
            "Nettoyage numérique : catégories storage_gb_year, laptop, smartphone, tablet, "
            "screen (voir la documentation)."
        ),
    )
    file = LimitedFileField(
        max_bytes=10 * 1024 * 1024,
        label=_("Fichier CSV"),
        help_text=_(
            "Colonnes : categorie, critere, phase, valeur, min, max, unite, source, "
            "licence, date (voir la documentation)."
        ),
    )

    def clean_purpose(self):
        return self.cleaned_data.get("purpose") or Purpose.FOOTPRINT


class CompareForm(Form):
    a = forms.ModelChoiceField(label=_("Jeu A"), queryset=FactorSet.objects.none())
    b = forms.ModelChoiceField(label=_("Jeu B"), queryset=FactorSet.objects.none())

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            self.fields[name].queryset = FactorSet.objects.for_institution(
                institution, purpose=Purpose.FOOTPRINT
            )


class ScenarioForm(Form):
    """The fields of one lever only (chosen in a first step, so no JavaScript is needed)."""

    LEVER_FIELDS = {
        ScenarioKind.LIFETIME: ("category", "years"),
        ScenarioKind.VDI: ("count", "vms_per_server", "room"),
        ScenarioKind.SCREENS: ("count",),
        ScenarioKind.REFURBISHED: ("category", "share", "second_life_years"),
        ScenarioKind.ROOMS: ("room", "target_room", "pue"),
    }
    REQUIRED = {
        ScenarioKind.LIFETIME: ("category", "years"),
        ScenarioKind.VDI: ("count", "vms_per_server"),
        ScenarioKind.SCREENS: ("count",),
        ScenarioKind.REFURBISHED: ("category", "share"),
        ScenarioKind.ROOMS: ("room",),
    }

    name = forms.CharField(label=_("Nom du scénario"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Levier"), choices=ScenarioKind.choices, widget=forms.HiddenInput
    )

    def __init__(self, *args, institution, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["kind"].initial = kind
        required = self.REQUIRED[kind]
        for name in self.LEVER_FIELDS[kind]:
            self.fields[name] = self._field(name, kind, institution, name in required)
        this_year = timezone.localdate().year
        self.fields["start_year"] = forms.IntegerField(
            label=_("À partir de (année)"), initial=this_year, min_value=2000,
            max_value=this_year + 20, required=False,
            help_text=_("Le levier agit le 1er janvier de cette année ; avant, le scénario "
                        "ne change rien. Vide : l'année en cours."),
        )  # fmt: skip
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    @staticmethod
    def _field(name, kind, institution, required):
        rooms = ServerRoom.objects.for_institution(institution)
        if name == "category":
            choices = sorted(category_labels(institution).items(), key=lambda kv: str(kv[1]))
            return forms.ChoiceField(label=_("Catégorie"), choices=choices, required=required)
        if name == "years":
            return forms.DecimalField(label=_("Années de plus"), min_value=0.5, max_value=10,
                                      required=required)  # fmt: skip
        if name == "count":
            label = _("Postes fixes remplacés") if kind == ScenarioKind.VDI else _("Écrans retirés")
            return forms.IntegerField(label=label, min_value=1, required=required)
        if name == "vms_per_server":
            return forms.IntegerField(label=_("Postes virtuels par serveur"), min_value=1,
                                      max_value=1000, required=required)  # fmt: skip
        if name == "share":
            return forms.DecimalField(
                label=_("Part des achats de l'année faite en reconditionné (%)"),
                min_value=0, max_value=100, required=required,
                help_text=_("La part d'impact évitée vient du jeu de facteurs (ADEME 2022)."),
            )  # fmt: skip
        if name == "second_life_years":
            return forms.DecimalField(
                label=_("Durée de la seconde vie (ans)"), min_value=0.5, max_value=15,
                required=required,
                help_text=_("Vide : la durée de vie de la catégorie. Un reconditionné sert "
                            "souvent moins longtemps qu'un neuf."),
            )  # fmt: skip
        if name == "room":
            label = _("Salle des serveurs VDI") if kind == ScenarioKind.VDI else _("Salle serveur")
            return forms.ModelChoiceField(label=label, queryset=rooms, required=required)
        if name == "target_room":
            return forms.ModelChoiceField(
                label=_("Salle d'accueil"), queryset=rooms, required=required,
                help_text=_("Vide pour changer seulement le PUE."),
            )  # fmt: skip
        return forms.DecimalField(
            label=_("Nouveau PUE"), min_value=1, max_value=5, required=required,
            help_text=_("Sans salle d'accueil."),
        )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("start_year") is None and "start_year" not in self.errors:
            data["start_year"] = timezone.localdate().year
        kind = self.kind
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
        kind = self.kind
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
            life = d.get("second_life_years")
            return {
                "category": d["category"],
                "share": float(d["share"]) / 100,
                "second_life_years": float(life) if life else None,
            }
        params = {"room": d["room"].pk}
        if d.get("target_room"):
            params["target_room"] = d["target_room"].pk
        else:
            params["pue"] = float(d["pue"])
        return params
