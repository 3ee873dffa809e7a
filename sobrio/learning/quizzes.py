"""Quizzes: GIFT in and out, attempts from start to grade, results and statistics.

Called alike by the officer's pages, the participant's pages and `sobrio quiz`.
"""

import random

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrio.imports.limits import MB, Limits
from sobrio.imports.problems import ImportFailure, Problem
from sobrio.imports.reading import decode_text
from sobrio.learning import gift, grading
from sobrio.learning.models import Attempt, AttemptState, Question, Quiz, Response

GIFT_MAX_BYTES = 5 * MB
GIFT_MAX_QUESTIONS = 2000
GRACE_SECONDS = 30  # answers sent this long after the time limit still count (the network)


# --- GIFT ---------------------------------------------------------------------------------


def read_gift(data, filename, *, valid_only=False):
    """Questions of a GIFT file (bytes), or ImportFailure listing every broken block with
    its line; valid_only keeps the questions that could be read."""
    limits = Limits.from_settings()
    limits = Limits(**{**limits.__dict__, "max_bytes": min(limits.max_bytes, GIFT_MAX_BYTES)})
    text = decode_text(data, filename, limits)
    questions, problems = gift.parse(text, filename)
    for q in questions:
        if len(q.text) > limits.max_cell_chars:
            problems.append(Problem(_("énoncé trop long"), file=filename, line=q.line))
    if len(questions) > GIFT_MAX_QUESTIONS:
        problems.append(
            Problem(
                _("%(n)s questions : %(max)s au plus par fichier")
                % {"n": len(questions), "max": GIFT_MAX_QUESTIONS},
                file=filename,
            )
        )
    if problems and not valid_only:
        raise ImportFailure(problems)
    if not questions:
        raise ImportFailure(problems or [Problem(_("aucune question dans ce fichier"), filename)])
    too_long = {p.line for p in problems}
    return [q for q in questions if q.line not in too_long][:GIFT_MAX_QUESTIONS], problems


@transaction.atomic
def import_gift(institution, data, filename, *, quiz=None, name="", valid_only=False):
    """Add a GIFT file's questions to quiz (or to a new quiz named name): all or nothing
    unless valid_only. Returns (quiz, questions added, problems left aside)."""
    questions, problems = read_gift(data, filename, valid_only=valid_only)
    if quiz is None:
        quiz = Quiz.objects.create(institution=institution, name=name or filename[:200])
    start = (quiz.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    Question.objects.bulk_create(
        Question(
            institution=institution,
            quiz=quiz,
            position=start + i,
            name=q.name[:255],
            category=q.category[:255],
            qtype=q.qtype,
            text=q.text,
            text_format=q.text_format,
            general_feedback=q.general_feedback,
            data=q.data,
            mark=0.0 if q.qtype == "description" else 1.0,
        )
        for i, q in enumerate(questions)
    )
    quiz.save(update_fields=["updated_at"])  # a signal for the pages' caches
    return quiz, questions, problems


def as_gift(question):
    return gift.Question(
        qtype=question.qtype,
        text=question.text,
        name=question.name,
        text_format=question.text_format,
        general_feedback=question.general_feedback,
        category=question.category,
        data=question.data,
    )


def export_gift(quiz):
    return gift.write([as_gift(q) for q in quiz.questions.order_by("position", "pk")])


def summary(quiz, questions):
    """The JSON `sobrio quiz import` prints: id, question count, Moodle type counts."""
    counts = gift.moodle_type_counts(questions)
    return {"id": quiz.pk, "questions": len(questions), "types": counts}


# --- attempts -----------------------------------------------------------------------------


def is_open(quiz, now=None):
    now = now or timezone.now()
    return (
        quiz.published
        and (quiz.opens_at is None or quiz.opens_at <= now)
        and (quiz.closes_at is None or now < quiz.closes_at)
    )


def attempts_of(quiz, user):
    return Attempt.objects.filter(quiz=quiz, user=user).order_by("number")


def can_start(quiz, user, now=None):
    """(True, "") or (False, the reason to show)."""
    if not is_open(quiz, now):
        return False, _("Ce quiz n'est pas ouvert en ce moment.")
    finished = attempts_of(quiz, user).filter(state=AttemptState.FINISHED).count()
    if quiz.attempts_allowed and finished >= quiz.attempts_allowed:
        return False, _("Vous avez utilisé toutes les tentatives autorisées.")
    return True, ""


def _layout(quiz, rng):
    questions = list(quiz.questions.order_by("position", "pk"))
    if quiz.shuffle_questions:
        descriptions = [q for q in questions if q.qtype == "description"]
        others = [q for q in questions if q.qtype != "description"]
        rng.shuffle(others)
        questions = descriptions + others  # instructions stay first
    layout = []
    for q in questions:
        if q.qtype == "multichoice":
            order = list(range(len(q.data["answers"])))
        elif q.qtype == "match":
            order = list(range(len(q.data["pairs"])))
        else:
            order = []
        if quiz.shuffle_answers and order:
            rng.shuffle(order)
        layout.append({"q": q.pk, "order": order})
    return layout


def start(quiz, user, now=None):
    """The person's attempt in progress, or a new one; never two at once (the database
    refuses a second one in progress, so a double click gives the same attempt)."""
    current = attempts_of(quiz, user).filter(state=AttemptState.IN_PROGRESS).first()
    if current is not None:
        return current
    allowed, reason = can_start(quiz, user, now)
    if not allowed:
        raise ValidationError(reason)
    number = (attempts_of(quiz, user).aggregate(m=Max("number"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                institution=quiz.institution,
                quiz=quiz,
                user=user,
                number=number,
                layout=_layout(quiz, random.Random()),  # noqa: S311 - shuffling, not secrets
            )
    except IntegrityError:
        return attempts_of(quiz, user).get(state=AttemptState.IN_PROGRESS)


def deadline(attempt):
    limit = attempt.quiz.time_limit_minutes
    if not limit:
        return None
    return attempt.started_at + timezone.timedelta(minutes=limit)


def questions_of(attempt):
    """[(question, order)] in the attempt's order."""
    by_pk = {q.pk: q for q in attempt.quiz.questions.all()}
    return [(by_pk[e["q"]], e["order"]) for e in attempt.layout if e["q"] in by_pk]


def parse_answer(question, order, post):
    """The answer of one question as stored, read from a submitted form (names q<pk>…)."""
    key = f"q{question.pk}"
    if question.qtype == "multichoice":
        allowed = set(order)
        values = post.getlist(key)
        picked = [int(v) for v in values if v.isdigit() and int(v) in allowed]
        if question.data.get("single"):
            return picked[0] if picked else None
        return sorted(set(picked))
    if question.qtype == "truefalse":
        value = post.get(key)
        return {"1": True, "0": False}.get(value)
    if question.qtype == "match":
        rights = {p["right"] for p in question.data["pairs"]}
        given = {}
        for i in range(len(question.data["pairs"])):
            value = post.get(f"{key}-{i}", "")
            if value in rights:
                given[str(i)] = value
        return given
    if question.qtype == "description":
        return None
    return (post.get(key) or "").strip()[:10_000]


def save_answers(attempt, post, now=None):
    """Keep the answers of the questions on the submitted page; refused once the attempt
    is finished or its time (with a short grace) is over, which finishes it."""
    now = now or timezone.now()
    end = deadline(attempt)
    if end is not None and now > end + timezone.timedelta(seconds=GRACE_SECONDS):
        finish(attempt, now=now)
        raise ValidationError(_("Le temps est écoulé : la tentative est terminée."))
    with transaction.atomic():
        _save(attempt, post)
    return attempt


def _save(attempt, post):
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.state != AttemptState.IN_PROGRESS:
        raise ValidationError(_("Cette tentative est terminée."))
    for question, order in questions_of(attempt):
        if f"page-q{question.pk}" not in post:
            continue  # not on this page (an unticked box sends nothing: the page says which)
        Response.objects.update_or_create(
            attempt=attempt,
            question=question,
            defaults={
                "institution": attempt.institution,
                "answer": parse_answer(question, order, post),
            },
        )


@transaction.atomic
def finish(attempt, now=None):
    """Grade every answer and keep the score; twice is the same as once."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.state == AttemptState.FINISHED:
        return attempt
    answers = {r.question_id: r for r in attempt.responses.all()}
    marks = []
    for question, _order in questions_of(attempt):
        response = answers.get(question.pk)
        if response is None:
            response = Response(institution=attempt.institution, attempt=attempt, question=question)
        fraction, feedback = grading.grade(question.qtype, question.data, response.answer)
        response.fraction, response.feedback = fraction, feedback
        response.save()
        if question.qtype != "description":
            marks.append((fraction, question.mark))
    attempt.score = grading.attempt_score(marks)
    attempt.state = AttemptState.FINISHED
    attempt.finished_at = now or timezone.now()
    attempt.save(update_fields=["score", "state", "finished_at", "updated_at"])
    after_grade(attempt)
    return attempt


def _rescore(attempt):
    marks = [
        (r.fraction, r.question.mark)
        for r in attempt.responses.select_related("question")
        if r.question.qtype != "description"
    ]
    attempt.score = grading.attempt_score(marks)
    attempt.save(update_fields=["score", "updated_at"])


@transaction.atomic
def grade_essay(response, fraction, comment, by):
    if response.question.qtype != "essay":
        raise ValidationError(_("Seules les compositions se corrigent à la main."))
    if not 0 <= fraction <= 1:
        raise ValidationError(_("La note est entre 0 et 100 %."))
    response.fraction, response.comment, response.graded_by = fraction, comment, by
    response.save(update_fields=["fraction", "comment", "graded_by", "updated_at"])
    _rescore(response.attempt)
    after_grade(response.attempt)


# Listeners of a graded attempt (modules validated by a quiz, badges to come): each is
# called with the attempt once its score is known.
GRADED = []


def after_grade(attempt):
    if attempt.score is None:
        return
    for listener in GRADED:
        listener(attempt)


def grade_of(quiz, user):
    """The grade kept for a person (0 to 1), by the quiz's method, or None."""
    scores = list(
        attempts_of(quiz, user).filter(state=AttemptState.FINISHED).values_list("score", flat=True)
    )
    return grading.final_score(scores, quiz.grade_method)


def has_passed(quiz, user):
    grade = grade_of(quiz, user)
    return grade is not None and 100 * grade >= quiz.pass_mark


def feedback_for(quiz, score):
    """The overall feedback of the band the score falls in (bands by their lowest %)."""
    if score is None:
        return ""
    percent = 100 * score
    bands = sorted(
        (b for b in quiz.overall_feedback if isinstance(b, dict)),
        key=lambda b: float(b.get("min", 0)),
    )
    text = ""
    for band in bands:
        if percent >= float(band.get("min", 0)):
            text = band.get("text", "")
    return text


# --- results ------------------------------------------------------------------------------


def results(quiz):
    """One row per person: attempts, grade kept, passed; then per unit; then per question
    (Moodle's facility and discrimination indexes, over first attempts)."""
    from sobrio.core.models import Membership

    finished = (
        Attempt.objects.filter(quiz=quiz, state=AttemptState.FINISHED)
        .select_related("user")
        .order_by("user__email", "number")
    )
    people = {}
    for attempt in finished:
        people.setdefault(attempt.user, []).append(attempt.score)
    affiliation = dict(
        Membership.objects.filter(institution=quiz.institution, user__in=list(people))
        .select_related("affiliation")
        .values_list("user_id", "affiliation__name")
    )
    rows = []
    for user, scores in people.items():
        grade = grading.final_score(scores, quiz.grade_method)
        rows.append(
            {
                "user": user,
                "unit": affiliation.get(user.pk) or "",
                "attempts": len(scores),
                "grade": grade,
                "passed": grade is not None and 100 * grade >= quiz.pass_mark,
                "to_grade": any(s is None for s in scores),
            }
        )
    units = {}
    for row in rows:
        entry = units.setdefault(row["unit"], {"people": 0, "passed": 0, "grades": []})
        entry["people"] += 1
        entry["passed"] += row["passed"]
        if row["grade"] is not None:
            entry["grades"].append(row["grade"])
    by_unit = [
        {
            "unit": unit,
            "people": e["people"],
            "passed": e["passed"],
            "mean": sum(e["grades"]) / len(e["grades"]) if e["grades"] else None,
        }
        for unit, e in sorted(units.items())
    ]
    first = {}
    responses = Response.objects.filter(
        attempt__quiz=quiz, attempt__state=AttemptState.FINISHED, attempt__number=1
    ).values_list("attempt_id", "question_id", "fraction", "question__mark")
    for attempt_id, question_id, fraction, mark in responses:
        first.setdefault(attempt_id, {})[question_id] = (fraction, mark)
    stats = grading.question_statistics(first)
    empty = dict.fromkeys(("facility", "sd", "discrimination", "efficiency")) | {
        "count": 0, "to_grade": 0}  # fmt: skip
    questions = [
        {"question": q, **stats.get(q.pk, empty)}
        for q in quiz.questions.exclude(qtype="description").order_by("position", "pk")
    ]
    to_grade = Response.objects.filter(
        attempt__quiz=quiz, attempt__state=AttemptState.FINISHED, fraction=None,
        question__qtype="essay",
    ).count()  # fmt: skip
    return {"people": rows, "units": by_unit, "questions": questions, "to_grade": to_grade,
            "distribution": distribution(rows)}  # fmt: skip


def distribution(people):
    """How many people's kept grades fall in each tenth (0–9 %, …, 90–100 %)."""
    counts = [0] * 10
    for row in people:
        if row["grade"] is not None:
            counts[min(int(100 * row["grade"] // 10), 9)] += 1
    return [(f"{10 * i}–{10 * i + 9 if i < 9 else 100} %", n) for i, n in enumerate(counts)]
