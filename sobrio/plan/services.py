"""What the plan pages and reports do with the plan: status changes, actions created
from an assessment item or a scenario, indicator readings and cards, budget totals."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from sobrio.core import indicators as registry
from sobrio.plan.models import (
    Action,
    ActionComment,
    BudgetLine,
    Direction,
    Measurement,
    Plan,
    Status,
)

OPEN = (Status.TODO, Status.DOING)


def current_plan(institution):
    return Plan.objects.for_institution(institution).first()


def late(actions, today=None):
    today = today or datetime.date.today()
    return actions.filter(status__in=OPEN, planned_end__lt=today)


@transaction.atomic
def set_status(action, status, user, *, reason="", on=None):
    """Change the status, date it, and write the change in the action's history."""
    on = on or datetime.date.today()
    if status == Status.ABANDONED and not reason.strip():
        raise ValueError(_("Dites pourquoi l'action est abandonnée."))
    before = action.get_status_display()
    action.status = status
    if status == Status.DOING and action.started_on is None:
        action.started_on = on
    if status == Status.DONE:
        action.done_on = on
        action.started_on = action.started_on or on
    if status == Status.ABANDONED:
        action.abandoned_on = on
        action.abandon_reason = reason.strip()
    if status in OPEN:
        action.done_on = None
        action.abandoned_on = None
    action.save()
    text = _("Statut : %(before)s → %(after)s (%(on)s)") % {
        "before": before,
        "after": action.get_status_display(),
        "on": on.strftime("%d/%m/%Y"),
    }
    if status == Status.ABANDONED:
        text += " — " + action.abandon_reason
    ActionComment.objects.create(
        institution=action.institution, action=action, author=user, text=text
    )
    return action


def initial_from_answer(answer):
    item = answer.item
    return {
        "label": f"{item.code} — {item.title}"[:300],
        "description": _("Pour répondre à la pratique %(code)s (campagne « %(campaign)s »).")
        % {"code": item.code, "campaign": answer.campaign},
    }


def initial_from_scenario(scenario, impact, year):
    from sobrio.footprint.templatetags.figures import signed

    lines = []
    for row in impact:
        diff = row["diff"]
        if diff is None:  # unknown is never 0
            lines.append(f"{row['label']} : {_('non disponible')}")
            continue
        line = (
            f"{row['label']} : {signed(diff['value'])} {row['unit']}/an "
            f"({signed(diff['min'])} à {signed(diff['max'])})"
        )
        if diff.get("coverage", 1) < 1:
            line += " — " + _("couvre %(p)s %% des équipements changés") % {
                "p": round(100 * diff["coverage"])}  # fmt: skip
        lines.append(line)
    return {
        "label": scenario.name,
        "expected_impact": _(
            "D'après le scénario « %(name)s » (à partir de %(start)s), pour l'année %(year)s :"
        )
        % {"name": scenario.name, "start": scenario.start_year, "year": year}
        + "\n"
        + "\n".join(lines),
    }


def scenario_impact(scenario, year=None, method="stock"):
    """The scenario's difference per criterion for a stated year, as its page shows it."""
    from sobrio.footprint.services import scenario_comparison

    year = year or datetime.date.today().year  # a scenario looks ahead, as its page does
    return scenario_comparison(scenario.institution, scenario, year, method)


def impact_json(comparison):
    rows = comparison["rows"]
    out = {r["criterion"]: {"unit": r["unit"], **r["diff"]} for r in rows if r["diff"] is not None}
    out["year"] = comparison["year"]
    out["method"] = comparison["method"]
    return out


# --- indicators ---------------------------------------------------------------------------


def read(indicator, on=None):
    """The computed value of an indicator on a date (None and the reason when unknown)."""
    source = registry.SOURCES.get(indicator.source)
    if source is None:
        return registry.Reading(None, _("indicateur saisi à la main"))
    return source.read(indicator.institution, on or datetime.date.today(), indicator.params)


def measure_now(indicator, user, on=None):
    on = on or datetime.date.today()
    reading = read(indicator, on)
    if reading.value is None:
        raise ValueError(reading.note)
    measurement, _created = Measurement.objects.update_or_create(
        institution=indicator.institution,
        indicator=indicator,
        measured_on=on,
        defaults={"value": reading.value, "comment": reading.note[:500], "author": user},
    )
    return measurement


def card(indicator, on=None):
    """Latest value, the next target, the gap to it, and points for a sparkline."""
    on = on or datetime.date.today()
    points = [(m.measured_on, m.value) for m in indicator.measurements.all() if m.measured_on <= on]
    latest = points[-1] if points else None
    targets = list(indicator.targets.all())
    target = next((t for t in targets if t.due_on >= on), targets[-1] if targets else None)
    gap = met = None
    if latest and target:
        gap = target.value - latest[1]
        met = gap <= 0 if indicator.direction == Direction.UP else gap >= 0
    return {
        "indicator": indicator,
        "latest": latest,
        "target": target,
        "gap": gap,
        "met": met,
        "points": points,
    }


def sparkline(points, width=120, height=32):
    """SVG polyline coordinates for a series of (date, value), oldest first."""
    if len(points) < 2:
        return ""
    xs = [p[0].toordinal() for p in points]
    ys = [p[1] for p in points]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    span_x = (x1 - x0) or 1
    span_y = (y1 - y0) or 1
    coords = (
        (2 + (x - x0) / span_x * (width - 4), height - 2 - (y - y0) / span_y * (height - 4))
        for x, y in zip(xs, ys, strict=True)
    )
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)


def trend(points, width=480, height=120, left=72):
    """A labelled chart of a series: the line, and its lowest and highest values written on
    their gridlines, so a small change is not read as a steep one."""
    from sobrio.core.numbers import num

    if len(points) < 2:
        return None
    top, bottom = 10, height - 10
    xs = [p[0].toordinal() for p in points]
    ys = [float(p[1]) for p in points]
    x0, span_x = min(xs), (max(xs) - min(xs)) or 1
    y0, y1 = min(ys), max(ys)
    span_y = (y1 - y0) or 1
    coords = [
        (left + (x - x0) / span_x * (width - left - 4), bottom - (y - y0) / span_y * (bottom - top))
        for x, y in zip(xs, ys, strict=True)
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "line": " ".join(f"{x:.1f},{y:.1f}" for x, y in coords),
        "low": {"y": bottom, "label": num(y0)},
        "high": {"y": top, "label": num(y1)},
        "flat": y0 == y1,
    }


# --- budget -------------------------------------------------------------------------------

ZERO = Decimal("0")


MONEY = ("planned", "committed", "spent")


def budget_totals(plan, years=None):
    """Planned, committed and spent: in all, by axis, by year and by funding source.

    years: (first, last) to keep only the lines of those years (a report's period).
    """
    lines = BudgetLine.objects.for_institution(plan.institution).filter(action__plan=plan)
    if years is not None:
        lines = lines.filter(year__gte=years[0], year__lte=years[1])
    sums = {k: Sum(k) for k in MONEY}

    def grouped(field, name, order, *extra):
        rows = lines.values(field, *extra).annotate(**sums).order_by(order)
        return [{name: row[field], **{k: row[k] or ZERO for k in MONEY}} for row in rows]

    return {
        "total": {k: v or ZERO for k, v in lines.aggregate(**sums).items()},
        "by_axis": grouped(
            "action__axis__name", "axis", "action__axis__position", "action__axis__position"
        ),
        "by_year": grouped("year", "year", "year"),
        "by_source": grouped("source", "source", "-planned"),
    }


def status_counts(plan):
    """{axis pk: {status: n}} and the plan's totals per status."""
    rows = (
        Action.objects.for_institution(plan.institution)
        .filter(plan=plan)
        .values("axis", "status")
        .annotate(n=Count("pk"))
    )
    per_axis = defaultdict(dict)
    totals = dict.fromkeys(Status.values, 0)
    for row in rows:
        per_axis[row["axis"]][row["status"]] = row["n"]
        totals[row["status"]] += row["n"]
    return per_axis, totals


def mine(actions, membership):
    return actions.filter(pilot=membership)


# --- timeline -------------------------------------------------------------------------------

TIMELINE_WIDTH = 640
TIMELINE_LABEL = 200
TIMELINE_ROW = 22


def timeline(plan, actions, today=None):
    """Geometry of a Gantt chart of the planned periods, within the plan's horizon."""
    today = today or datetime.date.today()
    first, last = plan.starts_on.toordinal(), plan.ends_on.toordinal() + 1
    span = max(last - first, 1)
    inner = TIMELINE_WIDTH - TIMELINE_LABEL

    def x(day):
        clipped = min(max(day.toordinal(), first), last)
        return round(TIMELINE_LABEL + (clipped - first) / span * inner, 1)

    rows = []
    for i, action in enumerate(actions):
        start = action.planned_start or action.identified_on
        end = action.planned_end or start
        rows.append(
            {
                "action": action,
                "y": i * TIMELINE_ROW,
                "x": x(start),
                "width": round(max(x(end) - x(start), 2), 1),
                "late": action.is_late(today),
            }
        )
    years = [
        {"year": year, "x": x(datetime.date(year, 1, 1))}
        for year in range(plan.starts_on.year, plan.ends_on.year + 1)
    ]
    return {
        "rows": rows,
        "years": years,
        "today": x(today) if plan.starts_on <= today <= plan.ends_on else None,
        "height": max(len(rows), 1) * TIMELINE_ROW + 20,
        "width": TIMELINE_WIDTH,
        "label_width": TIMELINE_LABEL,
    }
