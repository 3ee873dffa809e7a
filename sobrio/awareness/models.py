"""Awareness (Agir — Sensibiliser): quizzes and their attempts; workshops and webinars
with registrations; training modules, paths and certificates; Digital Cleanup Day
campaigns with their teams and pledges; the idea box.

People are core.User rows reached through their membership of the institution (a
participant, or a member of the team taking part): identity stays in core.
"""

import uuid

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
    data = models.JSONField(_("réponses"), default=dict)  # shape: awareness/gift.py
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


# --- Digital Cleanup Day ------------------------------------------------------------------


class CleanupCampaign(InstitutionOwned):
    name = models.CharField(_("nom"), max_length=200)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    description = models.TextField(_("présentation (markdown)"), blank=True)
    anonymous = models.BooleanField(
        _("déclarations sans connexion"),
        default=False,
        help_text=_(
            "Anonymes, ouvertes à tous : elles comptent une fois acceptées par l'équipe. "
            "Sinon, seules les personnes connectées à l'espace « Participer » déclarent."
        ),
    )
    moderate_all = models.BooleanField(
        _("modérer aussi les déclarations des personnes connectées"), default=False
    )
    goal_participants = models.PositiveIntegerField(_("objectif : participant·es"), null=True,
                                                    blank=True)  # fmt: skip
    goal_gb = models.PositiveIntegerField(_("objectif : Go supprimés"), null=True, blank=True)
    goal_devices = models.PositiveIntegerField(_("objectif : appareils collectés"), null=True,
                                               blank=True)  # fmt: skip
    substitution_percent = models.PositiveSmallIntegerField(
        _("appareils réemployés qui évitent un achat neuf (%)"),
        null=True,
        blank=True,
        help_text=_(
            "Hypothèse de substitution : sans elle, aucune fabrication évitée n'est affichée."
        ),
    )
    factor_set = models.ForeignKey(
        "footprint.FactorSet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jeu de facteurs"),
        help_text=_("Vide : le jeu « Journée du nettoyage numérique » livré avec Sobrio."),
    )
    action = models.ForeignKey(
        "plan.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("action du plan réalisée"),
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("campagne de nettoyage")

    def __str__(self):
        return self.name


class TeamKind(models.TextChoices):
    UNIT = "unit", _("Service ou composante")
    LAB = "lab", _("Laboratoire")
    ASSOCIATION = "association", _("Association étudiante")
    OTHER = "other", _("Autre")


class Team(InstitutionOwned):
    campaign = models.ForeignKey(CleanupCampaign, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=12, choices=TeamKind, default=TeamKind.UNIT)
    unit = models.ForeignKey(
        "core.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unité"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("équipe")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="team_name_unique")
        ]

    def __str__(self):
        return self.name


class PledgeState(models.TextChoices):
    PENDING = "pending", _("À modérer")
    ACCEPTED = "accepted", _("Acceptée")
    REJECTED = "rejected", _("Refusée")


# What a pledge declares, field by field: the form, the totals, the CSV and the CLI read
# these lists, so that a new place or device is one line here and one column.
GB_FIELDS = ("gb_mailbox", "gb_personal_drive", "gb_shared_drive", "gb_phone", "gb_cloud")
COUNT_FIELDS = ("mails_deleted", "files_deleted")
DEVICE_KINDS = ("laptop", "smartphone", "tablet", "screen")
DEVICE_FIELDS = tuple(f"{k}_{w}" for k in DEVICE_KINDS for w in ("reuse", "recycling"))


class CleanupAction(models.TextChoices):
    NEWSLETTERS = "newsletters", _("Désabonnement de lettres d'information")
    BINS = "bins", _("Corbeilles vidées")
    ATTACHMENTS = "attachments", _("Pièces jointes remplacées par des liens")
    DUPLICATES = "duplicates", _("Doublons et photos floues supprimés")
    APPS = "apps", _("Applications inutilisées désinstallées")
    ACCOUNTS = "accounts", _("Comptes inutilisés fermés")
    RULES = "rules", _("Règles de tri ou d'archivage du courrier")


class Pledge(InstitutionOwned):
    """One declaration. Its counts change by the second on the campaign's morning: pages
    read them live, and a pledge does not renew the institution's cached pages."""

    freshness_exempt = True

    campaign = models.ForeignKey(CleanupCampaign, on_delete=models.CASCADE, related_name="pledges")
    token = models.UUIDField(unique=True)  # the form's: a resubmitted form is one pledge
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pledges",
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="pledges",
        verbose_name=_("équipe"),
    )  # fmt: skip
    unit = models.ForeignKey(
        "core.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("unité"),
    )  # fmt: skip
    state = models.CharField(_("état"), max_length=10, choices=PledgeState)
    gb_mailbox = models.FloatField(_("messagerie (Go)"), default=0)
    gb_personal_drive = models.FloatField(_("espace personnel (Go)"), default=0)
    gb_shared_drive = models.FloatField(_("espace partagé (Go)"), default=0)
    gb_phone = models.FloatField(_("téléphone (Go)"), default=0)
    gb_cloud = models.FloatField(_("cloud (Go)"), default=0)
    mails_deleted = models.PositiveIntegerField(_("courriels supprimés"), default=0)
    files_deleted = models.PositiveIntegerField(_("fichiers supprimés"), default=0)
    laptop_reuse = models.PositiveSmallIntegerField(_("ordinateurs portables à réemployer"),
                                                    default=0)  # fmt: skip
    laptop_recycling = models.PositiveSmallIntegerField(_("ordinateurs portables à recycler"),
                                                        default=0)  # fmt: skip
    smartphone_reuse = models.PositiveSmallIntegerField(_("smartphones à réemployer"), default=0)
    smartphone_recycling = models.PositiveSmallIntegerField(_("smartphones à recycler"),
                                                            default=0)  # fmt: skip
    tablet_reuse = models.PositiveSmallIntegerField(_("tablettes à réemployer"), default=0)
    tablet_recycling = models.PositiveSmallIntegerField(_("tablettes à recycler"), default=0)
    screen_reuse = models.PositiveSmallIntegerField(_("écrans à réemployer"), default=0)
    screen_recycling = models.PositiveSmallIntegerField(_("écrans à recycler"), default=0)
    cables_kg = models.FloatField(_("câbles et chargeurs (kg)"), default=0)
    actions = models.JSONField(_("gestes"), default=list, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("déclaration")
        indexes = [models.Index(fields=["campaign", "state"], name="pledge_campaign_state")]

    @property
    def gb_deleted(self):
        return sum(getattr(self, f) for f in GB_FIELDS)

    @property
    def devices(self):
        return sum(getattr(self, f) for f in DEVICE_FIELDS)


# --- the idea box ----------------------------------------------------------------------------


class IdeaTheme(models.TextChoices):
    EQUIPMENT = "equipment", _("Matériel et réemploi")
    USES = "uses", _("Usages et bonnes pratiques")
    DATA = "data", _("Données et stockage")
    PURCHASING = "purchasing", _("Achats")
    SERVICES = "services", _("Services numériques")
    TRAINING = "training", _("Sensibilisation et formation")
    OTHER = "other", _("Autre")


class IdeaStatus(models.TextChoices):
    RECEIVED = "received", _("Reçue")
    STUDIED = "studied", _("À l'étude")
    ACCEPTED = "accepted", _("Retenue")
    DONE = "done", _("Réalisée")
    DECLINED = "declined", _("Non retenue")


class Idea(InstitutionOwned):
    title = models.CharField(_("titre"), max_length=150)
    text = models.TextField(_("description"), max_length=4000)
    theme = models.CharField(_("thème"), max_length=12, choices=IdeaTheme)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="ideas",
    )  # fmt: skip
    status = models.CharField(
        _("statut"), max_length=10, choices=IdeaStatus, default=IdeaStatus.RECEIVED
    )
    reason = models.TextField(_("motif"), blank=True)  # why declined
    answer = models.TextField(_("réponse de l'équipe"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(_("masquée"), default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged",
        verbose_name=_("fusionnée avec"),
    )  # fmt: skip
    action = models.ForeignKey(
        "plan.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("action du plan"),
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("idée")

    def __str__(self):
        return self.title


class IdeaVote(InstitutionOwned):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_votes"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="idea_vote_unique")]


class IdeaComment(InstitutionOwned):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_comments"
    )
    text = models.TextField(_("commentaire"), max_length=2000)
    hidden = models.BooleanField(_("masqué"), default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("commentaire")


# --- Open Badges ----------------------------------------------------------------------------


class BadgeIssuer(InstitutionOwned):
    """The institution as an Open Badges issuer: its public profile (one per institution)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nom de l'émetteur"), max_length=200)
    url = models.URLField(
        _("site web"), max_length=300, blank=True,
        help_text=_("Vide : la page « Participer » de l'établissement sur ce serveur."),
    )  # fmt: skip
    email = models.EmailField(_("adresse de contact"))
    description = models.TextField(_("présentation"), max_length=2000, blank=True)
    image = models.BinaryField(_("logo (PNG)"), null=True, blank=True)

    class Meta:
        verbose_name = _("émetteur de badges")
        constraints = [models.UniqueConstraint(fields=["institution"], name="badge_issuer_unique")]

    def __str__(self):
        return self.name


class BadgeKey(InstitutionOwned):
    """An RS256 key pair of an issuer for Open Badges 3.0. The private key is kept
    encrypted (badge_keys.py); a rotated key stops signing and keeps being published, so
    the credentials it signed still verify."""

    issuer = models.ForeignKey(BadgeIssuer, on_delete=models.CASCADE, related_name="keys")
    kid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    public_jwk = models.JSONField()
    private_key = models.BinaryField()  # Fernet token of the PKCS#8 PEM
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class BadgeRule(models.TextChoices):
    MANUAL = "manual", _("À la main (une personne, ou une liste d'adresses)")
    QUIZ = "quiz", _("Quiz réussi")
    MODULE = "module", _("Module validé")
    PATH = "path", _("Parcours validé (avec son attestation)")
    WORKSHOP = "workshop", _("Atelier suivi (présence pointée)")
    CLEANUP = "cleanup", _("Déclaration de nettoyage acceptée")
    IDEA = "idea", _("Idée retenue")


class BadgeClass(InstitutionOwned):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("identifiant court"), max_length=60)
    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("description"), max_length=2000)
    criteria = models.TextField(_("critères d'obtention"), max_length=4000)
    tags = models.CharField(_("mots-clés"), max_length=300, blank=True)  # comma-separated
    image_png = models.BinaryField(_("image PNG"), null=True, blank=True)
    image_svg = models.TextField(_("image SVG"), blank=True)
    alignment_name = models.CharField(_("compétence visée"), max_length=200, blank=True)
    alignment_url = models.URLField(_("adresse de la compétence"), max_length=300, blank=True)
    alignment_framework = models.CharField(_("référentiel"), max_length=200, blank=True)
    alignment_code = models.CharField(_("code dans le référentiel"), max_length=60, blank=True)
    valid_days = models.PositiveIntegerField(_("validité (jours)"), null=True, blank=True)
    rule = models.CharField(
        _("délivré quand"), max_length=10, choices=BadgeRule, default=BadgeRule.MANUAL
    )
    quiz = models.ForeignKey(
        Quiz, on_delete=models.PROTECT, null=True, blank=True, related_name="badges",
        verbose_name=_("quiz"),
    )  # fmt: skip
    min_score = models.PositiveSmallIntegerField(
        _("note minimale (%)"), null=True, blank=True,
        help_text=_("Vide : le seuil de réussite du quiz."),
    )  # fmt: skip
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, null=True, blank=True, related_name="badges",
        verbose_name=_("module"),
    )  # fmt: skip
    path = models.ForeignKey(
        Path, on_delete=models.PROTECT, null=True, blank=True, related_name="badges",
        verbose_name=_("parcours"),
    )  # fmt: skip
    workshop_kind = models.ForeignKey(
        WorkshopKind, on_delete=models.PROTECT, null=True, blank=True, related_name="badges",
        verbose_name=_("atelier"), help_text=_("Vide : tout atelier."),
    )  # fmt: skip
    campaign = models.ForeignKey(
        CleanupCampaign, on_delete=models.PROTECT, null=True, blank=True, related_name="badges",
        verbose_name=_("campagne"), help_text=_("Vide : toute campagne."),
    )  # fmt: skip
    archived = models.BooleanField(_("archivé (plus délivré)"), default=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("badge")
        constraints = [
            models.UniqueConstraint(fields=["institution", "slug"], name="badge_class_slug")
        ]

    def __str__(self):
        return self.name

    def tag_list(self):
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class BadgeAssertion(InstitutionOwned):
    """A badge awarded to one person (an email address), once per badge."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    badge = models.ForeignKey(BadgeClass, on_delete=models.PROTECT, related_name="assertions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="badges",
    )  # fmt: skip
    email = models.EmailField(_("adresse du titulaire"))
    holder_name = models.CharField(_("titulaire"), max_length=150, blank=True)
    salt = models.CharField(max_length=32)
    identity = models.CharField(max_length=80)  # "sha256$" + hex(sha256(email + salt))
    issued_at = models.DateTimeField(_("délivré le"))
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    evidence_url = models.URLField(_("preuve (adresse)"), max_length=500, blank=True)
    narrative = models.TextField(_("commentaire"), max_length=2000, blank=True)
    source = models.CharField(_("délivré par"), max_length=10, choices=BadgeRule)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    status_index = models.PositiveIntegerField()  # its bit in the issuer's status list
    revoked_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    revocation_reason = models.CharField(_("motif du retrait"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("badge délivré")
        constraints = [
            models.UniqueConstraint(fields=["badge", "email"], name="badge_once_per_person"),
            models.UniqueConstraint(
                fields=["institution", "status_index"], name="badge_status_index"
            ),
        ]

    def __str__(self):
        return f"{self.badge} — {self.holder_name or self.email}"
