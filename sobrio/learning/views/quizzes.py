"""The team's pages of Agir — Sensibiliser: quizzes (this module), workshops
(workshop_views.py), modules and paths (path_views.py)."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.core import charts, perms
from sobrio.core.tenancy import member_required, scoped_get_or_404
from sobrio.imports.exporting import csv_text, french_number, xlsx_book
from sobrio.imports.problems import ImportFailure
from sobrio.learning import quizzes
from sobrio.learning.forms import EssayGradeForm, GiftImportForm, QuizSettingsForm
from sobrio.learning.models import Attempt, AttemptState, Quiz, Response


def _can_edit(request):
    return perms.has_capability(request.membership, perms.EDIT)


@require_GET
@member_required(perms.VIEW)
def quiz_list(request):
    rows = Quiz.objects.for_institution(request.institution).annotate(
        n_questions=Count("questions", distinct=True),
        n_people=Count(
            "attempts__user",
            filter=Q(attempts__state=AttemptState.FINISHED),
            distinct=True,
        ),
    )
    return render(
        request,
        "learning/quiz_list.html",
        {"quizzes": rows, "can_edit": _can_edit(request)},
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def quiz_import(request):
    into = None
    if request.GET.get("quiz", "").isdigit():
        into = scoped_get_or_404(request, Quiz, pk=int(request.GET["quiz"]))
    form = GiftImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            quiz, questions, left = quizzes.import_gift(
                request.institution,
                upload.read(),
                upload.name,
                quiz=into,
                name=form.cleaned_data["name"],
                valid_only=form.cleaned_data["valid_only"],
            )
        except ImportFailure as failure:
            problems = failure.problems
        else:
            messages.success(
                request,
                ngettext("%(n)s question importée.", "%(n)s questions importées.", len(questions))
                % {"n": len(questions)},
            )
            for problem in left:
                messages.warning(request, _("Laissée de côté : %(p)s") % {"p": problem})
            return redirect("learning_quiz", quiz_id=quiz.pk)
    return render(
        request,
        "learning/quiz_import.html",
        {"form": form, "problems": problems, "into": into},
    )


@require_GET
@member_required(perms.VIEW)
def quiz_detail(request, quiz_id):
    quiz = scoped_get_or_404(request, Quiz, pk=quiz_id)
    questions = quiz.questions.order_by("position", "pk")
    counts = {}
    for q in questions:
        counts[q.get_qtype_display()] = counts.get(q.get_qtype_display(), 0) + 1
    to_grade = Response.objects.filter(
        attempt__quiz=quiz, question__qtype="essay", fraction=None, attempt__state="finished"
    ).count()
    return render(
        request,
        "learning/quiz_detail.html",
        {
            "quiz": quiz,
            "questions": questions,
            "counts": sorted(counts.items()),
            "open": quizzes.is_open(quiz),
            "to_grade": to_grade,
            "can_edit": _can_edit(request),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def quiz_settings(request, quiz_id):
    quiz = scoped_get_or_404(request, Quiz, pk=quiz_id)
    form = QuizSettingsForm(request.POST or None, instance=quiz, institution=request.institution)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Les réglages du quiz sont enregistrés."))
        return redirect("learning_quiz", quiz_id=quiz.pk)
    return render(request, "learning/quiz_settings.html", {"quiz": quiz, "form": form})


@require_GET
@member_required(perms.VIEW)
def quiz_export(request, quiz_id):
    quiz = scoped_get_or_404(request, Quiz, pk=quiz_id)
    response = HttpResponse(quizzes.export_gift(quiz), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="quiz-{quiz.pk}.gift"'
    return response


def _percent(value):
    return None if value is None else round(100 * value, 1)


def _results_tables(data, fmt):
    """The two tables the exports hold: per person, per question (Moodle's statistics)."""
    number = (lambda v: french_number(v, 1)) if fmt == "csv" else (lambda v: v)

    def rounded(value):
        return None if value is None else number(round(value, 1))

    people = (
        [_("personne"), _("adresse"), _("unité"), _("tentatives"), _("note (%)"), _("réussi")],
        [
            [
                r["user"].full_name,
                r["user"].email,
                r["unit"],
                r["attempts"],
                number(_percent(r["grade"])),
                _("en attente de correction") if r["to_grade"] and not r["passed"]
                else _("oui") if r["passed"] else _("non"),
            ]
            for r in data["people"]
        ],
    )  # fmt: skip
    questions = (
        [_("question"), _("réponses"), _("à corriger"), _("facilité (%)"), _("écart type (%)"),
         _("discrimination (%)"), _("efficacité discriminante (%)")],
        [
            [str(q["question"].name or q["question"].text)[:200], q["count"], q["to_grade"],
             rounded(q["facility"]), rounded(q["sd"]), rounded(q["discrimination"]),
             rounded(q["efficiency"])]
            for q in data["questions"]
        ],
    )  # fmt: skip
    return people, questions


@require_GET
@member_required(perms.VIEW)
def quiz_results(request, quiz_id):
    quiz = scoped_get_or_404(request, Quiz, pk=quiz_id)
    data = quizzes.results(quiz)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        people, questions = _results_tables(data, fmt)
        name = f"resultats-quiz-{quiz.pk}-{datetime.date.today():%Y-%m-%d}"
        if fmt == "csv":
            by_question = request.GET.get("table") == "questions"
            header, rows = questions if by_question else people
            name += "-questions" if by_question else ""
            response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                xlsx_book([("personnes", *people), ("questions", *questions)]),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response
    people = data["people"]
    passed = sum(1 for r in people if r["passed"])
    chart = charts.bars([(label, n, None, None) for label, n in data["distribution"]])
    return render(
        request,
        "learning/quiz_results.html",
        {
            "quiz": quiz,
            "people": people[:200],
            "more": max(0, len(people) - 200),
            "units": data["units"],
            "questions": data["questions"],
            "to_grade": data["to_grade"],
            "chart": chart if any(n for _label, n in data["distribution"]) else None,
            "count": len(people),
            "passed": passed,
        },
    )


@require_GET
@member_required(perms.EDIT)
def quiz_to_grade(request, quiz_id):
    quiz = scoped_get_or_404(request, Quiz, pk=quiz_id)
    pending = (
        Response.objects.filter(
            attempt__quiz=quiz,
            attempt__state=AttemptState.FINISHED,
            question__qtype="essay",
            fraction=None,
        )
        .select_related("question", "attempt__user")
        .order_by("attempt__finished_at")
    )
    return render(
        request,
        "learning/quiz_to_grade.html",
        {"quiz": quiz, "pending": pending[:20], "count": pending.count()},
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def response_grade(request, response_id):
    """One essay to grade (GET), graded (POST), then back to the quiz's list."""
    response = scoped_get_or_404(
        request,
        Response.objects.select_related("question", "attempt__quiz", "attempt__user"),
        pk=response_id,
    )
    quiz = response.attempt.quiz
    if request.method == "GET":
        return render(
            request,
            "learning/quiz_to_grade.html",
            {"quiz": quiz, "pending": [response], "count": 1, "one": True},
        )
    form = EssayGradeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez une note entre 0 et 100 %."))
        return redirect("learning_response_grade", response_id=response.pk)
    try:
        quizzes.grade_essay(
            response, form.cleaned_data["percent"] / 100, form.cleaned_data["comment"], request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("La composition est notée."))
    return redirect("learning_quiz_to_grade", quiz_id=quiz.pk)


@require_GET
@member_required(perms.VIEW)
def attempt_review(request, attempt_id):
    """The team's view of one attempt: every answer, its mark and the right answer."""
    attempt = scoped_get_or_404(
        request, Attempt.objects.select_related("quiz", "user"), pk=attempt_id
    )
    return render(
        request,
        "learning/attempt_review.html",
        {"attempt": attempt, "rows": review_rows(attempt, everything=True), "staff": True},
    )


def review_rows(attempt, *, everything=False):
    """What a review page shows of each question, as the quiz's review options allow
    (everything for the team)."""
    quiz = attempt.quiz
    answers = {r.question_id: r for r in attempt.responses.all()}
    rows = []
    for question, order in quizzes.questions_of(attempt):
        response = answers.get(question.pk)
        rows.append(
            {
                "question": question,
                "order": order,
                "answer": response.answer if response else None,
                "shown": shown_answer(question, response.answer if response else None),
                "fraction": response.fraction if response else None,
                "feedback": response.feedback if response and (everything or quiz.show_feedback)
                else "",
                "comment": response.comment if response else "",
                "right": right_answer(question.qtype, question.data)
                if everything or quiz.show_right_answers
                else "",
                "general": question.general_feedback
                if everything or quiz.show_feedback
                else "",
            }
        )  # fmt: skip
    return rows


def right_answer(qtype, data):
    """The answer to show after an attempt, as text in the reader's language."""
    if qtype == "multichoice":
        return " ; ".join(a["text"] for a in data["answers"] if a["fraction"] > 0)
    if qtype == "truefalse":
        return _("Vrai") if data["answer"] else _("Faux")
    if qtype == "shortanswer":
        full = [a["text"] for a in data["answers"] if a["fraction"] == 1]
        return " ; ".join(full or [a["text"] for a in data["answers"][:1]])
    if qtype == "numerical":
        best = max(data["answers"], key=lambda a: a["fraction"])
        value = number_format(best["value"])
        if best["tolerance"]:
            return f"{value} ± {number_format(best['tolerance'])}"
        return value
    if qtype == "match":
        return " ; ".join(f"{p['left']} → {p['right']}" for p in data["pairs"])
    return ""


def shown_answer(question, answer):
    """A stored answer as text, for the review pages."""
    if answer in (None, "", [], {}):
        return ""
    if question.qtype == "multichoice":
        picked = answer if isinstance(answer, list) else [answer]
        texts = question.data["answers"]
        return " ; ".join(texts[i]["text"] for i in picked if 0 <= i < len(texts))
    if question.qtype == "truefalse":
        return _("Vrai") if answer else _("Faux")
    if question.qtype == "match":
        pairs = question.data["pairs"]
        return " ; ".join(f"{p['left']} → {answer.get(str(i), '—')}" for i, p in enumerate(pairs))
    return str(answer)
