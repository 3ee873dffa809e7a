"""Indicators of learning (see core/indicators.py): people trained, share of the
headcount trained, sessions held, attendance, satisfaction, quiz pass rate, people
certified. Each counts the twelve months up to the date read (people certified: every
certificate still valid on that date) and says so in its note."""

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrio.core.indicators import Reading, Source, period_bounds, register
from sobrio.core.indicators import period_note as _period_note
from sobrio.core.indicators import twelve_months as _window


def _trained(institution, on):
    """People who validated a module or attended a workshop in the window."""
    from sobrio.learning.models import ModuleValidation, Registration

    start, end = _window(on)
    validated = ModuleValidation.objects.for_institution(institution).filter(
        passed=True, on__gt=start.date(), on__lte=on
    )
    attended = Registration.objects.for_institution(institution).filter(
        checked_in_at__gte=start, checked_in_at__lt=end
    )
    return set(validated.values_list("user_id", flat=True)) | set(
        attended.values_list("user_id", flat=True)
    )


def people_trained(institution, on):
    people = _trained(institution, on)
    return Reading(
        len(people),
        _("personnes ayant validé un module ou suivi un atelier, %(period)s")
        % {"period": _period_note(on)},
    )


def headcount_trained_share(institution, on):
    from sobrio.footprint import services

    settings = services.settings_for(institution)
    headcount = (settings.staff_count or 0) + (settings.student_count or 0)
    if not headcount:
        return Reading(None, _("effectifs non renseignés dans les réglages de l'empreinte"))
    people = len(_trained(institution, on))
    return Reading(
        100 * people / headcount,
        _("%(n)s personnes formées sur %(total)s (personnel et étudiant·es), %(period)s")
        % {"n": people, "total": headcount, "period": _period_note(on)},
    )


def _held(institution, on):
    from sobrio.learning.models import Session

    start, end = _window(on)
    return Session.objects.for_institution(institution).filter(
        cancelled_at=None, starts_at__gte=start, starts_at__lt=end
    )


def sessions_held(institution, on):
    return Reading(
        _held(institution, on).count(),
        _("séances d'ateliers et de webinaires non annulées, %(period)s")
        % {"period": _period_note(on)},
    )


def attendance_rate(institution, on):
    from sobrio.learning.models import Registration

    counts = Registration.objects.filter(
        session__in=_held(institution, on), state="confirmed"
    ).aggregate(registered=Count("pk"), present=Count("pk", filter=Q(checked_in_at__isnull=False)))
    if not counts["registered"]:
        return Reading(None, _("aucune personne inscrite à une séance tenue"))
    return Reading(
        100 * counts["present"] / counts["registered"],
        _("%(p)s présent·es pour %(r)s inscrit·es, %(period)s")
        % {"p": counts["present"], "r": counts["registered"], "period": _period_note(on)},
    )


def satisfaction(institution, on):
    from sobrio.learning.models import SurveyAnswer

    answers = SurveyAnswer.objects.filter(session__in=_held(institution, on)).aggregate(
        mean=Avg("rating"), n=Count("pk")
    )
    if not answers["n"]:
        return Reading(None, _("aucun avis sur les séances tenues"))
    return Reading(
        answers["mean"],
        _("moyenne de %(n)s avis anonymes (1 à 5), %(period)s")
        % {"n": answers["n"], "period": _period_note(on)},
    )


def quiz_pass_rate(institution, on):
    """Share of (person, quiz) pairs with a finished attempt in the window whose kept
    grade reaches the quiz's pass mark."""
    from sobrio.learning import grading
    from sobrio.learning.models import Attempt

    start, end = _window(on)
    scores = {}
    for quiz_id, user_id, score, method, mark in (
        Attempt.objects.for_institution(institution)
        .filter(state="finished", finished_at__gte=start, finished_at__lt=end)
        .order_by("number")
        .values_list("quiz_id", "user_id", "score", "quiz__grade_method", "quiz__pass_mark")
    ):
        scores.setdefault((quiz_id, user_id), [method, mark, []])[2].append(score)
    graded = [
        (grading.final_score(s, method), mark)
        for method, mark, s in scores.values()
        if grading.final_score(s, method) is not None
    ]
    if not graded:
        return Reading(None, _("aucune tentative de quiz notée"))
    passed = sum(1 for grade, mark in graded if 100 * grade >= mark)
    return Reading(
        100 * passed / len(graded),
        _("%(p)s réussites sur %(n)s personnes et quiz, %(period)s")
        % {"p": passed, "n": len(graded), "period": _period_note(on)},
    )


def people_certified(institution, on):
    from sobrio.learning.models import Certificate

    _start, end = _window(on)
    count = (
        Certificate.objects.for_institution(institution)
        .filter(issued_on__lte=on)
        .filter(Q(revoked_at=None) | Q(revoked_at__gte=end))
        .values("user")
        .distinct()
        .count()
    )
    return Reading(count, _("personnes titulaires d'une attestation valable le %(on)s")
                   % {"on": on.strftime("%d/%m/%Y")})  # fmt: skip


def register_all():
    for key, label, unit, kind, compute in (
        ("awareness_people_trained", gettext_lazy("Personnes formées (12 mois)"),
         gettext_lazy("personnes"), "number", people_trained),
        ("awareness_headcount_trained", gettext_lazy("Part des effectifs formés (12 mois)"),
         "%", "percent", headcount_trained_share),
        ("awareness_sessions_held", gettext_lazy("Séances d'ateliers tenues (12 mois)"),
         gettext_lazy("séances"), "number", sessions_held),
        ("awareness_attendance", gettext_lazy("Taux de présence aux ateliers (12 mois)"),
         "%", "percent", attendance_rate),
        ("awareness_satisfaction", gettext_lazy("Satisfaction des ateliers (12 mois)"),
         "/5", "number", satisfaction),
        ("awareness_quiz_pass_rate", gettext_lazy("Taux de réussite aux quiz (12 mois)"),
         "%", "percent", quiz_pass_rate),
        ("awareness_people_certified", gettext_lazy("Personnes titulaires d'une attestation"),
         gettext_lazy("personnes"), "number", people_certified),
    ):  # fmt: skip
        register(Source(key, label, unit, kind, "up", compute))


def report_figures(institution, starts_on, ends_on):
    """What a report says of training over its period [starts_on, ends_on]."""
    from sobrio.learning.models import (
        Certificate,
        ModuleValidation,
        Registration,
        Session,
        SurveyAnswer,
    )

    start, end = period_bounds(starts_on, ends_on)
    held = Session.objects.for_institution(institution).filter(
        cancelled_at=None, starts_at__gte=start, starts_at__lt=end
    )
    registrations = Registration.objects.filter(session__in=held, state="confirmed")
    present = registrations.exclude(checked_in_at=None)
    survey = SurveyAnswer.objects.filter(session__in=held).aggregate(
        mean=Avg("rating"), n=Count("pk")
    )
    trained = set(present.values_list("user_id", flat=True)) | set(
        ModuleValidation.objects.for_institution(institution)
        .filter(passed=True, on__gte=starts_on, on__lte=ends_on)
        .values_list("user_id", flat=True)
    )
    registered = registrations.count()
    return {
        "sessions": held.count(),
        "registered": registered,
        "present": present.count(),
        "attendance": round(100 * present.count() / registered, 1) if registered else None,
        "satisfaction": round(survey["mean"], 1) if survey["n"] else None,
        "survey_answers": survey["n"],
        "trained": len(trained),
        "certificates": Certificate.objects.for_institution(institution)
        .filter(issued_on__gte=starts_on, issued_on__lte=ends_on, revoked_at=None)
        .count(),
    }
