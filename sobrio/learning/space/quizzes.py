"""Quizzes in the institution's « Participer » space (workshops and paths have their own
modules beside this one), and what the space's home and « Mes données » show of them."""

import math

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sobrio.core import participation
from sobrio.core.tenancy import space_view
from sobrio.learning import quizzes
from sobrio.learning.models import Attempt, AttemptState, Quiz
from sobrio.learning.views.quizzes import review_rows


def _quiz(request, quiz_id):
    quiz = Quiz.objects.for_institution(request.space).filter(pk=quiz_id, published=True).first()
    if quiz is None:
        raise Http404
    if not participation.is_community(request.space, request.user):
        raise PermissionDenied  # signed in for a public workshop only
    return quiz


def _attempt(request, attempt_id):
    attempt = (
        Attempt.objects.for_institution(request.space)
        .filter(pk=attempt_id, user=request.user)
        .select_related("quiz")
        .first()
    )
    if attempt is None:
        raise Http404  # someone else's attempt does not exist for this person
    return attempt


@require_GET
@space_view(signed_in=True)
def quiz_page(request, quiz_id):
    quiz = _quiz(request, quiz_id)
    attempts = list(quizzes.attempts_of(quiz, request.user))
    allowed, reason = quizzes.can_start(quiz, request.user)
    in_progress = next((a for a in attempts if a.state == AttemptState.IN_PROGRESS), None)
    grade = quizzes.grade_of(quiz, request.user)
    return render(
        request,
        "learning/space/quiz.html",
        {
            "quiz": quiz,
            "attempts": attempts,
            "allowed": allowed or in_progress is not None,
            "reason": reason,
            "in_progress": in_progress,
            "grade": grade,
            "passed": grade is not None and 100 * grade >= quiz.pass_mark,
            "left": (
                max(0, quiz.attempts_allowed - sum(a.state == "finished" for a in attempts))
                if quiz.attempts_allowed
                else None
            ),
        },
    )


@require_POST
@space_view(signed_in=True)
def quiz_start(request, quiz_id):
    quiz = _quiz(request, quiz_id)
    try:
        attempt = quizzes.start(quiz, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("participate_quiz", slug=request.space.slug, quiz_id=quiz.pk)
    return redirect("participate_attempt", slug=request.space.slug, attempt_id=attempt.pk)


def _pages(attempt):
    """The questions of each page: per_page at a time (0: all on one page)."""
    items = quizzes.questions_of(attempt)
    size = attempt.quiz.per_page or len(items) or 1
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


@require_http_methods(["GET", "POST"])
@space_view(signed_in=True)
def attempt_page(request, attempt_id):
    attempt = _attempt(request, attempt_id)
    slug = request.space.slug
    if attempt.state == AttemptState.FINISHED:
        return redirect("participate_attempt_review", slug=slug, attempt_id=attempt.pk)
    pages = _pages(attempt)
    try:
        number = min(max(int(request.GET.get("page", 1)), 1), len(pages))
    except ValueError:
        number = 1
    if request.method == "POST":
        try:
            quizzes.save_answers(attempt, request.POST)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("participate_attempt_review", slug=slug, attempt_id=attempt.pk)
        move = request.POST.get("move", "next")
        if move == "finish":
            quizzes.finish(attempt)
            return redirect("participate_attempt_review", slug=slug, attempt_id=attempt.pk)
        target = number - 1 if move == "previous" else number + 1
        target = min(max(target, 1), len(pages))
        url = f"{request.path}?page={target}"
        return redirect(url)
    saved = {r.question_id: r.answer for r in attempt.responses.all()}
    end = quizzes.deadline(attempt)
    minutes_left = max(0, math.ceil((end - timezone.now()).total_seconds() / 60)) if end else None
    return render(
        request,
        "learning/space/attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "items": [_shown(q, order, saved.get(q.pk)) for q, order in pages[number - 1]],
            "number": number,
            "pages": len(pages),
            "first": (number - 1) * (attempt.quiz.per_page or 0),
            "deadline": end,
            "minutes_left": minutes_left,
        },
    )


def _shown(question, order, saved):
    """What the page needs to draw one question with the answer saved so far."""
    item = {"question": question, "saved": saved}
    if question.qtype == "multichoice":
        picked = saved if isinstance(saved, list) else [saved]
        answers = question.data["answers"]
        item["choices"] = [(i, answers[i]["text"], i in picked) for i in order]
        item["single"] = bool(question.data.get("single"))
    elif question.qtype == "match":
        given = saved if isinstance(saved, dict) else {}
        pairs = question.data["pairs"]
        rights = [pairs[i]["right"] for i in order]
        item["rows"] = [
            (i, p["left"], [(r, given.get(str(i)) == r) for r in dict.fromkeys(rights)])
            for i, p in enumerate(pairs)
        ]
    return item


@require_GET
@space_view(signed_in=True)
def attempt_review(request, attempt_id):
    attempt = _attempt(request, attempt_id)
    if attempt.state != AttemptState.FINISHED:
        return redirect("participate_attempt", slug=request.space.slug, attempt_id=attempt.pk)
    quiz = attempt.quiz
    grade = quizzes.grade_of(quiz, request.user)
    return render(
        request,
        "learning/space/attempt_review.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "rows": review_rows(attempt),
            "feedback": quizzes.feedback_for(quiz, attempt.score) if quiz.show_feedback else "",
            "passed": attempt.score is not None and 100 * attempt.score >= quiz.pass_mark,
            "grade": grade,
        },
    )


# --- the space's home and « Mes données » ------------------------------------------------


def quizzes_section(request, institution, membership):
    open_now = [q for q in Quiz.objects.for_institution(institution) if quizzes.is_open(q)]
    if not open_now:
        return None
    if membership is not None and not participation.is_community(institution, membership.user):
        return None  # signed in for a public workshop: the quizzes are the community's
    mine = {}
    if membership is not None:
        for quiz in open_now:
            mine[quiz.pk] = quizzes.grade_of(quiz, membership.user)
    return {"quizzes": [(q, mine.get(q.pk)) for q in open_now]}


def attempts_data(institution, user):
    return [
        {
            _("Quiz"): a.quiz.name,
            _("Tentative"): a.number,
            _("Commencée"): timezone.localtime(a.started_at).strftime("%d/%m/%Y %H:%M"),
            _("Note (%)"): "" if a.score is None else round(100 * a.score, 1),
        }
        for a in Attempt.objects.for_institution(institution)
        .filter(user=user)
        .select_related("quiz")
        .order_by("started_at")
    ]


def attempts_erase(institution, user):
    deleted, _detail = Attempt.objects.for_institution(institution).filter(user=user).delete()
    return deleted
