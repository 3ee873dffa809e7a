"""Quizzes from the GIFT file to the grade: import, attempts, grading, results."""

import datetime
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from sobrio.core.enums import Role
from sobrio.imports.problems import ImportFailure
from sobrio.learning import gift, grading, quizzes
from sobrio.learning.models import Attempt, Question, Quiz
from tests.factories import InstitutionFactory, MembershipFactory

FIXTURE = Path(__file__).parent / "fixtures" / "sobriete.gift"
ROOT = Path(__file__).resolve().parents[2]


# --- grading -----------------------------------------------------------------------------


def test_answers_are_graded_as_moodle_grades_them():
    several = {"single": False, "answers": [
        {"text": "a", "fraction": 0.5, "feedback": ""},
        {"text": "b", "fraction": 0.5, "feedback": "bien"},
        {"text": "c", "fraction": -1.0, "feedback": ""}]}  # fmt: skip
    assert grading.grade("multichoice", several, [0, 1]) == (1.0, "bien")
    assert grading.grade("multichoice", several, [0, 2])[0] == 0.0  # never below zero
    assert grading.grade("multichoice", several, [7])[0] == 0.0  # a forged index counts 0
    short = {"answers": [{"text": "Réemploi", "fraction": 1.0, "feedback": ""},
                         {"text": "recond*", "fraction": 0.5, "feedback": "presque"}]}  # fmt: skip
    assert grading.grade("shortanswer", short, "  réemploi ")[0] == 1.0
    assert grading.grade("shortanswer", short, "reconditionnement") == (0.5, "presque")
    number = {"answers": [{"value": 4.0, "tolerance": 1.0, "fraction": 1.0, "feedback": ""}],
              "wrong_feedback": "non"}  # fmt: skip
    assert grading.grade("numerical", number, "4,9")[0] == 1.0
    assert grading.grade("numerical", number, "5,5") == (0.0, "non")
    assert grading.grade("numerical", number, "beaucoup") == (0.0, "non")
    pairs = {"pairs": [{"left": "a", "right": "1"}, {"left": "b", "right": "2"},
                       {"left": "c", "right": "3"}]}  # fmt: skip
    assert grading.grade("match", pairs, {"0": "1", "1": "3", "2": "3"})[0] == pytest.approx(2 / 3)
    assert grading.grade("essay", {}, "texte") == (None, "")  # for the officer to grade
    assert grading.grade("essay", {}, "") == (0.0, "")  # not answered: nothing to grade
    assert grading.final_score([0.2, None, 0.8, 0.5], "highest") == 0.8
    assert grading.final_score([0.2, 0.8, 0.5], "average") == pytest.approx(0.5)
    assert grading.final_score([0.2, 0.8, 0.5], "first") == 0.2
    assert grading.final_score([0.2, 0.8, 0.5], "last") == 0.5


def test_facility_and_discrimination_follow_their_definitions():
    # three people: question 1 answered right by the best, question 2 by everyone
    rows = {
        1: {"q1": (1.0, 1), "q2": (1.0, 1), "q3": (1.0, 1)},
        2: {"q1": (0.0, 1), "q2": (1.0, 1), "q3": (0.5, 1)},
        3: {"q1": (0.0, 1), "q2": (1.0, 1), "q3": (0.0, 1)},
    }
    stats = grading.question_statistics(rows)
    assert stats["q1"]["facility"] == pytest.approx(100 / 3)
    assert stats["q2"]["facility"] == 100 and stats["q2"]["discrimination"] is None
    assert stats["q1"]["discrimination"] == pytest.approx(100 * 0.8660254, rel=1e-6)


def test_deviation_and_efficiency_as_moodle_computes_them_with_ungraded_answers_as_0():
    # q1 (1 mark) against the rest (q2, 3 marks): x = 1, 0, 1, 0 and X − x = 3, 2, 1, 0
    rows = {
        1: {"q1": (1.0, 1), "q2": (1.0, 3)},
        2: {"q1": (0.0, 1), "q2": (2 / 3, 3)},
        3: {"q1": (1.0, 1), "q2": (1 / 3, 3)},
        4: {"q1": (None, 1), "q2": (0.0, 3)},  # an essay still to grade: 0, as in Moodle
    }
    q1 = grading.question_statistics(rows)["q1"]
    assert q1["count"] == 4 and q1["to_grade"] == 1
    assert q1["facility"] == pytest.approx(50)
    assert q1["sd"] == pytest.approx(100 * (1 / 3) ** 0.5)  # sqrt(Σ(x − 0.5)² / 3)
    # cov(x, X − x) = 1/3; var(X − x) = 5/3: r = (1/3) / sqrt(1/3 × 5/3)
    assert q1["discrimination"] == pytest.approx(100 * 0.4472136, rel=1e-6)
    # the largest covariance of the same values, both sorted: 2/3
    assert q1["efficiency"] == pytest.approx(50)


# --- import and export -----------------------------------------------------------------


def test_the_cli_imports_a_gift_file_and_prints_moodles_type_counts(tmp_path):
    env_dir = tmp_path / "var"
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "sobrio", *args], capture_output=True, text=True, cwd=ROOT,
        env={"SOBRIO_VAR_DIR": str(env_dir), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert run("migrate", "-v0").returncode == 0
    assert run("institution", "create", "u", "--name", "U").returncode == 0
    done = run("quiz", "import", str(FIXTURE), "--institution", "u", "--name", "Sobriété",
               "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["questions"] == 19
    assert summary["types"] == {
        "multichoice": 7, "truefalse": 3, "shortanswer": 2, "numerical": 3, "match": 2,
        "essay": 1, "description": 1,
    }  # fmt: skip
    out = tmp_path / "back.gift"
    assert run("quiz", "export", str(summary["id"]), "-o", str(out)).returncode == 0
    first, _ = gift.parse(FIXTURE.read_text(encoding="utf-8"))
    again, _ = gift.parse(out.read_text(encoding="utf-8"))
    assert again == first
    broken = tmp_path / "broken.gift"
    broken.write_text("Bonne ?{T}\n\nCassée {=a ~b\n", encoding="utf-8")
    refused = run("quiz", "import", str(broken), "--institution", "u")
    assert refused.returncode != 0 and "broken.gift, ligne 3" in refused.stderr


def test_a_web_import_is_all_or_nothing_unless_asked(db, client):
    officer = MembershipFactory(role=Role.OFFICER)
    client.force_login(officer.user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = "Bonne ?{T}\n\nCassée {=a ~b\n\nAutre ?{F}\n".encode()
    url = reverse("learning_quiz_import")
    page = client.post(url, {"file": SimpleUploadedFile("q.gift", data)}).content.decode()
    assert "q.gift, ligne 3" in page and not Quiz.objects.exists()
    done = client.post(url, {"file": SimpleUploadedFile("q.gift", data), "valid_only": "on"})
    quiz = Quiz.objects.get()
    assert done.status_code == 302 and quiz.questions.count() == 2
    more = client.post(f"{url}?quiz={quiz.pk}", {"file": SimpleUploadedFile("b.gift", b"X ?{T}")})
    assert more.status_code == 302 and quiz.questions.count() == 3
    assert list(quiz.questions.values_list("position", flat=True)) == [1, 2, 3]


def test_files_too_big_or_not_text_are_refused_clearly(db):
    institution = InstitutionFactory()
    with pytest.raises(ImportFailure, match="encodage non reconnu|aucune question"):
        quizzes.import_gift(institution, b"\xff\xfe\x00\x81" * 10, "x.gift")
    with pytest.raises(ImportFailure, match="fichier trop gros"):
        quizzes.import_gift(
            institution, b"A ?{T}\n\n" * (quizzes.GIFT_MAX_BYTES // 8 + 1), "x.gift"
        )


# --- attempts -----------------------------------------------------------------------------


@pytest.fixture
def quiz(db):
    institution = InstitutionFactory(slug="univ", participant_domains="example.org")
    quiz, _, _ = quizzes.import_gift(
        institution,
        b"::Un::Vrai ?{T}\n\n::Deux::Combien ?{#4:1}\n\n::Trois::Choisir {=a ~b ~c}\n",
        "q.gift",
        name="Quiz",
    )
    quiz.published = True
    quiz.per_page = 1
    quiz.shuffle_answers = False
    quiz.attempts_allowed = 2
    quiz.save()
    return quiz


def _take(client, attempt, answers):
    """Answer page by page as a browser without JavaScript would, then finish."""
    url = reverse("participate_attempt", kwargs={"slug": "univ", "attempt_id": attempt.pk})
    for page, (question, value) in enumerate(answers, start=1):
        data = {f"page-q{question.pk}": "1", f"q{question.pk}": value, "move": "next"}
        if page == len(answers):
            data["move"] = "finish"
        client.post(f"{url}?page={page}", data)


def test_a_participant_takes_a_quiz_page_by_page_and_gets_a_server_grade(quiz, client):
    person = MembershipFactory(institution=quiz.institution, role=Role.PARTICIPANT)
    client.force_login(person.user)
    one, two, three = quiz.questions.order_by("position")
    page = client.get(reverse("participate_quiz", kwargs={"slug": "univ", "quiz_id": quiz.pk}))
    assert "Commencer" in page.content.decode()
    start = reverse("participate_quiz_start", kwargs={"slug": "univ", "quiz_id": quiz.pk})
    client.post(start)
    client.post(start)  # a double click: still one attempt
    attempt = Attempt.objects.get()
    first = client.get(
        reverse("participate_attempt", kwargs={"slug": "univ", "attempt_id": attempt.pk})
    )
    assert "Page 1 sur 3" in first.content.decode()
    _take(client, attempt, [(one, "1"), (two, "4,5"), (three, "1")])  # right, right, wrong
    attempt.refresh_from_db()
    assert attempt.state == "finished" and attempt.score == pytest.approx(2 / 3)
    review = client.get(
        reverse("participate_attempt_review", kwargs={"slug": "univ", "attempt_id": attempt.pk})
    ).content.decode()
    assert "66,7 %" in review and "Bonne réponse" in review and "réussi" in review
    client.post(start)
    second = Attempt.objects.get(number=2)
    _take(client, second, [(one, "0"), (two, "9"), (three, "0")])
    assert quizzes.grade_of(quiz, person.user) == pytest.approx(2 / 3)  # highest kept
    refused = client.post(start, follow=True).content.decode()
    assert "toutes les tentatives autorisées" in refused
    assert Attempt.objects.count() == 2


def test_nobody_else_sees_an_attempt_and_late_answers_do_not_count(quiz, client):
    person = MembershipFactory(institution=quiz.institution, role=Role.PARTICIPANT)
    other = MembershipFactory(institution=quiz.institution, role=Role.PARTICIPANT)
    attempt = quizzes.start(quiz, person.user)
    client.force_login(other.user)
    url = reverse("participate_attempt", kwargs={"slug": "univ", "attempt_id": attempt.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"move": "finish"}).status_code == 404
    quiz.time_limit_minutes = 10
    quiz.save()
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    client.force_login(person.user)
    one = quiz.questions.order_by("position").first()
    client.post(url, {f"page-q{one.pk}": "1", f"q{one.pk}": "1", "move": "next"})
    attempt.refresh_from_db()
    assert attempt.state == "finished" and attempt.score == 0.0  # the late answer is not kept


def test_a_quiz_closed_or_unpublished_cannot_be_started(quiz, client):
    person = MembershipFactory(institution=quiz.institution, role=Role.PARTICIPANT)
    quiz.closes_at = timezone.now() - datetime.timedelta(hours=1)
    quiz.save()
    assert quizzes.can_start(quiz, person.user)[0] is False
    quiz.closes_at, quiz.published = None, False
    quiz.save()
    client.force_login(person.user)
    page = reverse("participate_quiz", kwargs={"slug": "univ", "quiz_id": quiz.pk})
    assert client.get(page).status_code == 404


def test_an_essay_waits_for_its_grade_and_counts_once_graded(db, client):
    institution = InstitutionFactory(slug="univ", participant_domains="example.org")
    quiz, _, _ = quizzes.import_gift(
        institution, "Vrai ?{T}\n\nDécrivez un geste.{}\n".encode(), "q.gift"
    )
    quiz.published = True
    quiz.save()
    person = MembershipFactory(institution=institution, role=Role.PARTICIPANT)
    attempt = quizzes.start(quiz, person.user)
    post = {}
    for q in quiz.questions.all():
        post[f"page-q{q.pk}"] = "1"
        post[f"q{q.pk}"] = "1" if q.qtype == "truefalse" else "Éteindre mon écran"
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.update(post)
    quizzes.save_answers(attempt, data)
    attempt = quizzes.finish(attempt)
    assert attempt.score is None  # not before the essay is graded
    officer = MembershipFactory(institution=institution, role=Role.OFFICER)
    client.force_login(officer.user)
    listing = client.get(reverse("learning_quiz_to_grade", kwargs={"quiz_id": quiz.pk}))
    assert "Éteindre mon écran" in listing.content.decode()
    results = reverse("learning_quiz_results", kwargs={"quiz_id": quiz.pk})
    page = client.get(results).content.decode()
    assert "en attente de correction" in page and "1 réponse en attente de correction" in page
    by_question = client.get(results, {"format": "csv", "table": "questions"})
    text = by_question.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("question;réponses;à corriger;facilité (%)")
    assert "Décrivez un geste.;1;1;0;" in text  # counted 0 while it waits, as Moodle does
    book = openpyxl.load_workbook(io.BytesIO(client.get(results, {"format": "xlsx"}).content))
    assert book.sheetnames == ["personnes", "questions"]
    assert book["personnes"]["F2"].value == "en attente de correction"
    essay = attempt.responses.get(question__qtype="essay")
    client.post(
        reverse("learning_response_grade", kwargs={"response_id": essay.pk}),
        {"percent": "50", "comment": "Précisez."},
    )
    attempt.refresh_from_db()
    assert attempt.score == pytest.approx(0.75)


def test_results_per_person_unit_and_question_and_their_export(quiz, client):
    from sobrio.core.models import Unit

    dsi = Unit.objects.create(institution=quiz.institution, name="DSI")
    people = [
        MembershipFactory(institution=quiz.institution, role=Role.PARTICIPANT, affiliation=dsi)
        for _ in range(3)
    ]
    one, two, three = quiz.questions.order_by("position")
    from django.http import QueryDict

    for person, answers in zip(people, (("1", "4", "0"), ("1", "9", "1"), ("0", "9", "1")),
                               strict=True):  # fmt: skip
        attempt = quizzes.start(quiz, person.user)
        data = QueryDict(mutable=True)
        for q, value in zip((one, two, three), answers, strict=True):
            data[f"page-q{q.pk}"] = "1"
            data[f"q{q.pk}"] = value
        quizzes.save_answers(attempt, data)
        quizzes.finish(attempt)
    officer = MembershipFactory(institution=quiz.institution, role=Role.OFFICER)
    client.force_login(officer.user)
    url = reverse("learning_quiz_results", kwargs={"quiz_id": quiz.pk})
    page = client.get(url).content.decode()
    assert "3 personnes ont terminé le quiz ; réussi : 1." in page
    assert "DSI" in page and "Facilité" in page
    csv = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert csv.count("\n") == 4 and ";33,3;" in csv and ";100;" in csv
    stats = {row["question"].pk: row for row in quizzes.results(quiz)["questions"]}
    assert stats[one.pk]["facility"] == pytest.approx(200 / 3)


def test_my_data_lists_attempts_and_erasing_removes_them(quiz, client):
    person = MembershipFactory(institution=quiz.institution, role=Role.PARTICIPANT)
    quizzes.finish(quizzes.start(quiz, person.user))
    client.force_login(person.user)
    page = client.get(reverse("participate_data", kwargs={"slug": "univ"})).content.decode()
    assert "Tentatives de quiz" in page and "Quiz" in page
    client.post(reverse("participate_data_erase", kwargs={"slug": "univ"}), {"confirm": "oui"})
    assert not Attempt.objects.exists() and Question.objects.count() == 3
