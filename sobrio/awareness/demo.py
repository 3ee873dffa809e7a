"""The awareness part of the demo: a quiz with attempts of a few people (more parts come
with workshops and the ambassador path). Idempotent, in Sobrio's own words."""

from pathlib import Path

from django.http import QueryDict

from sobrio.awareness import quizzes
from sobrio.awareness.models import Quiz
from sobrio.core.enums import Role
from sobrio.core.models import Membership, Unit, User

DATA = Path(__file__).parent / "demo_data"
QUIZ_NAME = "Les bons réflexes du numérique responsable"
# (email, name, unit, answers by question name): a few people took the quiz already
TAKERS = [
    ("leo.martin@demo.sobrio.fr", "Léo Martin", "UFR Sciences et techniques",
     {"Phase dominante": 0, "Durée de vie": "1", "Reconditionné": [0, 1], "Veille": "0",
      "PUE": 2, "Données": "0,2", "Sigle": "électroniques", "Idée": "Éteindre la nuit."}),
    ("nina.roux@demo.sobrio.fr", "Nina Roux", "Bibliothèque universitaire",
     {"Phase dominante": 1, "Durée de vie": "1", "Reconditionné": [0], "Veille": "1",
      "PUE": 0, "Données": "4", "Sigle": "electroniques"}),
    ("sam.petit@demo.sobrio.fr", "Sam Petit", "Direction du système d'information (DSI)",
     {"Phase dominante": 0, "Durée de vie": "1", "Reconditionné": [0, 1, 2], "Veille": "0",
      "PUE": 2, "Données": "0,3", "Sigle": "électroniques"}),
]  # fmt: skip


def _people(institution):
    out = []
    for email, name, unit, answers in TAKERS:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, full_name=name
        )
        Membership.objects.get_or_create(
            institution=institution,
            user=user,
            defaults={
                "role": Role.PARTICIPANT,
                "affiliation": Unit.objects.filter(institution=institution, name=unit).first(),
            },
        )
        out.append((user, answers))
    return out


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


def load(institution):
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
        for user, answers in _people(institution):
            _answer(quiz, user, answers)
    return quiz
