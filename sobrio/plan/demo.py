"""The demo plan: the mission letter's four axes, actions in every state, budgets,
indicators with a year of measurements (frozen reports come with "Rendre compte")."""

import datetime
import itertools

from django.db import transaction

from sobrio.core.enums import Role
from sobrio.core.indicators import SOURCES
from sobrio.core.models import Membership, Unit
from sobrio.plan import services
from sobrio.plan.models import (
    Action,
    Axis,
    BudgetLine,
    Direction,
    Indicator,
    IndicatorKind,
    Level,
    Measurement,
    Objective,
    Plan,
    Status,
    Target,
)

AXES = [
    (
        "Numérique responsable",
        ["Allonger la durée d'usage des équipements", "Acheter moins et mieux"],
    ),
    (
        "Données et infrastructures",
        ["Regrouper les salles serveurs", "Décider de la conservation des données"],
    ),
    (
        "Sensibilisation et éducation",
        ["Former les personnels", "Toucher les étudiant·es"],
    ),
    (
        "Pilotage et collaboration",
        ["Piloter la démarche", "Travailler avec les partenaires du territoire"],
    ),
]

# (axis, objective, label, level, status, planned start, planned end (months from the
# plan's start), pilot role, units, partners, budget lines (year offset, source,
# planned, committed, spent))
ACTIONS = [
    (0, 0, "Porter la durée de renouvellement des portables de 4 à 6 ans",
     Level.DELIVERY, Status.DOING, 0, 30, Role.OFFICER, ["DSI-PDT"], "",
     [(0, "Budget propre", 0, 0, 0)]),
    (0, 0, "Ouvrir un atelier de réparation des postes", Level.EXPERIMENT, Status.DONE,
     1, 8, Role.CONTRIBUTOR, ["DSI-PDT"], "Association de réemploi locale",
     [(0, "Budget propre", 12000, 12000, 11350)]),
    (0, 1, "Intégrer l'indice de réparabilité aux critères d'achat", Level.DELIVERY,
     Status.DONE, 0, 6, Role.OFFICER, ["ACH"], "", []),
    (0, 1, "Acheter 20 % de postes reconditionnés", Level.EXPERIMENT, Status.TODO, 10, 26,
     Role.OFFICER, ["ACH", "DSI-PDT"], "UGAP", [(1, "Budget propre", 30000, 0, 0)]),
    (0, 0, "Supprimer les seconds écrans inutilisés", Level.REFLECTION, Status.ABANDONED,
     2, 5, Role.CONTRIBUTOR, ["DSI-PDT"], "", []),
    (1, 0, "Regrouper la salle du campus nord dans le datacentre mutualisé",
     Level.DELIVERY, Status.DOING, 3, 24, Role.CONTRIBUTOR, ["DSI-INFRA"],
     "Datacentre régional mutualisé",
     [(0, "Appel à projets national", 150000, 90000, 42000),
      (1, "Budget propre", 60000, 20000, 8000)]),
    (1, 0, "Mesurer le PUE de chaque salle chaque trimestre", Level.DELIVERY, Status.DONE,
     0, 3, Role.CONTRIBUTOR, ["DSI-INFRA"], "", [(0, "Budget propre", 4500, 4500, 4500)]),
    (1, 1, "Inventorier les données de recherche et leur durée de conservation",
     Level.REFLECTION, Status.DOING, 2, 9, Role.OFFICER, ["LPM"], "", []),
    (1, 1, "Passer les sauvegardes longues sur bande", Level.EXPERIMENT, Status.TODO, 12,
     28, Role.CONTRIBUTOR, ["DSI-INFRA"], "", [(1, "Appel à projets national", 25000, 0, 0)]),
    (2, 0, "Former 40 ambassadeurs du numérique responsable", Level.DELIVERY,
     Status.DOING, 1, 23, Role.OFFICER, ["TE"], "Réseau régional des établissements",
     [(0, "Budget propre", 8000, 8000, 5200)]),
    (2, 1, "Organiser le Digital Cleanup Day sur les trois campus", Level.DELIVERY,
     Status.DONE, 2, 3, Role.OFFICER, ["TE", "DFVE"], "", [(0, "Budget propre", 1500, 1500, 1320)]),
    (2, 1, "Intégrer un module de sobriété numérique en licence", Level.REFLECTION,
     Status.TODO, 6, 32, Role.OFFICER, ["DFVE"], "", []),
    (3, 0, "Réunir le comité de pilotage deux fois par an", Level.DELIVERY, Status.DOING,
     0, 36, Role.OFFICER, ["PRES"], "", []),
    (3, 1, "Partager les indicateurs avec les établissements du réseau", Level.EXPERIMENT,
     Status.TODO, 4, 8, Role.OFFICER, ["TE"], "Réseau régional des établissements", []),
]  # fmt: skip


def _months(start, months):
    year, month = divmod(start.month - 1 + months, 12)
    return datetime.date(start.year + year, month + 1, min(start.day, 28))


@transaction.atomic
def load(institution, today=None):
    if Plan.objects.for_institution(institution).exists():
        return
    today = today or datetime.date.today()
    start = datetime.date(today.year - 1, 1, 1)
    plan = Plan.objects.create(
        institution=institution,
        title="Schéma directeur du numérique responsable",
        starts_on=start,
        ends_on=datetime.date(start.year + 3, 12, 31),
        summary="Réduire l'empreinte du numérique de l'établissement et former sa communauté.",
    )
    axes, objectives = [], []
    for position, (name, goals) in enumerate(AXES):
        axis = Axis.objects.create(institution=institution, plan=plan, name=name, position=position)
        axes.append(axis)
        objectives.append(
            [
                Objective.objects.create(institution=institution, axis=axis, name=g, position=i)
                for i, g in enumerate(goals)
            ]
        )
    members = {
        m.role: m for m in Membership.objects.for_institution(institution).select_related("user")
    }
    units = {u.code: u for u in Unit.objects.for_institution(institution)}
    recent = itertools.cycle(range(5))
    for axis_i, goal_i, label, level, status, begin, end, role, codes, partners, lines in ACTIONS:
        action = Action.objects.create(
            institution=institution,
            plan=plan,
            axis=axes[axis_i],
            objective=objectives[axis_i][goal_i],
            label=label,
            level=level,
            pilot=members.get(role),
            partners=partners,
            identified_on=start,
            planned_start=_months(start, begin),
            planned_end=_months(start, end),
        )
        action.units.set([units[c] for c in codes if c in units])
        pilot = members.get(role)
        user = pilot.user if pilot else None
        # Recent activity, spread over the last quarters so that each report has some.
        step = next(recent)
        if status != Status.TODO:
            began = max(start, today - datetime.timedelta(days=120 + 35 * step))
            services.set_status(action, Status.DOING, user, on=began)
        if status == Status.DONE:
            ended = today - datetime.timedelta(days=20 + 35 * step)
            services.set_status(action, Status.DONE, user, on=ended)
        if status == Status.ABANDONED:
            services.set_status(
                action,
                Status.ABANDONED,
                user,
                reason="Les usagers en ont besoin pour le travail à distance.",
                on=today - datetime.timedelta(days=75),
            )
        for offset, source, planned, committed, spent in lines:
            BudgetLine.objects.create(
                institution=institution,
                action=action,
                year=start.year + offset,
                source=source,
                planned=planned,
                committed=committed,
                spent=spent,
            )
    _indicators(institution, plan, start, today, members.get(Role.OFFICER))


def _quarter_ends(start, today):
    ends, year, quarter = [], start.year, 1
    while True:
        month = quarter * 3
        end = datetime.date(year, month, 31 if month in (3, 12) else 30)
        if end > today:
            return ends
        ends.append(end)
        quarter += 1
        if quarter == 5:
            year, quarter = year + 1, 1


def _indicators(institution, plan, start, today, officer):
    user = officer.user if officer else None
    quarters = _quarter_ends(start, today)[-4:]  # the last year, quarter by quarter
    hand = [
        ("Personnes formées au numérique responsable", "personnes", IndicatorKind.NUMBER,
         Direction.UP, [35, 80, 140, 210], 400),
        ("Part des achats de postes reconditionnés", "%", IndicatorKind.PERCENT,
         Direction.UP, [0, 2, 5, 8], 20),
        ("PUE moyen des salles serveurs", "", IndicatorKind.NUMBER, Direction.DOWN,
         [1.8, 1.75, 1.62, 1.58], 1.4),
    ]  # fmt: skip
    for name, unit, kind, direction, values, target in hand:
        indicator = Indicator.objects.create(
            institution=institution,
            plan=plan,
            name=name,
            unit=unit,
            kind=kind,
            direction=direction,
            baseline=values[0],
            baseline_on=quarters[0] if quarters else start,
        )
        Target.objects.create(
            institution=institution, indicator=indicator, due_on=plan.ends_on, value=target
        )
        for on, value in zip(quarters, values, strict=False):
            Measurement.objects.create(
                institution=institution,
                indicator=indicator,
                measured_on=on,
                value=value,
                author=user,
                comment="Relevé trimestriel",
            )
    computed = [
        ("Empreinte carbone annuelle du parc", "footprint_total", {"criterion": "gwp"},
         Direction.DOWN),
        ("Part des équipements en service depuis plus de 5 ans", "old_devices_share",
         {"years": 5}, Direction.UP),
        ("Score de l'autoévaluation", "assessment_score",
         {"referential": "grille-de-demonstration-sobrio"}, Direction.UP),
    ]  # fmt: skip
    for name, source, params, direction in computed:
        indicator = Indicator.objects.create(
            institution=institution,
            plan=plan,
            name=name,
            kind=IndicatorKind.PERCENT if source == "old_devices_share" else IndicatorKind.NUMBER,
            direction=direction,
            source=source,
            params=params,
        )
        indicator.unit = SOURCES[source].unit_for(params)
        indicator.save()
        for on in quarters:
            try:
                services.measure_now(indicator, user, on=on)
            except ValueError:
                continue  # nothing to read on that date: no measurement, never a made-up one
