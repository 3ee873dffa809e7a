import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.core import charts, perms
from sobrio.core.models import Unit
from sobrio.core.tenancy import member_required, scoped_get_or_404
from sobrio.footprint import factor_files, services
from sobrio.footprint.dashboard import per_person
from sobrio.footprint.forms import (
    CompareForm,
    FactorImportForm,
    FootprintQueryForm,
    ScenarioForm,
    SettingsForm,
)
from sobrio.footprint.loading import factor_table
from sobrio.footprint.models import Factor, FactorSet, Method, Scenario, ScenarioKind
from sobrio.imports.exporting import csv_text, french_significant, xlsx_bytes
from sobrio.imports.problems import ImportFailure
from sobrio.inventory.models import Asset, CustomCategory

CRITERIA = services.CRITERIA
PAGE_SIZE = 12
BREAKDOWNS = {  # lazy: translated when shown, in the reader's language
    "category": gettext_lazy("catégorie"),
    "unit": gettext_lazy("unité"),
    "site": gettext_lazy("site"),
    "year": gettext_lazy("année d'achat"),
    "age": gettext_lazy("âge"),
    "top": gettext_lazy("équipement"),
}


def _can_edit(request):
    return perms.has_capability(request.membership, perms.EDIT)


def _query(request):
    form = FootprintQueryForm(request.GET or None, institution=request.institution)
    year, method, factor_set = form.values()
    return form, year, method, factor_set


def _criterion_labels():
    from sobrio.footprint.models import Criterion

    return dict(Criterion.choices)


def _chart(groups, criterion="gwp", limit=12):
    items = sorted(
        groups,
        key=lambda g: -(g["data"][criterion]["total"]["value"] or 0),
    )[:limit]
    return charts.bars(
        [
            (
                g["label"],
                g["data"][criterion]["total"]["value"],
                g["data"][criterion]["total"]["min"],
                g["data"][criterion]["total"]["max"],
            )
            for g in items
        ]
    )


@require_GET
@member_required(perms.VIEW)
def overview(request):
    form, year, method, factor_set = _query(request)
    data = services.footprint(
        request.institution, year=year, method=method, factor_set=factor_set, stale_ok=True
    )
    groups = [{"label": e["label"], "data": e, "code": k} for k, e in data["by_category"].items()]
    return render(
        request,
        "footprint/overview.html",
        {
            "form": form,
            "data": data,
            "criteria": [(c, _criterion_labels()[c], data["totals"][c]) for c in CRITERIA],
            "categories": sorted(groups, key=lambda g: -(g["data"]["gwp"]["total"]["value"] or 0)),
            "chart": _chart(groups),
            "per_person": per_person(data, services.settings_for(request.institution)),
            "scenarios": Scenario.objects.for_institution(request.institution)[:5],
            "query": request.GET.urlencode(),
            "can_edit": _can_edit(request),
        },
    )


def _age_label(band):
    if band["to"] is None:
        return _("%(n)s ans et plus") % {"n": band["from"]}
    return _("%(a)s à %(b)s ans") % {"a": band["from"], "b": band["to"]}


@require_GET
@member_required(perms.VIEW)
def breakdown(request):
    form, year, method, factor_set = _query(request)
    by = request.GET.get("by", "category")
    if by not in BREAKDOWNS:
        by = "category"
    data = services.footprint(
        request.institution, year=year, method=method, factor_set=factor_set, stale_ok=True
    )
    if by == "category":
        groups = [{"label": e["label"], "data": e} for e in data["by_category"].values()]
    elif by == "unit":
        names = dict(Unit.objects.for_institution(request.institution).values_list("pk", "name"))
        groups = [
            {"label": names.get(k, _("sans unité")), "data": e}
            for k, e in data.get("by_unit", {}).items()
        ]
    elif by == "site":
        groups = [
            {"label": k or _("sans site"), "data": e} for k, e in data.get("by_site", {}).items()
        ]
    elif by == "year":
        groups = [
            {"label": str(k) if k != -1 else _("inconnue"), "data": e}
            for k, e in data.get("by_purchase_year", {}).items()
        ]
    else:
        groups = []
    if by not in ("year", "age", "top"):
        groups.sort(key=lambda g: -(g["data"]["gwp"]["total"]["value"] or 0))
    ages = [dict(a, label=_age_label(a)) for a in data.get("ages", [])]
    if by == "age":
        chart = charts.bars([(a["label"], a["count"], None, None) for a in ages])
    elif by == "top":
        chart = charts.bars(
            [
                (t["label"], t["gwp"]["value"], t["gwp"]["min"], t["gwp"]["max"])
                for t in data.get("top", [])
            ]
        )
    else:
        chart = _chart(groups, limit=15)
    keep = request.GET.copy()
    keep.pop("by", None)
    return render(
        request,
        "footprint/breakdown.html",
        {
            "form": form,
            "data": data,
            "groups": groups,
            "by": by,
            "by_label": BREAKDOWNS[by],
            "breakdowns": BREAKDOWNS.items(),
            "chart": chart,
            "ages": ages,
            "keep": keep.urlencode(),
            "top": data.get("top", []),
        },
    )


@require_GET
@member_required(perms.VIEW)
def provenance(request):
    form, year, method, factor_set = _query(request)
    factor_set = factor_set or services.current_factor_set(request.institution)
    _factors, provenance = services.electricity_for(request.institution)
    return render(
        request,
        "footprint/provenance.html",
        {
            "factor_set": factor_set,
            "electricity": provenance,
            "method": method,
            "methods": Method.choices,
            "year": year,
            "criteria": _criterion_labels(),
        },
    )


@require_GET
@member_required(perms.VIEW)
def export_csv(request):
    return _export(request, "csv")


@require_GET
@member_required(perms.VIEW)
def export_xlsx(request):
    return _export(request, "xlsx")


def _export(request, fmt):
    _form, year, method, factor_set = _query(request)
    data = services.footprint(request.institution, year=year, method=method, factor_set=factor_set)
    rows = flat_rows(data)
    name = f"empreinte-{request.institution.slug}-{year}-{method}"
    if fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(rows[0], rows[1:], "empreinte"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    # For French spreadsheets: ";" between cells, a decimal comma, four significant digits.
    french = [[french_significant(v) if isinstance(v, float) else v for v in r] for r in rows[1:]]
    response = HttpResponse(csv_text(rows[0], french), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def flat_rows(data):
    """One row per group and criterion: what CSV and XLSX exports (and the CLI) write."""
    header = ["regroupement", "groupe", "nombre", "critere", "unite"]
    for phase in ("embodied", "use", "total"):
        header += [f"{phase}", f"{phase}_min", f"{phase}_max"]
    header += [
        "couverture",
        "annee",
        "methode",
        "jeu_de_facteurs",
        "electricite_gwp",
        "source_electricite",
    ]
    elec = data["electricity"].get("gwp", {})
    tail = [
        data["year"],
        data["method"],
        f"{data['factor_set']['name']} {data['factor_set']['version']}",
        elec.get("value"),
        elec.get("source"),
    ]
    rows = [header]
    sections = [
        ("total", {"total": {"count": data["rows"]["count"], **data["totals"]}}),
        ("categorie", data["by_category"]),
    ]
    for name, groups in sections:
        for key, entry in groups.items():
            for criterion in CRITERIA:
                figures = entry[criterion]
                row = [name, entry.get("label", key), entry["count"], criterion, figures["unit"]]
                for phase in ("embodied", "use", "total"):
                    row += [figures[phase]["value"], figures[phase]["min"], figures[phase]["max"]]
                rows.append(row + [figures["coverage"], *tail])
    return rows


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def settings_view(request):
    current = services.settings_for(request.institution)
    form = SettingsForm(request.POST or None, instance=current, institution=request.institution)
    can_edit = _can_edit(request)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            form.save()
            messages.success(request, _("Réglages de l'empreinte enregistrés."))
            return redirect("measure_settings")
    _f, provenance = services.electricity_for(request.institution)
    return render(
        request,
        "footprint/settings.html",
        {
            "form": form,
            "readonly": not can_edit,
            "electricity": provenance,
            "title": _("Réglages de l'empreinte"),
            "submit": _("Enregistrer"),
            "cancel_url": reverse("measure"),
        },
    )


@require_GET
@member_required(perms.VIEW)
def factor_sets(request):
    services.ensure_default_set()
    sets = FactorSet.objects.for_institution(request.institution)
    return render(
        request,
        "footprint/factor_sets.html",
        {
            "sets": sets,
            "current": services.current_factor_set(request.institution),
            "can_edit": _can_edit(request),
        },
    )


@require_GET
@member_required(perms.VIEW)
def factor_set_detail(request, factorset_id):
    factor_set = scoped_get_or_404(
        request,
        FactorSet.objects.for_institution(request.institution),
        pk=factorset_id,
    )
    from django.core.paginator import Paginator

    page = Paginator(factor_set.factors.all(), 15).get_page(request.GET.get("page"))
    return render(request, "footprint/factor_set.html", {"factor_set": factor_set, "page": page})


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def factor_import(request):
    form = FactorImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = factor_files.read(upload.read(), upload.name)
        except ImportFailure as failure:
            problems = failure.problems
        else:
            with transaction.atomic():
                factor_set = FactorSet.objects.create(
                    institution=request.institution,
                    **{
                        k: form.cleaned_data[k]
                        for k in ("name", "version", "source", "licence", "purpose")
                    },
                )
                Factor.objects.bulk_create(Factor(factor_set=factor_set, **r) for r in rows)
            messages.success(request, _("%(n)s facteurs importés.") % {"n": len(rows)})
            return redirect("measure_factor_set", factor_set.pk)
    return render(
        request,
        "footprint/factor_import.html",
        {
            "form": form,
            "problems": problems,
            "multipart": True,
            "title": _("Importer un jeu de facteurs"),
            "submit": _("Importer"),
            "cancel_url": reverse("measure_factor_sets"),
        },
    )


@require_GET
@member_required(perms.VIEW)
def factor_compare(request):
    form = CompareForm(request.GET or None, institution=request.institution)
    rows = []
    if form.is_valid():
        year = datetime.date.today().year - 1
        a = services.footprint(request.institution, year=year, factor_set=form.cleaned_data["a"])
        b = services.footprint(request.institution, year=year, factor_set=form.cleaned_data["b"])
        labels = _criterion_labels()
        for criterion in CRITERIA:
            rows.append(
                {
                    "label": labels[criterion],
                    "unit": a["totals"][criterion]["unit"],
                    "a": a["totals"][criterion]["total"],
                    "b": b["totals"][criterion]["total"],
                }
            )
        categories = sorted(set(a["by_category"]) | set(b["by_category"]))
        by_category = [
            {
                "label": (a["by_category"].get(c) or b["by_category"][c])["label"],
                "a": a["by_category"].get(c, {}).get("gwp", {}).get("total"),
                "b": b["by_category"].get(c, {}).get("gwp", {}).get("total"),
            }
            for c in categories
        ]
    else:
        by_category = []
    return render(
        request,
        "footprint/factor_compare.html",
        {
            "form": form,
            "rows": rows,
            "by_category": by_category,
        },
    )


# --- scenarios ---------------------------------------------------------------------------


@require_GET
@member_required(perms.VIEW)
def scenario_list(request):
    return render(
        request,
        "footprint/scenario_list.html",
        {
            "scenarios": Scenario.objects.for_institution(request.institution),
            "can_edit": _can_edit(request),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def scenario_create(request):
    kind = request.POST.get("kind") or request.GET.get("levier")
    if kind not in ScenarioKind.values:
        return render(request, "footprint/scenario_levers.html", {"levers": ScenarioKind.choices})
    form = ScenarioForm(request.POST or None, institution=request.institution, kind=kind)
    if request.method == "POST" and form.is_valid():
        scenario = Scenario.objects.create(
            institution=request.institution,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            params=form.params(),
            start_year=form.cleaned_data["start_year"],
            created_by=request.user,
        )
        messages.success(request, _("Scénario enregistré."))
        return redirect("measure_scenario", scenario.pk)
    return render(
        request,
        "footprint/scenario_form.html",
        {
            "form": form,
            "title": _("Nouveau scénario : %(lever)s") % {"lever": ScenarioKind(kind).label},
            "submit": _("Enregistrer"),
            "cancel_url": reverse("measure_scenarios"),
        },
    )


@require_GET
@member_required(perms.VIEW)
def scenario_detail(request, scenario_id):
    scenario = scoped_get_or_404(request, Scenario, pk=scenario_id)
    form, year, method, _fs = _query(request)
    if form.is_bound and not form.is_valid():  # a year not offered is refused, not replaced
        return render(
            request,
            "footprint/scenario_detail.html",
            {"scenario": scenario, "form": form, "refused": True},
            status=400,
        )
    if not request.GET.get("year"):
        year = timezone.localdate().year  # a scenario looks ahead: this year, not the last
    comparison = services.scenario_comparison(request.institution, scenario, year, method)
    chart = charts.bars(
        [
            (
                _("Situation actuelle"),
                comparison["rows"][0]["base"]["value"],
                comparison["rows"][0]["base"]["min"],
                comparison["rows"][0]["base"]["max"],
            ),
            (
                _("Avec le scénario"),
                comparison["rows"][0]["after"]["value"],
                comparison["rows"][0]["after"]["min"],
                comparison["rows"][0]["after"]["max"],
            ),
        ],
        row_height=30,
    )
    return render(
        request,
        "footprint/scenario_detail.html",
        {
            "scenario": scenario,
            "form": form,
            "year": year,
            "method": method,
            "comparison": comparison,
            "chart": chart,
            "can_edit": _can_edit(request),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def scenario_delete(request, scenario_id):
    scenario = scoped_get_or_404(request, Scenario, pk=scenario_id)
    if request.method == "POST":
        scenario.delete()
        messages.success(request, _("Scénario supprimé."))
        return redirect("measure_scenarios")
    return render(
        request, "core/confirm_delete.html", {"object": scenario, "cancel": "measure_scenarios"}
    )


@require_GET
@member_required(perms.VIEW)
def category_list(request):
    """The institution's own categories, how many assets use each, and whether the
    factor set in use has figures for it (else their footprint is "non disponible")."""
    table, _sources = factor_table(services.current_factor_set(request.institution))
    rows = CustomCategory.objects.for_institution(request.institution)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(
        Asset.objects.for_institution(request.institution)
        .filter(category__in=[c.code for c in page.object_list])
        .values_list("category")
        .annotate(n=Sum("quantity"))
    )
    for category in page.object_list:
        category.assets = counts.get(category.code, 0)
        category.has_factors = ("gwp", "embodied") in table.get(category.code, {})
    return render(
        request,
        "inventory/categories_list.html",
        {"page": page, "can_edit": _can_edit(request)},
    )
