"""Reports built from the live plan, indicators, footprint, assessments and budget; a
frozen report keeps the figures it had (its snapshot) whatever happens to the data."""

import calendar
import datetime
import re

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrio.plan import services as plan_services
from sobrio.plan.models import Action, Indicator, Status
from sobrio.reports.models import Kind, Report

QUARTER = re.compile(r"^(\d{4})-[QT]([1-4])$")
YEAR = re.compile(r"^(\d{4})$")
YEARS = re.compile(r"^(\d{4})-(\d{4})$")


def period_bounds(kind, period):
    """First and last day of a period written 2026-Q3 (or 2026-T3), 2026 or 2025-2028."""
    text = (period or "").strip().upper()
    if kind == Kind.QUARTERLY and (m := QUARTER.match(text)):
        year, quarter = int(m[1]), int(m[2])
        last_month = quarter * 3
        return (
            datetime.date(year, last_month - 2, 1),
            datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
        )
    if kind == Kind.ANNUAL and (m := YEAR.match(text)):
        year = int(m[1])
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if kind == Kind.FINAL and (m := YEARS.match(text)) and int(m[1]) <= int(m[2]):
        return datetime.date(int(m[1]), 1, 1), datetime.date(int(m[2]), 12, 31)
    expected = {
        Kind.QUARTERLY: _("une année et un trimestre, par exemple 2026-T3"),
        Kind.ANNUAL: _("une année, par exemple 2026"),
        Kind.FINAL: _("deux années, par exemple 2025-2028"),
    }.get(kind, "?")
    raise ValueError(_("Période « %(period)s » illisible : attendu %(expected)s.") % {
        "period": period,
        "expected": expected,
    })  # fmt: skip


def normalise(kind, period):
    text = period.strip().upper().replace("T", "Q") if kind == Kind.QUARTERLY else period.strip()
    return text


# --- the figures --------------------------------------------------------------------------


def _iso(day):
    return day.isoformat() if day else None


def _action_row(action, when):
    return {
        "id": action.pk,
        "label": action.label,
        "axis": action.axis.name,
        "pilot": (action.pilot.user.get_full_name() or action.pilot.user.email)
        if action.pilot
        else "",
        "date": _iso(when),
        "reason": action.abandon_reason,
    }


def build(institution, starts_on, ends_on):
    """Every figure of a report for the days [starts_on, ends_on], JSON-ready."""
    plan = plan_services.current_plan(institution)
    data = {
        "institution": institution.name,
        "starts_on": _iso(starts_on),
        "ends_on": _iso(ends_on),
        "built_at": timezone.now().isoformat(timespec="seconds"),
        "plan": None,
    }
    if plan is not None:
        data["plan"] = {
            "title": plan.title,
            "starts_on": _iso(plan.starts_on),
            "ends_on": _iso(plan.ends_on),
        }
        data.update(_actions(institution, plan, starts_on, ends_on))
        data["indicators"] = _indicators(institution, plan, starts_on, ends_on)
        data["budget"] = _budget(plan, starts_on, ends_on)
    data["footprint"] = _footprint(institution, ends_on)
    data["assessment"] = _assessment(institution, ends_on)
    from sobrio.cleanup import indicators as cleanup
    from sobrio.ideas import indicators as ideas
    from sobrio.learning import indicators as learning

    # one section of the report for Agir's awareness (its key kept: frozen reports hold it)
    data["awareness"] = learning.report_figures(institution, starts_on, ends_on) | {
        "campaigns": cleanup.report_figures(institution, starts_on, ends_on),
        "ideas": ideas.report_figures(institution, starts_on, ends_on),
    }
    from sobrio.reuse.indicators import report_figures as reuse_figures

    data["reuse"] = reuse_figures(institution, starts_on, ends_on)
    return data


def _actions(institution, plan, start, end):
    actions = (
        Action.objects.for_institution(institution)
        .filter(plan=plan)
        .select_related("axis", "pilot__user")
        .order_by("axis__position", "label")
    )
    in_period = {"done_on__gte": start, "done_on__lte": end}
    done = actions.filter(status=Status.DONE, **in_period)
    started = actions.filter(started_on__gte=start, started_on__lte=end)
    abandoned = actions.filter(
        status=Status.ABANDONED, abandoned_on__gte=start, abandoned_on__lte=end
    )
    # Late as things stood on the last day: planned to end before it, neither done nor
    # abandoned by then (what happened after the period does not rewrite it).
    late = actions.filter(planned_end__lt=end).exclude(
        Q(done_on__lte=end) | Q(abandoned_on__lte=end)
    )
    axes = list(plan.axes.all())
    per_axis = {
        a.pk: {"axis": a.name, "done": 0, "started": 0, "late": 0, "abandoned": 0} for a in axes
    }
    for name, rows in (
        ("done", done),
        ("started", started),
        ("late", late),
        ("abandoned", abandoned),
    ):
        for axis_id in rows.values_list("axis_id", flat=True):
            per_axis[axis_id][name] += 1
    return {
        "actions": {
            "done": [_action_row(a, a.done_on) for a in done],
            "started": [_action_row(a, a.started_on) for a in started],
            "late": [_action_row(a, a.planned_end) for a in late],
            "abandoned": [_action_row(a, a.abandoned_on) for a in abandoned],
            "total": actions.count(),
        },
        "per_axis": [per_axis[a.pk] for a in axes],
    }  # fmt: skip


def _indicators(institution, plan, start, end):
    rows = []
    indicators = (
        Indicator.objects.for_institution(institution)
        .filter(plan=plan, key=True)
        .prefetch_related("measurements", "targets")
    )
    before = start - datetime.timedelta(days=1)
    for indicator in indicators:
        card = plan_services.card(indicator, on=end)
        previous = plan_services.card(indicator, on=before)["latest"]
        points = [(d, v) for d, v in card["points"] if d >= plan.starts_on]
        rows.append(
            {
                "name": indicator.name,
                "unit": indicator.unit,
                "direction": indicator.direction,
                "value": card["latest"][1] if card["latest"] else None,
                "measured_on": _iso(card["latest"][0]) if card["latest"] else None,
                "previous": previous[1] if previous else None,
                "target": card["target"].value if card["target"] else None,
                "target_on": _iso(card["target"].due_on) if card["target"] else None,
                "gap": card["gap"],
                "met": card["met"],
                "line": plan_services.sparkline(points),
            }
        )
    return rows


def _budget(plan, start, end):
    totals = plan_services.budget_totals(plan, years=(start.year, end.year))

    def floats(row):  # JSON-ready: the snapshot of a frozen report
        return {k: float(v) if k in plan_services.MONEY else v for k, v in row.items()}

    return {
        "years": [start.year, end.year],
        "total": floats(totals["total"]),
        "by_axis": [floats(r) for r in totals["by_axis"]],
        "by_source": [floats(r) for r in totals["by_source"]],
    }


def _footprint(institution, end):
    from sobrio.footprint import services as footprint

    current = footprint.footprint(institution, year=end.year)
    previous = footprint.footprint(institution, year=end.year - 1)
    categories = sorted(
        current["by_category"].items(),
        key=lambda kv: -(kv[1]["gwp"]["total"]["value"] or 0),
    )[:8]
    return {
        "year": end.year,
        "method": current["method"],
        "factor_set": current["factor_set"]["name"] + " " + current["factor_set"]["version"],
        "electricity": current["electricity"].get("gwp"),
        "rows": current["rows"]["count"],
        "totals": {c: current["totals"][c] for c in ("gwp", "adpe", "pe")},
        "previous": {c: previous["totals"][c]["total"] for c in ("gwp", "adpe", "pe")},
        "categories": [
            {"label": entry["label"], "count": entry["count"], "gwp": entry["gwp"]["total"]}
            for _code, entry in categories
        ],
    }


def _assessment(institution, end):
    from sobrio.assessment.models import Campaign
    from sobrio.assessment.services import campaign_data

    campaigns = (
        Campaign.objects.for_institution(institution)
        .filter(Q(starts_on__lte=end) | Q(starts_on__isnull=True, created_at__date__lte=end))
        .select_related("referential")
        .order_by("-starts_on", "-created_at")[:2]
    )
    out = []
    for campaign in campaigns:
        results = campaign_data(campaign)["results"]
        out.append(
            {
                "name": campaign.name,
                "referential": str(campaign.referential),
                "score": results["score"],
                "progress": results["progress"],
                "closed": campaign.is_closed,
            }
        )
    return out


# --- lifecycle ----------------------------------------------------------------------------


def create(institution, kind, period):
    """A new draft, with the next version number of its period.

    Two people creating the same period at once would both read the same latest version:
    the institution's row is locked for the transaction (SQLite's writers already queue),
    so the second reads the first's version and takes the next one.
    """
    from sobrio.core.models import Institution

    starts_on, ends_on = period_bounds(kind, period)
    period = normalise(kind, period)
    with transaction.atomic():
        Institution.objects.select_for_update().only("pk").get(pk=institution.pk)
        latest = (
            Report.objects.for_institution(institution)
            .filter(kind=kind, period=period)
            .aggregate(v=Max("version"))["v"]
        )
        return Report.objects.create(
            institution=institution,
            kind=kind,
            period=period,
            starts_on=starts_on,
            ends_on=ends_on,
            version=(latest or 0) + 1,
        )


def data_for(report):
    """The frozen snapshot, or the live figures of a draft."""
    if report.is_frozen:
        return report.snapshot
    return build(report.institution, report.starts_on, report.ends_on)


@transaction.atomic
def freeze(report, user):
    if report.is_frozen:
        raise ValueError(_("Ce rapport est déjà figé."))
    report.snapshot = build(report.institution, report.starts_on, report.ends_on)
    report.frozen_at = timezone.now()
    report.frozen_by = user
    report.save()
    return report


def new_version(report):
    """A draft copy of a frozen report, with the next version number and its texts."""
    draft = create(report.institution, report.kind, report.period)
    draft.synthesis, draft.difficulties, draft.outlook = (
        report.synthesis,
        report.difficulties,
        report.outlook,
    )
    draft.save()
    return draft
