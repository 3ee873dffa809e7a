"""Learning (Agir — Former): quizzes and their attempts; workshops and webinars with
registrations; training modules, paths and certificates.

People are core.User rows reached through their membership of the institution (a
participant, or a member of the team taking part): identity stays in core.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sobrio.core.models import InstitutionOwned


class TextFormat(models.TextChoices):
    MOODLE = "moodle", _("Texte (Moodle)")
    MARKDOWN = "markdown", _("Markdown")
    HTML = "html", _("HTML")
    PLAIN = "plain", _("Texte brut")


class QuestionType(models.TextChoices):  # Moodle's names
    MULTICHOICE = "multichoice", _("Choix multiple")
    TRUEFALSE = "truefalse", _("Vrai / faux")
    SHORTANSWER = "shortanswer", _("Réponse courte")
    NUMERICAL = "numerical", _("Numérique")
    MATCH = "match", _("Appariement")
    ESSAY = "essay", _("Composition")
    DESCRIPTION = "description", _("Description")


class GradeMethod(models.TextChoices):
    HIGHEST = "highest", _("Meilleure tentative")
    AVERAGE = "average", _("Moyenne des tentatives")
    FIRST = "first", _("Première tentative")
    LAST = "last", _("Dernière tentative")


class Quiz(InstitutionOwned):
    name = models.CharField(_("nom"), max_length=200)
    intro = models.TextField(_("présentation"), blank=True)
    published = models.BooleanField(
        _("ouvert aux participant·es"),
        default=False,
        help_text=_("Visible dans l'espace « Participer » entre l'ouverture et la fermeture."),
    )
    opens_at = models.DateTimeField(_("ouverture"), null=True, blank=True)
    closes_at = models.DateTimeField(_("fermeture"), null=True, blank=True)
    time_limit_minutes = models.PositiveIntegerField(
        _("durée limite (minutes)"), null=True, blank=True
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("tentatives autorisées"), default=0, help_text=_("0 : sans limite.")
    )
    grade_method = models.CharField(
        _("note retenue"), max_length=10, choices=GradeMethod, default=GradeMethod.HIGHEST
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("note pour réussir (%)"), default=50, help_text=_("De 0 à 100.")
    )
    shuffle_questions = models.BooleanField(_("mélanger les questions"), default=False)
    shuffle_answers = models.BooleanField(_("mélanger les réponses"), default=True)
    per_page = models.PositiveSmallIntegerField(
        _("questions par page"), default=1, help_text=_("0 : toutes sur une seule page.")
    )
    show_score = models.BooleanField(_("montrer la note après la tentative"), default=True)
    show_right_answers = models.BooleanField(_("montrer les bonnes réponses"), default=True)
    show_feedback = models.BooleanField(_("montrer les commentaires"), default=True)
    # [{"min": 0-100 inclusive, "text": "..."}]: the band whose min is the highest <= score
    overall_feedback = models.JSONField(_("commentaire selon la note"), default=list, blank=True)
    action = models.ForeignKey(
        "plan.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("action du plan réalisée"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quiz")

    def __str__(self):
        return self.name


class Question(InstitutionOwned):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("ordre"), default=0)
    name = models.CharField(_("nom"), max_length=255, blank=True)
    category = models.CharField(_("catégorie"), max_length=255, blank=True)
    qtype = models.CharField(_("type"), max_length=20, choices=QuestionType)
    text = models.TextField(_("énoncé"))
    text_format = models.CharField(
        _("format"), max_length=10, choices=TextFormat, default=TextFormat.MOODLE
    )
    general_feedback = models.TextField(_("commentaire général"), blank=True)
    data = models.JSONField(_("réponses"), default=dict)  # shape: learning/gift.py
    mark = models.FloatField(_("points"), default=1.0)

    class Meta:
        ordering = ["quiz", "position", "pk"]
        verbose_name = _("question")

    def __str__(self):
        return self.name or self.text[:60]


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("En cours")
    FINISHED = "finished", _("Terminée")


class Attempt(InstitutionOwned):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField(_("tentative"))
    state = models.CharField(
        _("état"), max_length=12, choices=AttemptState, default=AttemptState.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("commencée"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminée"), null=True, blank=True)
    # the questions in the order shown, and each one's answers in the order shown
    layout = models.JSONField(default=list)
    score = models.FloatField(_("note (0 à 1)"), null=True, blank=True)  # None: to grade

    class Meta:
        ordering = ["quiz", "user", "number"]
        verbose_name = _("tentative")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="attempt_number"),
            # one attempt in progress per person and quiz: a double submit cannot fork it
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=models.Q(state="in_progress"),
                name="attempt_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.quiz} — {self.user} #{self.number}"


class Response(InstitutionOwned):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="responses")
    answer = models.JSONField(null=True, blank=True)
    fraction = models.FloatField(null=True, blank=True)  # None: an essay to grade
    feedback = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("commentaire de la correction"), blank=True)

    class Meta:
        verbose_name = _("réponse")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="response_unique")
        ]


class WorkshopKind(InstitutionOwned):
    """A kind of workshop the officer runs: Fresque du Numérique, repair café, webinar…"""

    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    duration_minutes = models.PositiveIntegerField(_("durée habituelle (minutes)"), default=120)
    online = models.BooleanField(_("à distance (webinaire)"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("type d'atelier")
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="workshop_kind_name")
        ]

    def __str__(self):
        return self.name


class Audience(models.TextChoices):
    INTERNAL = "internal", _("Communauté de l'établissement")
    PUBLIC = "public", _("Ouvert au public")


class Session(InstitutionOwned):
    kind = models.ForeignKey(WorkshopKind, on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(_("intitulé"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    link = models.URLField(
        _("lien de connexion"),
        blank=True,
        help_text=_("À distance : envoyé aux seules personnes inscrites."),
    )
    capacity = models.PositiveIntegerField(_("places"))
    animators = models.CharField(_("animation"), max_length=200, blank=True)
    audience = models.CharField(
        _("public"), max_length=10, choices=Audience, default=Audience.INTERNAL
    )
    language = models.CharField(_("langue"), max_length=5, default="fr")
    approval = models.BooleanField(_("inscriptions validées par l'équipe"), default=False)
    questions = models.JSONField(
        _("questions à l'inscription"), default=list, blank=True
    )  # up to three texts
    offer_hours = models.PositiveSmallIntegerField(
        _("délai pour accepter une place libérée (heures)"), default=48
    )
    recording_url = models.URLField(_("enregistrement"), blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    # RFC 5545's SEQUENCE: raised when the session moves or is cancelled, so calendars
    # take the invitation they receive as an update of the one they hold
    sequence = models.PositiveIntegerField(default=0, editable=False)
    action = models.ForeignKey(
        "plan.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("action du plan réalisée"),
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("séance")

    def __str__(self):
        return self.title or str(self.kind)


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    CONFIRMED = "confirmed", _("Inscrit·e")
    WAITING = "waiting", _("Sur liste d'attente")
    OFFERED = "offered", _("Place proposée")
    WITHDRAWN = "withdrawn", _("Désinscrit·e")
    REJECTED = "rejected", _("Refusée")
    EXPIRED = "expired", _("Place proposée non confirmée")


class Registration(InstitutionOwned):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_registrations"
    )
    state = models.CharField(_("état"), max_length=10, choices=RegistrationState)
    answers = models.JSONField(_("réponses"), default=list, blank=True)
    queued_at = models.DateTimeField(_("arrivée"), auto_now_add=True)  # the line's order
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("présence"), null=True, blank=True)
    surveyed = models.BooleanField(default=False)  # the anonymous survey is answered

    class Meta:
        ordering = ["session", "queued_at", "pk"]
        verbose_name = _("inscription")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="registration_unique")
        ]


class SurveyAnswer(InstitutionOwned):
    """Anonymous: no link to the person, who is only marked as having answered."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="survey")
    rating = models.PositiveSmallIntegerField(_("note (1 à 5)"))
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("avis")


class Validation(models.TextChoices):
    QUIZ = "quiz", _("Un quiz réussi")
    WORKSHOP = "workshop", _("Un atelier suivi")
    DECISION = "decision", _("La décision d'un jury")


class Module(InstitutionOwned):
    title = models.CharField(_("intitulé"), max_length=200)
    objectives = models.TextField(_("objectifs"), blank=True)
    content = models.TextField(_("contenu (markdown)"), blank=True)
    duration_minutes = models.PositiveIntegerField(_("durée prévue (minutes)"), default=60)
    validation = models.CharField(_("validé par"), max_length=10, choices=Validation)
    quiz = models.ForeignKey(
        Quiz, on_delete=models.SET_NULL, null=True, blank=True, related_name="modules"
    )
    workshop_kind = models.ForeignKey(
        WorkshopKind,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="modules",
        verbose_name=_("type d'atelier"),
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("module")

    def __str__(self):
        return self.title


class Path(InstitutionOwned):
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    published = models.BooleanField(_("ouvert aux participant·es"), default=False)
    sequential = models.BooleanField(
        _("modules dans l'ordre"),
        default=False,
        help_text=_("Un module s'ouvre quand le précédent est validé."),
    )
    certificate = models.BooleanField(
        _("attestation"), default=True, help_text=_("Délivrée quand tous les modules sont validés.")
    )
    modules = models.ManyToManyField(Module, through="PathModule", related_name="paths")

    class Meta:
        ordering = ["title"]
        verbose_name = _("parcours")
        verbose_name_plural = _("parcours")

    def __str__(self):
        return self.title


class PathModule(InstitutionOwned):
    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="steps")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["path", "position"]
        constraints = [
            models.UniqueConstraint(fields=["path", "module"], name="path_module_unique")
        ]


class ModuleValidation(InstitutionOwned):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="validations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_validations"
    )
    passed = models.BooleanField(_("validé"), default=True)
    on = models.DateField(_("date"))
    how = models.CharField(_("validé par"), max_length=10, choices=Validation)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décision de"),
    )
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["module", "-on"]
        verbose_name = _("validation de module")
        constraints = [
            models.UniqueConstraint(fields=["module", "user"], name="module_validation_unique")
        ]


class Certificate(InstitutionOwned):
    path = models.ForeignKey(Path, on_delete=models.PROTECT, related_name="certificates")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    holder_name = models.CharField(_("titulaire"), max_length=150)
    issued_on = models.DateField(_("délivrée le"))
    code = models.CharField(_("code de vérification"), max_length=32, unique=True)
    revoked_at = models.DateTimeField(_("retirée le"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_on"]
        verbose_name = _("attestation")
        constraints = [models.UniqueConstraint(fields=["path", "user"], name="certificate_unique")]

    def __str__(self):
        return f"{self.path} — {self.holder_name}"

    @property
    def public_holder(self):
        """The holder as the public verification page and the PDF show them: a name, or
        initials (an older certificate may hold an address)."""
        from sobrio.core import names

        return names.public(self.holder_name)
