"""Planifier: the plan, its actions (board, list, detail), indicators and budget."""

import datetime
import functools
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.core import perms
from sobrio.core.navigation import safe_next
from sobrio.core.tenancy import member_required, scoped_get_or_404
from sobrio.imports.problems import ImportFailure
from sobrio.plan import exchange, services
from sobrio.plan.forms import (
    ActionForm,
    AxisForm,
    BudgetLineForm,
    CommentForm,
    IndicatorForm,
    MeasurementForm,
    ObjectiveForm,
    PlanForm,
    PlanImportForm,
    StatusForm,
    TargetForm,
)
from sobrio.plan.models import (
    Action,
    ActionComment,
    Axis,
    Indicator,
    IndicatorKind,
    Status,
)
from sobrio.referentials.models import Referential

ACTION_SORTS = {
    "intitule": "label",
    "axe": "axis__position",
    "statut": "status",
    "pilote": "pilot__user__full_name",
    "fin": "planned_end",
}
PAGE_SIZE = 12
BOARD_CELL = 4  # actions listed per axis and status on the board, the rest behind a link


def _can_edit(request):
    return perms.has_capability(request.membership, perms.EDIT)


def _may_change(request, action):
    """Officers change every action; a pilot changes their own, if their role may write (a
    viewer named pilot still only reads)."""
    return _can_edit(request) or (
        request.membership is not None
        and action.pilot_id == request.membership.pk
        and perms.has_capability(request.membership, perms.CONTRIBUTE)
    )


def _render(request, template, context):
    return render(request, template, {"can_edit": _can_edit(request), **context})


def _plan_or_none(request):
    return services.current_plan(request.institution)


def _with_plan(view):
    """Pass the institution's plan to the view; without one, a page that offers to make it."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        plan = _plan_or_none(request)
        if plan is None:  # making the plan first brings the person back here, query kept
            return _render(request, "plan/no_plan.html", {"next": request.get_full_path()})
        return view(request, plan, *args, **kwargs)

    return wrapper


@require_GET
@member_required(perms.VIEW)
@_with_plan
def home(request, plan):
    per_axis, totals = services.status_counts(plan)
    actions = Action.objects.for_institution(request.institution).filter(plan=plan)
    indicators = (
        Indicator.objects.for_institution(request.institution)
        .filter(plan=plan, key=True)
        .prefetch_related("measurements", "targets")[:4]
    )
    cards = [services.card(i) for i in indicators]
    for c in cards:
        c["line"] = services.sparkline(c["points"])
    axes = list(plan.axes.all())
    for axis in axes:
        axis.counts = [per_axis.get(axis.pk, {}).get(s, 0) for s in Status.values]
    return _render(
        request,
        "plan/home.html",
        {
            "plan": plan,
            "axes": axes,
            "statuses": Status.choices,
            "totals": [totals[s] for s in Status.values],
            "late": services.late(actions).count(),
            "mine": services.mine(actions, request.membership).count(),
            "budget": services.budget_totals(plan)["total"],
            "cards": cards,
        },
    )


@require_GET
@member_required(perms.VIEW)
@_with_plan
def board(request, plan):
    """Axes down, statuses across: the plan at a glance, plain links, no JavaScript."""
    actions = (
        Action.objects.for_institution(request.institution)
        .filter(plan=plan)
        .order_by("planned_end", "label")
    )
    today = datetime.date.today()
    cells = {}
    for action in actions.only("pk", "label", "axis_id", "status", "planned_end"):
        cells.setdefault((action.axis_id, action.status), []).append(action)
    rows = []
    for axis in plan.axes.all():
        row = []
        for status, label in Status.choices:
            listed = cells.get((axis.pk, status), [])
            for action in listed:
                action.late = action.is_late(today)
            row.append(
                {
                    "status": status,
                    "label": label,
                    "shown": listed[:BOARD_CELL],
                    "more": len(listed) - BOARD_CELL,
                }
            )
        rows.append({"axis": axis, "cells": row})
    return _render(
        request,
        "plan/board.html",
        {"plan": plan, "rows": rows, "statuses": Status.choices},
    )


@require_GET
@member_required(perms.VIEW)
@_with_plan
def timeline(request, plan):
    """Planned periods as an SVG Gantt chart, with the same dates in a table."""
    actions = (
        Action.objects.for_institution(request.institution)
        .filter(plan=plan)
        .select_related("axis")
        .order_by("axis__position", "planned_start", "label")
    )
    actions = list(actions)  # the whole plan on one chart: a Gantt is not paginated
    return _render(
        request,
        "plan/timeline.html",
        {"plan": plan, "actions": actions, "chart": services.timeline(plan, actions)},
    )


@require_GET
@member_required(perms.VIEW)
@_with_plan
def action_list(request, plan):
    actions = (
        Action.objects.for_institution(request.institution)
        .filter(plan=plan)
        .select_related("axis", "pilot__user")
    )
    filters = {k: request.GET.get(k, "")[:100] for k in ("status", "axis", "late", "mine", "q",
                                                          "sort")}  # fmt: skip
    if filters["q"].strip():
        text = filters["q"].strip()
        actions = actions.filter(Q(label__icontains=text) | Q(description__icontains=text))
    if filters["status"] in Status.values:
        actions = actions.filter(status=filters["status"])
    if filters["axis"].isdigit() and len(filters["axis"]) < 19:
        actions = actions.filter(axis_id=int(filters["axis"]))
    if filters["late"]:
        actions = services.late(actions)
    if filters["mine"]:
        actions = services.mine(actions, request.membership)
    order = ACTION_SORTS.get(filters["sort"].lstrip("-"))
    if order:
        actions = actions.order_by(("-" if filters["sort"].startswith("-") else "") + order, "pk")
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    today = datetime.date.today()
    for action in page.object_list:
        action.late = action.is_late(today)
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    columns = [
        (key, label, "-" + key if filters["sort"] == key else key)
        for key, label in (("intitule", _("Action")), ("axe", _("Axe")), ("statut", _("Statut")),
                           ("pilote", _("Pilote")), ("fin", _("Fin prévue")))
    ]  # fmt: skip
    return _render(
        request,
        "plan/action_list.html",
        {
            "plan": plan,
            "page": page,
            "columns": columns,
            "unsorted": unsorted.urlencode(),
            "filters": filters,
            "axes": plan.axes.all(),
            "statuses": Status.choices,
            "query": query.urlencode(),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
@_with_plan
def action_create(request, plan):
    """A new action; ?answer=ID or ?scenario=ID prefills it and keeps the link."""
    answer = scenario = None
    initial, impact = {}, None
    source = request.POST if request.method == "POST" else request.GET
    if source.get("answer", "").isdigit():
        from sobrio.assessment.models import Answer

        answer = scoped_get_or_404(
            request, Answer.objects.select_related("item", "campaign"), pk=source["answer"]
        )
        initial = services.initial_from_answer(answer)
    elif source.get("scenario", "").isdigit():
        from sobrio.footprint.models import Scenario

        scenario = scoped_get_or_404(request, Scenario, pk=source["scenario"])
        year = int(source["year"]) if str(source.get("year", "")).isdigit() else None
        method = source.get("method") if source.get("method") in ("stock", "flow") else "stock"
        impact = services.scenario_impact(scenario, year, method)
        initial = services.initial_from_scenario(scenario, impact["rows"], impact["year"])
    first_axis = plan.axes.first()
    if first_axis:
        initial.setdefault("axis", first_axis.pk)
    form = ActionForm(
        request.POST or None,
        instance=Action(institution=request.institution, plan=plan),
        initial=initial,
        plan=plan,
    )
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        if scenario is not None:
            action.scenario = scenario
            action.impact = services.impact_json(impact)
        action.save()
        form.save_m2m()
        if answer is not None:
            action.answers.add(answer)
        ActionComment.objects.create(
            institution=request.institution,
            action=action,
            author=request.user,
            text=_("Action créée."),
        )
        messages.success(request, _("Action créée."))
        return redirect("plan_action", action.pk)
    return _render(
        request,
        "plan/action_form.html",
        {
            "form": form,
            "answer": answer,
            "scenario": scenario,
            "impact": impact,
            "action": None,
            "may_change": True,
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def action_detail(request, action_id):
    action = scoped_get_or_404(
        request,
        Action.objects.select_related("axis", "objective", "pilot__user", "scenario"),
        pk=action_id,
    )
    may_change = _may_change(request, action)
    status_form = StatusForm(
        request.POST if request.POST.get("form") == "status" else None,
        initial={"status": action.status},
    )
    comment_form = CommentForm(request.POST if request.POST.get("form") == "comment" else None)
    budget_form = BudgetLineForm(
        request.POST if request.POST.get("form") == "budget" else None,
        initial={"year": datetime.date.today().year},
    )
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        done = _handle_action_post(request, action, status_form, comment_form, budget_form)
        if done:
            return redirect("plan_action", action.pk)
    return _render(
        request,
        "plan/action_detail.html",
        {
            "action": action,
            "late": action.is_late(),
            "may_change": may_change,
            "status_form": status_form,
            "comment_form": comment_form,
            "budget_form": budget_form,
            "comments": action.comments.select_related("author")[:10],
            "budget_lines": action.budget_lines.all(),
            "answers": action.answers.select_related("item", "campaign"),
            "indicators": action.indicators.all(),
            "units": action.units.all(),
            "carried_by": [item for reader in CARRIED_BY for item in reader(action)],
        },
    )


# Apps whose rows carry out an action (learning, cleanup, ideas) add a reader:
# (action) -> [(label, url)]; the plan knows none of them.
CARRIED_BY = []


def _handle_action_post(request, action, status_form, comment_form, budget_form):
    which = request.POST.get("form")
    if which == "status" and status_form.is_valid():
        data = status_form.cleaned_data
        services.set_status(
            action, data["status"], request.user, reason=data["reason"], on=data["on"]
        )
        messages.success(request, _("Statut changé."))
        return True
    if which == "comment" and comment_form.is_valid():
        ActionComment.objects.create(
            institution=action.institution,
            action=action,
            author=request.user,
            text=comment_form.cleaned_data["text"],
        )
        messages.success(request, _("Commentaire ajouté."))
        return True
    if which == "budget" and budget_form.is_valid():
        line = budget_form.save(commit=False)
        line.institution = action.institution
        line.action = action
        line.save()
        messages.success(request, _("Ligne budgétaire ajoutée."))
        return True
    return False


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def action_edit(request, action_id):
    action = scoped_get_or_404(request, Action, pk=action_id)
    may_change = _may_change(request, action)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    form = ActionForm(request.POST or None, instance=action, plan=action.plan)
    if not may_change:  # read only: officers and the pilot change an action
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Action enregistrée."))
        return redirect("plan_action", action.pk)
    return _render(
        request,
        "plan/action_form.html",
        {
            "form": form,
            "action": action,
            "answer": None,
            "scenario": None,
            "may_change": may_change,
        },
    )


# --- indicators ---------------------------------------------------------------------------


@require_GET
@member_required(perms.VIEW)
@_with_plan
def indicator_list(request, plan):
    indicators = (
        Indicator.objects.for_institution(request.institution)
        .filter(plan=plan)
        .prefetch_related("measurements", "targets")
    )
    page = Paginator(indicators, PAGE_SIZE).get_page(request.GET.get("page"))
    cards = [services.card(i) for i in page.object_list]
    for c in cards:
        c["line"] = services.sparkline(c["points"])
    return _render(
        request,
        "plan/indicator_list.html",
        {"plan": plan, "page": page, "cards": cards},
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
@_with_plan
def indicator_create(request, plan):
    form = IndicatorForm(
        request.POST or None,
        instance=Indicator(institution=request.institution, plan=plan),
        plan=plan,
    )
    if request.method == "POST" and form.is_valid():
        indicator = form.save()
        messages.success(request, _("Indicateur créé."))
        return redirect("plan_indicator", indicator.pk)
    return _render(request, "plan/indicator_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def indicator_detail(request, indicator_id):
    indicator = scoped_get_or_404(
        request, Indicator.objects.prefetch_related("measurements", "targets"), pk=indicator_id
    )
    can_edit = _can_edit(request)
    which = request.POST.get("form")
    measurement_form = MeasurementForm(
        request.POST if which == "measurement" else None,
        initial={"measured_on": datetime.date.today()},
    )
    target_form = TargetForm(request.POST if which == "target" else None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if which == "compute":
            try:
                services.measure_now(indicator, request.user)
                messages.success(request, _("Valeur calculée et enregistrée."))
            except ValueError as error:
                messages.error(request, str(error))
            return redirect("plan_indicator", indicator.pk)
        for name, form in (("measurement", measurement_form), ("target", target_form)):
            if which == name and form.is_valid():
                # One value per date: the same form sent twice (a double click, a reload)
                # updates the row it created instead of adding a second one.
                model = form._meta.model
                day = "measured_on" if name == "measurement" else "due_on"
                values = {k: v for k, v in form.cleaned_data.items() if k != day}
                if name == "measurement":
                    values["author"] = request.user
                model.objects.update_or_create(
                    institution=indicator.institution,
                    indicator=indicator,
                    **{day: form.cleaned_data[day]},
                    defaults=values,
                )
                messages.success(request, _("Enregistré."))
                return redirect("plan_indicator", indicator.pk)
    card = services.card(indicator)
    trend = services.trend(card["points"])
    return _render(
        request,
        "plan/indicator_detail.html",
        {
            "indicator": indicator,
            "card": card,
            "trend": trend,
            "reading": services.read(indicator) if indicator.source else None,
            "measurements": list(indicator.measurements.all())[-12:],
            "targets": indicator.targets.all(),
            "measurement_form": measurement_form,
            "target_form": target_form,
            "can_edit": can_edit,
        },
    )


def _guess_kind(text):
    lowered = text.lower()
    if "oui / non" in lowered or "oui/non" in lowered:
        return IndicatorKind.BOOLEAN, ""
    if "%" in lowered or "part " in lowered or "taux" in lowered:
        return IndicatorKind.PERCENT, "%"
    return IndicatorKind.NUMBER, ""


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
@_with_plan
def indicator_adopt(request, plan):
    """The indicators the referentials' practices suggest, adopted in one click."""
    from sobrio.referentials.models import Item

    items = (
        Item.objects.filter(
            referential__in=Referential.objects.for_institution(request.institution)
        )
        .exclude(indicators=[])
        .select_related("referential")
        .order_by("referential__name", "position")
    )
    adopted = set(
        Indicator.objects.for_institution(request.institution)
        .filter(plan=plan, practice__isnull=False)
        .values_list("practice_id", "name")
    )
    if request.method == "POST":
        ident = request.POST.get("item", "")
        item = items.filter(pk=ident).first() if ident.isdigit() else None
        name = request.POST.get("name", "")
        if item is None or name not in item.indicators:
            raise Http404
        if (item.pk, name) not in adopted:
            kind, unit = _guess_kind(name)
            indicator = Indicator.objects.create(
                institution=request.institution,
                plan=plan,
                name=name[:300],
                unit=unit,
                kind=kind,
                practice=item,
            )
            messages.success(request, _("Indicateur adopté : %(name)s") % {"name": name})
            return redirect("plan_indicator", indicator.pk)
        return redirect("plan_indicator_adopt")
    suggestions = [
        {"item": item, "name": name}
        for item in items
        for name in item.indicators
        if (item.pk, name) not in adopted
    ]
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "plan/indicator_adopt.html", {"page": page})


# --- exchange with partners (XLSX) -------------------------------------------------------


@require_GET
@member_required(perms.VIEW)
@_with_plan
def plan_export(request, plan):
    response = HttpResponse(
        exchange.export_xlsx(plan),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"plan-{request.institution.slug}-{datetime.date.today():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
@_with_plan
def plan_import(request, plan):
    form = PlanImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = exchange.import_xlsx(plan, upload.read(), upload.name, request.user)
        except ImportFailure as failure:
            problems = failure.problems
        else:
            messages.success(
                request,
                _(
                    "Plan importé : %(created)s créées, %(updated)s mises à jour, "
                    "%(unchanged)s inchangées."
                )
                % report,
            )
            return redirect("plan_actions")
    return _render(request, "plan/import.html", {"form": form, "problems": problems})


# --- budget and settings ------------------------------------------------------------------


@require_GET
@member_required(perms.VIEW)
@_with_plan
def budget(request, plan):
    return _render(
        request, "plan/budget.html", {"plan": plan, "budget": services.budget_totals(plan)}
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def plan_settings(request):
    """The plan itself, its axes and objectives."""
    plan = _plan_or_none(request)
    which = request.POST.get("form")
    plan_form = PlanForm(request.POST if which == "plan" else None, instance=plan)
    axis_form = AxisForm(request.POST if which == "axis" else None) if plan else None
    objective_form = (
        ObjectiveForm(request.POST if which == "objective" else None, plan=plan) if plan else None
    )
    target = safe_next(request)

    def done():
        # back where the person was going (an action from a scenario) once an axis exists
        if target and Axis.objects.for_institution(request.institution).exists():
            return redirect(target)
        return redirect(reverse("plan_settings") + (f"?next={quote(target)}" if target else ""))

    if request.method == "POST":
        if which == "plan" and plan_form.is_valid():
            saved = plan_form.save(commit=False)
            saved.institution = request.institution
            saved.save()
            messages.success(request, _("Plan enregistré."))
            return done()
        for name, form in (("axis", axis_form), ("objective", objective_form)):
            if which == name and form is not None and form.is_valid():
                row = form.save(commit=False)
                row.institution = request.institution
                if name == "axis":
                    row.plan = plan
                row.save()
                messages.success(request, _("Enregistré."))
                return done()
    return _render(
        request,
        "plan/settings.html",
        {
            "next": target,
            "plan": plan,
            "plan_form": plan_form,
            "axis_form": axis_form,
            "objective_form": objective_form,
            "axes": Axis.objects.for_institution(request.institution)
            .filter(plan=plan)
            .prefetch_related("objectives")
            if plan
            else [],
        },
    )
