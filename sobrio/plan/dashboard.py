"""The plan's cards on the cockpit: progress, budget, key indicators, my actions."""

import datetime

from django.utils.translation import gettext_lazy as _

from sobrio.core import dashboard


def progress(plan, today=None):
    """What the plan's overview shows: counts by status, late, next deadlines, budget."""
    from sobrio.plan import services
    from sobrio.plan.models import Action, Status

    today = today or datetime.date.today()
    _per_axis, totals = services.status_counts(plan)
    actions = Action.objects.for_institution(plan.institution).filter(plan=plan)
    next_deadlines = (
        actions.filter(status__in=services.OPEN, planned_end__gte=today)
        .order_by("planned_end", "label")
        .only("pk", "label", "planned_end")[:3]
    )
    return {
        "plan": plan,
        "done": totals[Status.DONE],
        "doing": totals[Status.DOING],
        "todo": totals[Status.TODO],
        "total": sum(totals.values()),
        "late": services.late(actions, today).count(),
        "next": list(next_deadlines),
        "budget": services.budget_totals(plan)["total"],
    }


def plan_card(request):
    from sobrio.plan import services

    plan = services.current_plan(request.institution)
    return progress(plan) if plan else None


def indicators_card(request):
    from sobrio.plan import services
    from sobrio.plan.models import Indicator

    plan = services.current_plan(request.institution)
    if plan is None:
        return None
    indicators = (
        Indicator.objects.for_institution(request.institution)
        .filter(plan=plan, key=True)
        .prefetch_related("measurements", "targets")[:4]
    )
    cards = [services.card(i) for i in indicators]
    return {"cards": cards} if cards else None


def mine_card(request):
    from sobrio.plan import services
    from sobrio.plan.models import Action

    plan = services.current_plan(request.institution)
    if plan is None:
        return None
    actions = services.mine(
        Action.objects.for_institution(request.institution).filter(plan=plan), request.membership
    )
    count = actions.filter(status__in=services.OPEN).count()
    if not count:
        return None
    return {"open": count, "late": services.late(actions).count()}


def register():
    dashboard.register_card(
        dashboard.Card("plan", 30, "plan/dashboard_card.html", plan_card, depends=("plan",))
    )
    dashboard.register_card(
        dashboard.Card("indicators", 40, "plan/dashboard_indicators.html", indicators_card)
    )
    dashboard.register_card(
        dashboard.Card("plan-mine", 60, "plan/dashboard_mine.html", mine_card, depends=("plan",))
    )
    dashboard.register_step(
        dashboard.Step(
            "plan",
            40,
            _("Créer le plan d'action"),
            "plan_settings",
            lambda institution: _has_plan(institution),
        )
    )


def _has_plan(institution):
    from sobrio.plan.models import Plan

    return Plan.objects.for_institution(institution).exists()
