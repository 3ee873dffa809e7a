from django import forms
from django.utils.translation import gettext_lazy as _

from sobrio.core.forms import Form, ModelForm
from sobrio.imports.forms import LimitedFileField
from sobrio.learning import quizzes
from sobrio.learning.models import Module, Path, Quiz, Session, WorkshopKind
from sobrio.plan.models import Action


class GiftImportForm(Form):
    name = forms.CharField(
        label=_("Nom du nouveau quiz"),
        max_length=200,
        required=False,
        help_text=_("Vide : le nom du fichier. Sans effet si vous ajoutez à un quiz existant."),
    )
    file = LimitedFileField(
        label=_("Fichier GIFT"),
        max_bytes=quizzes.GIFT_MAX_BYTES,
        help_text=_("Le format texte de Moodle (.gift ou .txt), en UTF-8 ou Windows-1252."),
    )
    valid_only = forms.BooleanField(
        label=_("Importer seulement les questions lisibles"),
        required=False,
        help_text=_("Sinon, rien n'est importé tant qu'une question ne se lit pas."),
    )


class QuizSettingsForm(ModelForm):
    overall_feedback_text = forms.CharField(
        label=_("Commentaire selon la note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Une ligne par tranche : la note minimale en %, un point-virgule, le texte. "
            "Par exemple « 80; Bravo ! » puis « 0; Revoyez le module. »"
        ),
    )

    class Meta:
        model = Quiz
        fields = [
            "name",
            "intro",
            "published",
            "opens_at",
            "closes_at",
            "time_limit_minutes",
            "attempts_allowed",
            "grade_method",
            "pass_mark",
            "per_page",
            "shuffle_questions",
            "shuffle_answers",
            "show_score",
            "show_right_answers",
            "show_feedback",
            "action",
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "intro": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = Action.objects.for_institution(institution)
        self.fields["opens_at"].input_formats = ["%Y-%m-%dT%H:%M"]
        self.fields["closes_at"].input_formats = ["%Y-%m-%dT%H:%M"]
        bands = self.instance.overall_feedback or []
        self.fields["overall_feedback_text"].initial = "\n".join(
            f"{b.get('min', 0):g}; {b.get('text', '')}" for b in bands if isinstance(b, dict)
        )

    def clean_pass_mark(self):
        value = self.cleaned_data["pass_mark"]
        if value > 100:
            raise forms.ValidationError(_("Une note entre 0 et 100 %."))
        return value

    def clean_overall_feedback_text(self):
        bands = []
        lines = self.cleaned_data["overall_feedback_text"].splitlines()
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            low, sep, text = line.partition(";")
            try:
                value = float(low.strip().rstrip("%").replace(",", "."))
            except ValueError:
                value = None
            if not sep or value is None or not 0 <= value <= 100:
                raise forms.ValidationError(
                    _("Ligne %(n)s : une note de 0 à 100, un point-virgule, puis le texte.")
                    % {"n": number}
                )
            bands.append({"min": value, "text": text.strip()})
        return bands

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("La fermeture suit l'ouverture."))
        return data

    def save(self, commit=True):
        self.instance.overall_feedback = self.cleaned_data["overall_feedback_text"]
        return super().save(commit)


class EssayGradeForm(Form):
    percent = forms.FloatField(label=_("Note (%)"), min_value=0, max_value=100)
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class WorkshopKindForm(ModelForm):
    class Meta:
        model = WorkshopKind
        fields = ["name", "description", "duration_minutes", "online"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SessionForm(ModelForm):
    link = forms.URLField(
        label=_("Lien de connexion"),
        required=False,
        assume_scheme="https",
        help_text=_("À distance : envoyé aux seules personnes inscrites."),
    )
    recording_url = forms.URLField(label=_("Enregistrement"), required=False, assume_scheme="https")
    question_1 = forms.CharField(label=_("Question 1 à l'inscription"), required=False)
    question_2 = forms.CharField(label=_("Question 2 à l'inscription"), required=False)
    question_3 = forms.CharField(label=_("Question 3 à l'inscription"), required=False)

    class Meta:
        model = Session
        fields = [
            "kind",
            "title",
            "starts_at",
            "duration_minutes",
            "place",
            "link",
            "capacity",
            "animators",
            "audience",
            "language",
            "approval",
            "offer_hours",
            "recording_url",
            "action",
        ]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}
        help_texts = {"starts_at": _("Heure de Paris.")}

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = WorkshopKind.objects.for_institution(institution)
        self.fields["action"].queryset = Action.objects.for_institution(institution)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M"]
        for i, text in enumerate((self.instance.questions or [])[:3], start=1):
            self.fields[f"question_{i}"].initial = text

    def clean(self):
        data = super().clean()
        if data.get("capacity") == 0:
            self.add_error("capacity", _("Une place au moins."))
        if not data.get("place") and not data.get("link"):
            self.add_error("place", _("Indiquez un lieu, ou un lien pour une séance à distance."))
        return data

    def save(self, commit=True):
        self.instance.questions = [
            self.cleaned_data[f"question_{i}"].strip()
            for i in (1, 2, 3)
            if self.cleaned_data[f"question_{i}"].strip()
        ]
        return super().save(commit)


class RegistrationForm(Form):
    """The session's own questions (up to three), all optional."""

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        for i, text in enumerate(session.questions or []):
            self.fields[f"answer_{i}"] = forms.CharField(label=text, required=False, max_length=500)

    def answers(self):
        return [self.cleaned_data.get(f"answer_{i}", "") for i in range(len(self.fields))]


class SurveyForm(Form):
    rating = forms.TypedChoiceField(
        label=_("Votre avis sur la séance"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("De 1 (pas du tout satisfait·e) à 5 (très satisfait·e). Anonyme."),
    )
    comment = forms.CharField(
        label=_("Un commentaire ?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModuleForm(ModelForm):
    class Meta:
        model = Module
        fields = [
            "title",
            "objectives",
            "content",
            "duration_minutes",
            "validation",
            "quiz",
            "workshop_kind",
        ]
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "content": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quiz"].queryset = Quiz.objects.for_institution(institution)
        self.fields["workshop_kind"].queryset = WorkshopKind.objects.for_institution(institution)

    def clean(self):
        data = super().clean()
        how = data.get("validation")
        if how == "quiz" and not data.get("quiz"):
            self.add_error("quiz", _("Choisissez le quiz qui valide le module."))
        if how == "workshop" and not data.get("workshop_kind"):
            self.add_error("workshop_kind", _("Choisissez le type d'atelier qui valide le module."))
        return data


class PathForm(ModelForm):
    """The path and its modules: a number gives a module's place in the path."""

    class Meta:
        model = Path
        fields = ["title", "description", "published", "sequential", "certificate"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        current = {}
        if self.instance.pk:
            current = {s.module_id: s.position for s in self.instance.steps.all()}
        self.module_fields = []
        for module in Module.objects.for_institution(institution):
            name = f"module_{module.pk}"
            self.fields[name] = forms.IntegerField(
                label=module.title,
                required=False,
                min_value=1,
                max_value=99,
                initial=current.get(module.pk),
                help_text=_("Place dans le parcours ; vide : pas dans ce parcours."),
            )
            self.module_fields.append((module, name))

    def module_boundfields(self):
        return [self[name] for _module, name in self.module_fields]

    def chosen(self):
        """[(module, position)] in the path's order."""
        picked = [
            (module, self.cleaned_data[name])
            for module, name in self.module_fields
            if self.cleaned_data.get(name)
        ]
        return sorted(picked, key=lambda p: (p[1], p[0].title))


class DecisionForm(Form):
    email = forms.EmailField(label=_("Adresse de la personne"))
    passed = forms.TypedChoiceField(
        label=_("Décision"),
        choices=[("1", _("Validé")), ("0", _("Non validé"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    on = forms.DateField(
        label=_("Date de la décision"), widget=forms.DateInput(attrs={"type": "date"})
    )
    comment = forms.CharField(
        label=_("Commentaire du jury"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
