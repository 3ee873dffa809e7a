"""The plan as an XLSX file, one row per action, to share with partners and bring back.

Import is all or nothing: every problem is listed with its line and column, and nothing
is written unless the whole file is right. Rows are matched on the "Identifiant" column
(the action's number in Sobrio); a row without one creates an action. Budget totals are
exported for reading and ignored on import (budget lines are edited in Sobrio).
"""

import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from sobrio.core.models import Membership, Unit
from sobrio.imports.exporting import dataset
from sobrio.imports.limits import Limits
from sobrio.imports.problems import ImportFailure, Problem
from sobrio.imports.reading import Formula, read_table
from sobrio.imports.values import parse_date, parse_int
from sobrio.plan.models import Action, ActionComment, Level, Objective, Status

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
    rows = []
    for a in actions:
        rows.append(
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
    return dataset([title for _key, title in COLUMNS], rows, "Plan").export("xlsx")


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
    if content[:4] != b"PK\x03\x04":
        raise ImportFailure([Problem(_("fichier XLSX illisible"), filename)])
    table = read_table(content, filename, Limits.from_settings(max_rows=MAX_ROWS))
    titles = {title: key for key, title in COLUMNS}
    header = [str(h or "").strip() for h in table.header]
    keys = [titles.get(h) for h in header]
    missing = [t for k, t in COLUMNS if k in ("axis", "label") and k not in keys]
    if missing:
        raise ImportFailure(
            [
                Problem(_("colonne obligatoire absente : %(c)s") % {"c": m}, filename, 1)
                for m in missing
            ]
        )
    institution = plan.institution
    axes = {a.name.strip().lower(): a for a in plan.axes.all()}
    objectives = {
        (o.axis_id, o.name.strip().lower()): o
        for o in Objective.objects.for_institution(institution).filter(axis__plan=plan)
    }
    actions = {a.pk: a for a in Action.objects.for_institution(institution).filter(plan=plan)}
    members = {
        m.user.email.lower(): m
        for m in Membership.objects.for_institution(institution).staff().select_related("user")
    }
    units = {}
    for u in Unit.objects.for_institution(institution):
        units[u.name.strip().lower()] = u
        if u.code:
            units[u.code.strip().lower()] = u
    levels, statuses = _labels(Level.choices), _labels(Status.choices)
    problems, rows, seen = [], [], set()
    for line, raw in table.rows():
        cells = dict(zip(keys, raw, strict=False))
        values, bad = {}, []

        def fail(key, reason, _line=line, _bad=bad):
            _bad.append(Problem(reason, filename, _line, dict(COLUMNS)[key]))

        for key, value in cells.items():
            if isinstance(value, Formula) and key:
                fail(key, _("formule refusée : enregistrez les valeurs"))
        ident = cells.get("id")
        action = None
        if ident not in (None, ""):
            try:
                action = actions.get(parse_int(ident))
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
