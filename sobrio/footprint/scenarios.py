"""Levers applied to a copy of the inventory arrays, then run through the same engine.

Each lever says in words what it assumes (`assumptions`), so a reader of the results
knows what was changed and what was not.
"""

import copy
import math
from dataclasses import replace

import numpy as np
from django.utils.translation import gettext as _

from sobrio.footprint import engine
from sobrio.footprint.models import Method, ScenarioKind
from sobrio.inventory.enums import Category
from sobrio.inventory.models import ServerRoom, category_labels


def _factor(table, category, criterion, phase="parameter"):
    return table.get(category, {}).get((criterion, phase))


def _ensure_profile(profiles, index, key, table):
    """Index of the profile `key` (a category of the set), added if the fleet had none."""
    if key in index:
        return profiles, index, index[key]
    index = dict(index)
    index[key] = len(index)
    embodied = {}
    for criterion in engine.CRITERIA:
        column = np.full((3, 1), np.nan)
        bounds = _factor(table, key, criterion, "embodied")
        if bounds is not None:
            column[:, 0] = bounds
        embodied[criterion] = np.hstack([profiles.embodied[criterion], column])
    return engine.Profiles(embodied), index, index[key]


def _take(inventory, mask, count):
    """Split rows so that exactly `count` units (or all there are) sit in new rows.

    Returns the inventory with those new rows appended, and their positions.
    """
    fleet = inventory.fleet
    positions = np.flatnonzero(mask)
    taken, picks = 0, []
    for i in positions:
        if taken >= count:
            break
        q = fleet.quantity[i]
        picks.append((i, min(q, count - taken)))
        taken += min(q, count - taken)
    if not picks:
        return inventory, np.array([], dtype=np.int64)
    rows = np.array([i for i, _ in picks], dtype=np.int64)
    moved = np.array([q for _, q in picks], dtype=float)
    quantity = fleet.quantity.copy()
    quantity[rows] -= moved
    new_fleet = engine.Fleet(
        profile=np.concatenate([fleet.profile, fleet.profile[rows]]),
        quantity=np.concatenate([quantity, moved]),
        start=np.concatenate([fleet.start, fleet.start[rows]]),
        end=np.concatenate([fleet.end, fleet.end[rows]]),
        purchase=np.concatenate([fleet.purchase, fleet.purchase[rows]]),
        lifetime_days=np.concatenate([fleet.lifetime_days, fleet.lifetime_days[rows]]),
        energy=np.hstack([fleet.energy, fleet.energy[:, rows]]),
        pue=np.concatenate([fleet.pue, fleet.pue[rows]]),
        in_use=np.concatenate([fleet.in_use, fleet.in_use[rows]]),
        extra_use=None
        if fleet.extra_use is None
        else {c: np.hstack([v, v[:, rows]]) for c, v in fleet.extra_use.items()},
    )
    n = len(fleet)
    new = replace(
        inventory,
        kind=inventory.kind + [inventory.kind[i] for i in rows],
        ident=np.concatenate([inventory.ident, inventory.ident[rows]]),
        category=inventory.category + [inventory.category[i] for i in rows],
        unit_id=np.concatenate([inventory.unit_id, inventory.unit_id[rows]]),
        site=inventory.site + [inventory.site[i] for i in rows],
        purchase_year=np.concatenate([inventory.purchase_year, inventory.purchase_year[rows]]),
        profile_key=inventory.profile_key + [inventory.profile_key[i] for i in rows],
        fleet=new_fleet,
        dated=np.concatenate([inventory.dated, inventory.dated[rows]]),
        room_id=np.concatenate([inventory.room_id, inventory.room_id[rows]]),
    )
    return new, np.arange(n, n + len(rows))


def _active(inventory, category):
    cats = np.array(inventory.category, dtype=object)
    kinds = np.array(inventory.kind, dtype=object)
    fleet = inventory.fleet
    return (cats == category) & (kinds == "asset") & (fleet.end == engine.NEVER) & fleet.in_use


def apply(scenario, inventory, profiles, index, factor_set, institution, year, method):
    from sobrio.footprint.services import factor_table, year_bounds

    table, _sources = factor_table(factor_set)
    inventory = copy.copy(inventory)
    inventory.fleet = copy.copy(inventory.fleet)
    profiles = engine.Profiles({c: v.copy() for c, v in profiles.embodied.items()})
    params = scenario.params
    year_start, _end = year_bounds(year)
    kind = scenario.kind

    if kind == ScenarioKind.LIFETIME:
        category, years = params["category"], float(params["years"])
        mask = np.array([c == category for c in inventory.category])
        fleet = inventory.fleet
        if method == Method.FLOW:
            base = _factor(table, category, "lifetime")
            if base and category in index:
                for criterion in engine.CRITERIA:
                    profiles.embodied[criterion][:, index[category]] *= base[0] / (base[0] + years)
        else:
            lifetime = fleet.lifetime_days.copy()
            lifetime[mask] += years * 365
            inventory.fleet = replace(fleet, lifetime_days=lifetime)
    elif kind in (ScenarioKind.VDI, ScenarioKind.SCREENS):
        source = Category.DESKTOP if kind == ScenarioKind.VDI else Category.MONITOR
        count = int(params["count"])
        inventory, moved = _take(inventory, _active(inventory, source), count)
        fleet = inventory.fleet
        quantity = fleet.quantity.copy()
        if kind == ScenarioKind.SCREENS:
            quantity[moved] = 0
            inventory.fleet = replace(fleet, quantity=quantity)
        else:
            profiles, index, thin = _ensure_profile(profiles, index, Category.THIN_CLIENT, table)
            profile = fleet.profile.copy()
            profile[moved] = thin
            start, purchase, lifetime = (
                fleet.start.copy(),
                fleet.purchase.copy(),
                fleet.lifetime_days.copy(),
            )
            start[moved] = year_start
            purchase[moved] = year_start
            life = _factor(table, Category.THIN_CLIENT, "lifetime")
            lifetime[moved] = life[0] * 365 if life else np.nan
            energy = fleet.energy.copy()
            annual = _factor(table, Category.THIN_CLIENT, "energy")
            energy[:, moved] = np.array(annual).reshape(3, 1) if annual else np.nan
            for i in moved:
                inventory.category[i] = Category.THIN_CLIENT
            fleet = replace(
                fleet,
                profile=profile,
                start=start,
                purchase=purchase,
                lifetime_days=lifetime,
                energy=energy,
            )
            inventory.fleet = fleet
            inventory, profiles, index = _add_vdi_servers(
                inventory,
                profiles,
                index,
                table,
                institution,
                quantity[moved].sum(),
                params,
                year_start,
            )
    elif kind == ScenarioKind.REFURBISHED:
        category = params["category"]
        factor = 1 - float(params["share"]) * float(params["avoided"])
        if category in index:
            for criterion in engine.CRITERIA:
                profiles.embodied[criterion][:, index[category]] *= factor
    elif kind == ScenarioKind.ROOMS:
        rooms = dict(ServerRoom.objects.for_institution(institution).values_list("pk", "pue"))
        pue = inventory.fleet.pue.copy()
        source = int(params["room"])
        target_pue = (
            float(rooms[int(params["target_room"])])
            if params.get("target_room")
            else float(params["pue"])
        )
        pue[inventory.room_id == source] = target_pue
        inventory.fleet = replace(inventory.fleet, pue=pue)
    return inventory, profiles, index


def _add_vdi_servers(inventory, profiles, index, table, institution, desktops, params, year_start):
    servers = math.ceil(desktops / max(int(params["vms_per_server"]), 1)) if desktops else 0
    profiles, index, server = _ensure_profile(profiles, index, Category.SERVER, table)
    room = params.get("room")
    pue = 1.0
    if room:
        found = ServerRoom.objects.for_institution(institution).filter(pk=room).first()
        pue = float(found.pue) if found else 1.0
    power = _factor(table, Category.SERVER, "power") or (np.nan,) * 3
    life = _factor(table, Category.SERVER, "lifetime")
    fleet = inventory.fleet
    n = len(fleet)
    new_fleet = engine.Fleet(
        profile=np.append(fleet.profile, server),
        quantity=np.append(fleet.quantity, servers),
        start=np.append(fleet.start, year_start),
        end=np.append(fleet.end, engine.NEVER),
        purchase=np.append(fleet.purchase, year_start),
        lifetime_days=np.append(fleet.lifetime_days, life[0] * 365 if life else np.nan),
        energy=np.hstack(
            [fleet.energy, np.array([p * 24 * 365 / 1000 for p in power]).reshape(3, 1)]
        ),
        pue=np.append(fleet.pue, pue),
        in_use=np.append(fleet.in_use, True),
        extra_use=None
        if fleet.extra_use is None
        else {c: np.hstack([v, np.zeros((3, 1))]) for c, v in fleet.extra_use.items()},
    )
    new = replace(
        inventory,
        kind=inventory.kind + ["asset"],
        ident=np.append(inventory.ident, -1),
        category=inventory.category + [Category.SERVER],
        unit_id=np.append(inventory.unit_id, -1),
        site=inventory.site + [""],
        purchase_year=np.append(inventory.purchase_year, -1),
        profile_key=inventory.profile_key + [Category.SERVER],
        fleet=new_fleet,
        dated=np.append(inventory.dated, True),
        room_id=np.append(inventory.room_id, int(room) if room else -1),
    )
    assert len(new.kind) == n + 1
    return new, profiles, index


def assumptions(scenario, institution, factor_set):
    """The lever in words, with the figures it uses."""
    from sobrio.footprint.services import factor_table

    table, _sources = factor_table(factor_set)
    labels = category_labels(institution)
    p = scenario.params
    if scenario.kind == ScenarioKind.LIFETIME:
        base = _factor(table, p["category"], "lifetime")
        return [
            _("Les équipements « %(category)s » restent en service %(years)s an(s) de plus.")
            % {"category": labels.get(p["category"], p["category"]), "years": p["years"]},
            _("Amortissement : la fabrication est répartie sur la durée allongée."),
            _(
                "Achats de l'année : le renouvellement ralentit dans le rapport %(base)s / "
                "(%(base)s + %(years)s)."
            )
            % {"base": f"{base[0]:g}" if base else "?", "years": p["years"]},
            _("L'usage (électricité) ne change pas."),
        ]
    if scenario.kind == ScenarioKind.VDI:
        return [
            _(
                "%(count)s ordinateurs fixes en service sont remplacés cette année par des "
                "clients légers neufs."
            )
            % {"count": p["count"]},
            _(
                "Des serveurs VDI (archétype serveur du jeu de facteurs) sont ajoutés : un pour "
                "%(vms)s postes virtuels, en marche 24 h sur 24."
            )
            % {"vms": p["vms_per_server"]},
            _("Les écrans, claviers et le réseau ne changent pas."),
        ]
    if scenario.kind == ScenarioKind.SCREENS:
        return [
            _("%(count)s écrans en service sont retirés (ni fabrication ni usage).")
            % {"count": p["count"]},
            _("Les écrans retirés ne sont pas réemployés ailleurs dans le calcul."),
        ]
    if scenario.kind == ScenarioKind.REFURBISHED:
        return [
            _("%(share)s %% des équipements « %(category)s » sont achetés reconditionnés.")
            % {"share": round(float(p["share"]) * 100), "category": labels.get(p["category"])},
            _(
                "Hypothèse saisie : un équipement reconditionné évite %(avoided)s %% de l'impact "
                "de fabrication d'un neuf."
            )
            % {"avoided": round(float(p["avoided"]) * 100)},
            _("L'usage (électricité) ne change pas."),
        ]
    rooms = dict(ServerRoom.objects.for_institution(institution).values_list("pk", "name"))
    if p.get("target_room"):
        return [
            _(
                "Les équipements de la salle « %(room)s » rejoignent la salle « %(target)s » et "
                "prennent son PUE."
            )
            % {
                "room": rooms.get(int(p["room"]), "?"),
                "target": rooms.get(int(p["target_room"]), "?"),
            },
            _("Les équipements eux-mêmes ne changent pas."),
        ]
    return [
        _("Le PUE de la salle « %(room)s » passe à %(pue)s.")
        % {"room": rooms.get(int(p["room"]), "?"), "pue": p["pue"]},
    ]
