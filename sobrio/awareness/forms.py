from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from sobrio.awareness import baking, cleanup, quizzes
from sobrio.awareness.models import (
    COUNT_FIELDS,
    DEVICE_FIELDS,
    GB_FIELDS,
    BadgeClass,
    BadgeIssuer,
    BadgeRule,
    CleanupAction,
    CleanupCampaign,
    Idea,
    IdeaStatus,
    Module,
    Path,
    Quiz,
    Session,
    Team,
    WorkshopKind,
)
from sobrio.core.forms import Form, ModelForm
from sobrio.imports.forms import LimitedFileField
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


# --- Digital Cleanup Day and the idea box ---------------------------------------------------


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


class IdeaForm(ModelForm):
    class Meta:
        model = Idea
        fields = ["title", "theme", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}


class IdeaCommentForm(Form):
    text = forms.CharField(
        label=_("Votre commentaire"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class IdeaModerationForm(Form):
    status = forms.ChoiceField(label=_("Statut"), choices=IdeaStatus.choices)
    reason = forms.CharField(
        label=_("Motif (si non retenue)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    answer = forms.CharField(
        label=_("Réponse publique de l'équipe"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hidden = forms.BooleanField(label=_("Masquer l'idée aux participant·es"), required=False)


class IdeaMergeForm(Form):
    into = forms.ModelChoiceField(label=_("Doublon de"), queryset=Idea.objects.none())

    def __init__(self, *args, idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            Idea.objects.for_institution(idea.institution)
            .exclude(pk=idea.pk)
            .filter(merged_into=None)
        )


class IdeaActionForm(Form):
    axis = forms.ModelChoiceField(label=_("Axe du plan"), queryset=None)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = plan.axes.all()


# --- Open Badges ---------------------------------------------------------------------------


def _https(field, **kwargs):
    """Model URL fields typed without a scheme are read as https (Django 6's default)."""
    from django.db import models

    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def _image_field(label, max_bytes, help_text):
    return LimitedFileField(label=label, required=False, max_bytes=max_bytes, help_text=help_text)


class IssuerForm(ModelForm):
    formfield_callback = _https
    logo = _image_field(
        _("Logo (PNG)"), baking.MAX_PNG_BYTES, _("512 Ko au plus, 16 à 2048 pixels.")
    )

    class Meta:
        model = BadgeIssuer
        fields = ["name", "url", "email", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        try:
            return baking.check_png(upload.read())
        except baking.BadImage as error:
            raise ValidationError(str(error)) from None

    def save(self, commit=True):
        issuer = super().save(commit=False)
        if self.cleaned_data.get("logo"):
            issuer.image = self.cleaned_data["logo"]
        if commit:
            issuer.save()
        return issuer


RULE_FIELDS = {
    BadgeRule.QUIZ: "quiz",
    BadgeRule.MODULE: "module",
    BadgeRule.PATH: "path",
}


class BadgeClassForm(ModelForm):
    formfield_callback = _https
    png = _image_field(
        _("Image PNG"),
        baking.MAX_PNG_BYTES,
        _("512 Ko au plus, carrée de préférence. Vide : un disque bleu aux initiales du badge."),
    )
    svg = _image_field(
        _("Image SVG"),
        baking.MAX_SVG_BYTES,
        _("256 Ko au plus, sans script. Servie comme image du badge si elle est donnée."),
    )
    remove_svg = forms.BooleanField(label=_("Retirer l'image SVG"), required=False)

    class Meta:
        model = BadgeClass
        fields = [
            "name", "slug", "description", "criteria", "tags", "valid_days",
            "alignment_name", "alignment_url", "alignment_framework", "alignment_code",
            "rule", "quiz", "min_score", "module", "path", "workshop_kind", "campaign",
            "archived",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "criteria": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "slug": _("Lettres, chiffres et tirets : il nomme le badge en ligne de commande."),
            "criteria": _("Ce qu'il faut avoir fait pour l'obtenir, tel que le public le lira."),
            "tags": _("Séparés par des virgules."),
            "valid_days": _("Vide : sans expiration."),
        }

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        for name, model in (
            ("quiz", Quiz), ("module", Module), ("path", Path), ("workshop_kind", WorkshopKind),
            ("campaign", CleanupCampaign),
        ):  # fmt: skip
            self.fields[name].queryset = model.objects.for_institution(institution)
        self.fields["min_score"].validators.append(MaxValueValidator(100))
        self.fields["min_score"].widget.attrs["max"] = 100

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        taken = BadgeClass.objects.for_institution(self.institution).filter(slug=slug)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("Un autre badge porte déjà cet identifiant."))
        return slug

    def clean_png(self):
        upload = self.cleaned_data.get("png")
        try:
            return baking.check_png(upload.read()) if upload else None
        except baking.BadImage as error:
            raise ValidationError(str(error)) from None

    def clean_svg(self):
        upload = self.cleaned_data.get("svg")
        try:
            return baking.check_svg(upload.read()) if upload else None
        except baking.BadImage as error:
            raise ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        needed = RULE_FIELDS.get(data.get("rule"))
        if needed and not data.get(needed):
            self.add_error(needed, _("Choisissez-le : la règle en dépend."))
        if data.get("alignment_name") and not data.get("alignment_url"):
            self.add_error("alignment_url", _("Donnez l'adresse où la compétence est décrite."))
        return data

    def save(self, commit=True):
        badge = super().save(commit=False)
        badge.institution = self.institution
        if self.cleaned_data.get("png"):
            badge.image_png = self.cleaned_data["png"]
        if self.cleaned_data.get("svg"):
            badge.image_svg = self.cleaned_data["svg"]
        elif self.cleaned_data.get("remove_svg"):
            badge.image_svg = ""
        if commit:
            badge.save()
        return badge


class AwardForm(Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    evidence_url = forms.URLField(
        label=_("Preuve (adresse)"), max_length=500, required=False,
        assume_scheme="https",
    )  # fmt: skip
    narrative = forms.CharField(
        label=_("Commentaire"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class AwardListForm(Form):
    file = LimitedFileField(
        label=_("Liste des personnes (CSV, XLSX ou ODS)"),
        help_text=_(
            "Une colonne « email » ; facultatives : « nom », « preuve » (adresse), "
            "« commentaire ». 5 000 lignes au plus."
        ),
    )
    evidence_url = forms.URLField(
        label=_("Preuve commune (adresse)"), max_length=500, required=False,
        assume_scheme="https",
    )  # fmt: skip
    narrative = forms.CharField(label=_("Commentaire commun"), max_length=2000, required=False)
    valid_only = forms.BooleanField(
        label=_(
            "Délivrer aux lignes valides seulement (sinon rien n'est délivré s'il y a une erreur)"
        ),
        required=False,
    )


class RevokeForm(Form):
    reason = forms.CharField(
        label=_("Motif du retrait (public)"), max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip
