"""The plan as an XLSX file, one row per action, to share with partners and bring back.

Import is all or nothing: every problem is listed with its line and column, and nothing
is written unless the whole file is right. Rows are matched on the "Identifiant" column
(the action's number in Sobrio); a row without one creates an action. Budget totals are
exported for reading and ignored on import (budget lines are edited in Sobrio).
"""

import datetime

import tablib
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from sobrio.core.models import Membership, Unit
from sobrio.inventory.importers import parse_date
from sobrio.plan.models import Action, ActionComment, Level, Objective, Status
from sobrio.referentials.importers import ImportFailure, Problem

COLUMNS = [
    ("id", "Identifiant"),
    ("axis", "Axe"),
    ("objective", "Objectif"),
    ("label", "Intitulé"),
    ("description", "Description"),
    ("level", "Niveau d'engagement"),
    ("status", "Statut"),
    ("abandon_reason", "Motif d'abandon"),
    ("pilot", "Pilote (courriel)"),
    ("units", "Unités (codes)"),
    ("partners", "Partenaires extérieurs"),
    ("identified_on", "Identifiée le"),
    ("planned_start", "Début prévu"),
    ("planned_end", "Fin prévue"),
    ("started_on", "Commencée le"),
    ("done_on", "Finie le"),
    ("abandoned_on", "Abandonnée le"),
    ("expected_impact", "Impact attendu"),
    ("budget_planned", "Budget prévu (€, lecture seule)"),
    ("budget_spent", "Budget dépensé (€, lecture seule)"),
]
DATES = ("identified_on", "planned_start", "planned_end", "started_on", "done_on", "abandoned_on")
TEXTS = ("label", "description", "abandon_reason", "partners", "expected_impact")
MAX_ROWS = 5000


def export_xlsx(plan):
    actions = (
        Action.objects.for_institution(plan.institution)
        .filter(plan=plan)
        .select_related("axis", "objective", "pilot__user")
        .prefetch_related("units")
        .annotate(
            planned_total=Sum("budget_lines__planned"), spent_total=Sum("budget_lines__spent")
        )
        .order_by("axis__position", "pk")
    )
    data = tablib.Dataset(headers=[title for _key, title in COLUMNS], title="Plan")
    for a in actions:
        data.append(
            [
                a.pk,
                a.axis.name,
                a.objective.name if a.objective else "",
                a.label,
                a.description,
                a.get_level_display(),
                a.get_status_display(),
                a.abandon_reason,
                a.pilot.user.email if a.pilot else "",
                "; ".join(u.code or u.name for u in a.units.all()),
                a.partners,
                *[getattr(a, f) for f in DATES],
                a.expected_impact,
                float(a.planned_total or 0),
                float(a.spent_total or 0),
            ]
        )
    return data.export("xlsx")


def _labels(choices):
    out = {}
    for value, label in choices:
        out[str(label).strip().lower()] = value
        out[value] = value
    return out


def _date(value):
    return None if value in (None, "") else parse_date(value)


def read(plan, content, filename):
    """Validate the whole file; returns [(line, existing action or None, values)]."""
    try:
        data = tablib.Dataset().load(content, format="xlsx")
    except Exception:  # openpyxl raises many kinds for a file that is not an XLSX
        raise ImportFailure([Problem(_("fichier XLSX illisible"), filename)]) from None
    titles = {title: key for key, title in COLUMNS}
    header = [str(h or "").strip() for h in (data.headers or [])]
    keys = [titles.get(h) for h in header]
    missing = [t for k, t in COLUMNS if k in ("axis", "label") and k not in keys]
    if missing:
        raise ImportFailure(
            [
                Problem(_("colonne obligatoire absente : %(c)s") % {"c": m}, filename, 1)
                for m in missing
            ]
        )
    if len(data) > MAX_ROWS:
        raise ImportFailure([Problem(_("plus de %(n)s lignes") % {"n": MAX_ROWS}, filename)])
    institution = plan.institution
    axes = {a.name.strip().lower(): a for a in plan.axes.all()}
    objectives = {
        (o.axis_id, o.name.strip().lower()): o
        for o in Objective.objects.for_institution(institution).filter(axis__plan=plan)
    }
    actions = {a.pk: a for a in Action.objects.for_institution(institution).filter(plan=plan)}
    members = {
        m.user.email.lower(): m
        for m in Membership.objects.for_institution(institution).select_related("user")
    }
    units = {}
    for u in Unit.objects.for_institution(institution):
        units[u.name.strip().lower()] = u
        if u.code:
            units[u.code.strip().lower()] = u
    levels, statuses = _labels(Level.choices), _labels(Status.choices)
    problems, rows, seen = [], [], set()
    for line, raw in enumerate(data, start=2):
        cells = dict(zip(keys, raw, strict=False))
        values, bad = {}, []

        def fail(key, reason, _line=line, _bad=bad):
            _bad.append(Problem(reason, filename, _line, dict(COLUMNS)[key]))

        if all(v in (None, "") for v in raw):
            continue
        ident = cells.get("id")
        action = None
        if ident not in (None, ""):
            try:
                action = actions.get(int(float(ident)))
            except ValueError:
                action = None
            if action is None:
                fail("id", _("aucune action de ce plan n'a cet identifiant"))
            elif action.pk in seen:
                fail("id", _("identifiant en double dans le fichier"))
            else:
                seen.add(action.pk)
        axis = axes.get(str(cells.get("axis") or "").strip().lower())
        if axis is None:
            fail("axis", _("axe inconnu : créez-le dans « Axes et objectifs »"))
        values["axis"] = axis
        objective_name = str(cells.get("objective") or "").strip().lower()
        values["objective"] = None
        if objective_name and axis is not None:
            values["objective"] = objectives.get((axis.pk, objective_name))
            if values["objective"] is None:
                fail("objective", _("objectif inconnu dans cet axe"))
        for key in TEXTS:
            values[key] = str(cells.get(key) or "").strip()
        if not values["label"]:
            fail("label", _("intitulé manquant"))
        elif len(values["label"]) > 300:
            fail("label", _("intitulé trop long (300 caractères au plus)"))
        for key, table, default in (
            ("level", levels, Level.REFLECTION),
            ("status", statuses, Status.TODO),
        ):
            text = str(cells.get(key) or "").strip().lower()
            values[key] = table.get(text, default if not text else None)
            if values[key] is None:
                fail(key, _("valeur inconnue « %(v)s »") % {"v": text[:40]})
        email = str(cells.get("pilot") or "").strip().lower()
        values["pilot"] = members.get(email) if email else None
        if email and values["pilot"] is None:
            fail("pilot", _("personne inconnue dans l'établissement"))
        values["units"] = []
        for part in str(cells.get("units") or "").split(";"):
            if part.strip():
                unit = units.get(part.strip().lower())
                if unit is None:
                    fail("units", _("unité inconnue « %(v)s »") % {"v": part.strip()[:40]})
                values["units"].append(unit)
        for key in DATES:
            try:
                values[key] = _date(cells.get(key))
            except ValueError as error:
                fail(key, str(error))
        if values["status"] == Status.ABANDONED and not values["abandon_reason"]:
            fail("abandon_reason", _("motif obligatoire pour une action abandonnée"))
        if values.get("identified_on") is None:
            values["identified_on"] = action.identified_on if action else datetime.date.today()
        problems.extend(bad)
        rows.append((line, action, values))
    if problems:
        raise ImportFailure(problems)
    return rows


@transaction.atomic
def import_xlsx(plan, content, filename, user):
    rows = read(plan, content, filename)
    report = {"created": 0, "updated": 0, "unchanged": 0}
    for _line, action, values in rows:
        unit_ids = sorted(u.pk for u in values.pop("units"))
        if action is None:
            action = Action(institution=plan.institution, plan=plan)
            changed = True
            report["created"] += 1
        else:
            changed = any(getattr(action, k) != v for k, v in values.items()) or unit_ids != sorted(
                action.units.values_list("pk", flat=True)
            )
            report["updated" if changed else "unchanged"] += 1
        if not changed:
            continue
        for key, value in values.items():
            setattr(action, key, value)
        action.save()
        action.units.set(unit_ids)
        ActionComment.objects.create(
            institution=plan.institution,
            action=action,
            author=user,
            text=_("Mise à jour par l'import de « %(file)s ».") % {"file": filename},
        )
    return report
