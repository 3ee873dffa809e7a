"""Indicators of awareness (see core/indicators.py): people trained, share of the
headcount trained, sessions held, attendance, satisfaction, quiz pass rate, people
certified. Each counts the twelve months up to the date read (people certified: every
certificate still valid on that date) and says so in its note."""

import datetime

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrio.core.indicators import Reading, Source, register


def _window(on):
    end = timezone.make_aware(datetime.datetime.combine(on + datetime.timedelta(days=1),
                                                        datetime.time()))  # fmt: skip
    return end - datetime.timedelta(days=365), end


def _period_note(on):
    start = on - datetime.timedelta(days=364)
    return _("du %(start)s au %(end)s") % {
        "start": start.strftime("%d/%m/%Y"),
        "end": on.strftime("%d/%m/%Y"),
    }


def _trained(institution, on):
    """People who validated a module or attended a workshop in the window."""
    from sobrio.awareness.models import ModuleValidation, Registration

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
    from sobrio.awareness.models import Session

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
    from sobrio.awareness.models import Registration

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
    from sobrio.awareness.models import SurveyAnswer

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
    from sobrio.awareness import grading
    from sobrio.awareness.models import Attempt

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
    from sobrio.awareness.models import Certificate

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


def _campaign_totals(institution, on):
    """The cleanup campaigns that started in the twelve months up to on, and their
    accepted pledges made by then."""
    from sobrio.awareness.cleanup import DEVICE_SUM, GB_SUM
    from sobrio.awareness.models import CleanupCampaign, Pledge, PledgeState

    start, end = _window(on)
    campaigns = CleanupCampaign.objects.for_institution(institution).filter(
        starts_on__gt=start.date(), starts_on__lte=on
    )
    pledges = Pledge.objects.filter(
        campaign__in=campaigns, state=PledgeState.ACCEPTED, created_at__lt=end
    )
    row = pledges.aggregate(
        people=Count("user", distinct=True),
        anonymous=Count("pk", filter=Q(user=None)),
        teams=Count("team", distinct=True),
        gb=Sum(GB_SUM),
        devices=Sum(DEVICE_SUM),
    )
    return campaigns.count(), row


def _cleanup_reading(field, note):
    def compute(institution, on):
        n, row = _campaign_totals(institution, on)
        if not n:
            return Reading(None, _("aucune campagne de nettoyage commencée %(period)s")
                           % {"period": _period_note(on)})  # fmt: skip
        value = row["people"] + row["anonymous"] if field == "participants" else row[field]
        return Reading(
            value or 0,
            note % {"n": n, "period": _period_note(on)},
        )

    return compute


def _ideas_reading(statuses, note):
    def compute(institution, on):
        from sobrio.awareness.models import Idea

        start, end = _window(on)
        rows = Idea.objects.for_institution(institution).filter(
            merged_into=None, created_at__gte=start, created_at__lt=end
        )
        if statuses:
            rows = rows.filter(status__in=statuses)
        return Reading(rows.count(), note % {"period": _period_note(on)})

    return compute


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
    campaigns = gettext_lazy(
        "déclarations acceptées des campagnes de nettoyage (%(n)s) commencées %(period)s"
    )
    for key, label, unit, field in (
        ("cleanup_participants", gettext_lazy("Participant·es au nettoyage numérique (12 mois)"),
         gettext_lazy("personnes"), "participants"),
        ("cleanup_teams", gettext_lazy("Équipes du nettoyage numérique (12 mois)"),
         gettext_lazy("équipes"), "teams"),
        ("cleanup_gb_deleted", gettext_lazy("Go supprimés au nettoyage numérique (12 mois)"),
         "Go", "gb"),
        ("cleanup_devices", gettext_lazy("Appareils collectés au nettoyage numérique (12 mois)"),
         gettext_lazy("appareils"), "devices"),
    ):  # fmt: skip
        register(Source(key, label, unit, "number", "up", _cleanup_reading(field, campaigns)))
    for key, label, statuses, note in (
        ("ideas_received", gettext_lazy("Idées reçues (12 mois)"), (),
         gettext_lazy("idées proposées %(period)s (doublons fusionnés exclus)")),
        ("ideas_accepted", gettext_lazy("Idées retenues (12 mois)"), ("accepted", "done"),
         gettext_lazy("idées proposées %(period)s, retenues ou réalisées")),
        ("ideas_done", gettext_lazy("Idées réalisées (12 mois)"), ("done",),
         gettext_lazy("idées proposées %(period)s et réalisées")),
    ):  # fmt: skip
        register(Source(key, label, gettext_lazy("idées"), "number", "up",
                        _ideas_reading(statuses, note)))  # fmt: skip


def report_figures(institution, starts_on, ends_on):
    """What a report says of awareness over its period [starts_on, ends_on]."""
    from sobrio.awareness.models import (
        Certificate,
        ModuleValidation,
        Registration,
        Session,
        SurveyAnswer,
    )

    start = timezone.make_aware(datetime.datetime.combine(starts_on, datetime.time()))
    end = timezone.make_aware(
        datetime.datetime.combine(ends_on + datetime.timedelta(days=1), datetime.time())
    )
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
    from sobrio.awareness import cleanup
    from sobrio.awareness.models import CleanupCampaign, Idea

    campaigns = []
    for campaign in CleanupCampaign.objects.for_institution(institution).filter(
        starts_on__lte=ends_on, ends_on__gte=starts_on
    ):
        figures = cleanup.totals(campaign)
        campaigns.append({
            "name": campaign.name,
            "starts_on": campaign.starts_on.isoformat(),
            "ends_on": campaign.ends_on.isoformat(),
            "participants": figures["participants"],
            "teams": figures["teams"],
            "pledges": figures["pledges"]["accepted"],
            "gb_deleted": figures["gb_deleted"],
            "devices_collected": figures["devices_collected"],
        })  # fmt: skip
    new_ideas = Idea.objects.for_institution(institution).filter(
        merged_into=None, created_at__gte=start, created_at__lt=end
    )
    return {
        "campaigns": campaigns,
        "ideas": {
            "received": new_ideas.count(),
            "accepted": new_ideas.filter(status__in=("accepted", "done")).count(),
            "done": new_ideas.filter(status="done").count(),
        },
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
