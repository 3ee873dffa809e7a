"""The learning part of the demo: a quiz with attempts of a few people, workshops past
and to come with registrations, a waiting list, attendance and survey answers, and the
ambassadors' path that one of them completes.
Idempotent, in Sobrio's own words."""

import datetime
from pathlib import Path as FilePath

from django.http import QueryDict
from django.utils import timezone

from sobrio.core import demo as core_demo
from sobrio.core.models import User
from sobrio.learning import paths, quizzes, workshops
from sobrio.learning.models import (
    Audience,
    Module,
    Path,
    PathModule,
    Quiz,
    Session,
    SurveyAnswer,
    Validation,
    WorkshopKind,
)

DATA = FilePath(__file__).parent / "demo_data"
QUIZ_NAME = "Les bons réflexes du numérique responsable"
# answers by question name: the demo's community (core/demo.py) took the quiz already
ANSWERS = {
    "leo.martin@demo.sobrio.fr":
        {"Phase dominante": 0, "Durée de vie": "1", "Reconditionné": [0, 1], "Veille": "0",
         "PUE": 2, "Données": "0,2", "Sigle": "électroniques", "Idée": "Éteindre la nuit."},
    "nina.roux@demo.sobrio.fr":
        {"Phase dominante": 1, "Durée de vie": "1", "Reconditionné": [0], "Veille": "1",
         "PUE": 0, "Données": "4", "Sigle": "electroniques"},
    "sam.petit@demo.sobrio.fr":
        {"Phase dominante": 0, "Durée de vie": "1", "Reconditionné": [0, 1, 2], "Veille": "0",
         "PUE": 2, "Données": "0,3", "Sigle": "électroniques"},
}  # fmt: skip


def _answer(quiz, user, answers):
    attempt = quizzes.start(quiz, user)
    by_name = {q.name: q for q in quiz.questions.all()}
    post = QueryDict(mutable=True)
    for name, value in answers.items():
        question = by_name[name]
        post[f"page-q{question.pk}"] = "1"
        if isinstance(value, list):
            post.setlist(f"q{question.pk}", [str(v) for v in value])
        elif question.qtype == "match":
            for i, pair in enumerate(question.data["pairs"]):
                post[f"q{question.pk}-{i}"] = pair["right"]
        else:
            post[f"q{question.pk}"] = str(value)
    quizzes.save_answers(attempt, post)
    quizzes.finish(attempt)


KINDS = [
    ("Fresque du Numérique", 180, False,
     "Trois heures en équipe pour comprendre, carte après carte, d'où vient l'empreinte du "
     "numérique et ce qui la réduit."),
    ("Atelier de réparation", 120, False,
     "Apportez un ordinateur ou un téléphone qui flanche : on diagnostique et on répare ensemble."),
    ("Webinaire sobriété numérique", 60, True,
     "Une heure en ligne sur les gestes qui comptent, questions comprises."),
]  # fmt: skip


def _kinds(institution):
    kinds = {}
    for name, minutes, online, description in KINDS:
        kinds[name], _created = WorkshopKind.objects.get_or_create(
            institution=institution,
            name=name,
            defaults={"duration_minutes": minutes, "online": online, "description": description},
        )
    return kinds


def _workshops(institution, people):
    kinds = _kinds(institution)
    if Session.objects.for_institution(institution).exists():
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    past = Session.objects.create(
        institution=institution, kind=kinds["Fresque du Numérique"], title="Fresque de rentrée",
        starts_at=now - datetime.timedelta(days=30), duration_minutes=180,
        place="Bibliothèque universitaire, salle 2", capacity=8, animators="Dominique Référente",
    )  # fmt: skip
    coming = Session.objects.create(
        institution=institution, kind=kinds["Fresque du Numérique"],
        starts_at=now + datetime.timedelta(days=12, hours=2), duration_minutes=180,
        place="Maison de l'étudiant", capacity=3, animators="Dominique Référente",
        questions=["Votre composante ou service ?"],
    )  # fmt: skip
    Session.objects.create(
        institution=institution, kind=kinds["Webinaire sobriété numérique"],
        title="Webinaire : garder son ordinateur plus longtemps",
        starts_at=now + datetime.timedelta(days=20), duration_minutes=60,
        link="https://visio.demo.sobrio.fr/sobriete", capacity=100,
        audience=Audience.PUBLIC,
    )  # fmt: skip
    Session.objects.create(
        institution=institution, kind=kinds["Atelier de réparation"],
        starts_at=now + datetime.timedelta(days=5), duration_minutes=120,
        place="Fablab de l'IUT", capacity=6, approval=True,
    )  # fmt: skip
    for user in people:  # the past one: they came, and most said what they thought
        registration = workshops.register(
            past, user, now=past.starts_at - datetime.timedelta(days=7)
        )
        workshops.check_in(registration)
    for rating, comment in ((5, "Très concret, merci."), (4, "")):
        SurveyAnswer.objects.create(institution=institution, session=past, rating=rating,
                                    comment=comment)  # fmt: skip
    past.registrations.filter(user__in=people[:2]).update(surveyed=True)
    student = User.objects.filter(email="etudiante@demo.sobrio.fr").first()
    for user in [*people, *([student] if student else [])]:  # the last one waits
        workshops.register(coming, user, answers=["UFR Sciences et techniques"])


PATH_TITLE = "Ambassadeur·rice numérique responsable"
# (title, minutes, validated by, objectives, content): written for Sobrio's demo
MODULES = [
    ("Les enjeux du numérique responsable", 90, Validation.QUIZ,
     "Situer l'empreinte du numérique et ce qui la fait.",
     "La fabrication des équipements pèse le plus lourd ; l'usage dépend de l'électricité. "
     "Ce module pose les ordres de grandeur et se valide par le quiz des bons réflexes."),
    ("La Fresque du Numérique", 180, Validation.WORKSHOP,
     "Construire en équipe la carte des causes et des effets.",
     "Trois heures en atelier, cartes en main : on relie les usages aux équipements, aux "
     "ressources et aux impacts. Le module est validé par votre présence."),
    ("Mesurer l'empreinte d'un parc", 120, Validation.DECISION,
     "Lire un inventaire et son empreinte, avec leurs sources et leurs marges.",
     "À partir de l'inventaire de votre service, repérez ce qui pèse, ce qui manque et ce "
     "que disent les plages d'incertitude."),
    ("Allonger la durée de vie et réemployer", 120, Validation.DECISION,
     "Connaître les leviers de la durée de vie et du réemploi.",
     "Réparer, reconditionner, redistribuer : ce que chaque choix évite, et ce que la loi "
     "permet de donner."),
    ("Écoconcevoir un service numérique", 120, Validation.DECISION,
     "Appliquer les critères d'écoconception à un service de l'établissement.",
     "On parcourt un service réel avec le référentiel général d'écoconception."),
    ("Acheter responsable", 90, Validation.DECISION,
     "Intégrer la durée de vie et le reconditionné aux achats.",
     "Clauses, garanties, critères : ce qui change une commande de postes de travail."),
    ("Projet pratique devant un jury", 240, Validation.DECISION,
     "Mener une action dans son service et la présenter.",
     "Le jury valide la partie pratique menée tout au long du parcours."),
]  # fmt: skip


def _path(institution, quiz):
    path = Path.objects.for_institution(institution).filter(title=PATH_TITLE).first()
    if path is not None:
        return path
    path = Path.objects.create(
        institution=institution,
        title=PATH_TITLE,
        description="Sept modules pour devenir le relais de la démarche dans son service ; "
        "l'attestation vient quand tous sont validés.",
        published=True,
    )
    fresque = WorkshopKind.objects.get(institution=institution, name="Fresque du Numérique")
    for position, (title, minutes, how, objectives, content) in enumerate(MODULES, start=1):
        module = Module.objects.create(
            institution=institution, title=title, duration_minutes=minutes, validation=how,
            objectives=objectives, content=content,
            quiz=quiz if how == Validation.QUIZ else None,
            workshop_kind=fresque if how == Validation.WORKSHOP else None,
        )  # fmt: skip
        PathModule.objects.create(
            institution=institution, path=path, module=module, position=position
        )
    return path


def _jury(path, user, officer):
    for step in path.steps.select_related("module"):
        if step.module.validation == Validation.DECISION:
            paths.validate(step.module, user, Validation.DECISION, by=officer,
                           comment="Travail présenté au jury de juin.")  # fmt: skip


def load(institution):
    """The catalogue: workshop kinds, the quiz, the ambassadors' path."""
    _kinds(institution)
    _path(institution, _quiz(institution))


def load_events(institution):
    """What people did: workshops attended, the quiz passed, a path completed."""
    first_time = not Session.objects.for_institution(institution).exists()
    people = core_demo.community(institution)
    _workshops(institution, people)  # attendance validates the Fresque module
    if first_time:
        quiz = _quiz(institution)
        for user in people:  # passing validates the first module
            _answer(quiz, user, ANSWERS[user.email])
        officer = User.objects.filter(email="referente@demo.sobrio.fr").first()
        _jury(_path(institution, quiz), people[2], officer)  # Sam gets a certificate


def _quiz(institution):
    quiz = Quiz.objects.for_institution(institution).filter(name=QUIZ_NAME).first()
    if quiz is None:
        quiz, _questions, _left = quizzes.import_gift(
            institution, (DATA / "reflexes.gift").read_bytes(), "reflexes.gift", name=QUIZ_NAME
        )
        quiz.intro = (
            "Un quiz court pour faire le point sur les gestes qui comptent vraiment : "
            "dix questions, deux tentatives, réussi à 60 %."
        )
        quiz.published, quiz.attempts_allowed, quiz.pass_mark = True, 2, 60
        quiz.overall_feedback = [
            {"min": 80, "text": "Bravo : vous pourriez devenir ambassadeur·rice !"},
            {"min": 0, "text": "Relisez les explications : la fabrication est la clé."},
        ]
        quiz.save()
    return quiz
