"""Levers applied to a copy of the inventory arrays, then run through the same engine.

Each lever says in words what it assumes (`assumptions`), so a reader of the results
knows what was changed and what was not. The accounting of each lever is in
docs/empreinte.md: devices retired early by a lever are charged their remaining
amortisation (stock), a longer lifetime only spreads what is left to amortise, and
refurbished purchases carry ADEME's avoided share from the factor set.
"""

import copy
import math
from dataclasses import fields, replace

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sobrio.footprint import engine
from sobrio.footprint.loading import factor, factor_table, year_bounds
from sobrio.footprint.models import Method, ScenarioKind
from sobrio.inventory.enums import Category
from sobrio.inventory.models import ServerRoom, category_labels

ROW_LISTS = ("kind", "category", "site", "profile_key")
ROW_ARRAYS = ("ident", "unit_id", "purchase_year", "dated", "room_id")


def _ensure_profile(profiles, index, key, embodied):
    """Index of the profile `key`, added with `embodied` ({criterion: bounds}) if new."""
    if key in index:
        return profiles, index, index[key]
    index = dict(index)
    index[key] = len(index)
    out = {}
    for criterion in engine.CRITERIA:
        column = np.full((3, 1), np.nan)
        bounds = embodied.get(criterion)
        if bounds is not None:
            column[:, 0] = bounds
        out[criterion] = np.hstack([profiles.embodied[criterion], column])
    return engine.Profiles(out), index, index[key]


def _category_profile(profiles, index, table, category):
    embodied = {c: factor(table, category, c, "embodied") for c in engine.CRITERIA}
    return _ensure_profile(profiles, index, category, embodied)


def _fleet_arrays(fleet):
    """The per-row arrays of a fleet (optional ones filled), as a dict of copies."""
    n = len(fleet)
    out = {}
    for f in fields(fleet):
        value = getattr(fleet, f.name)
        if f.name == "use_given":
            continue
        if value is None:
            if f.name == "in_use":
                value = np.ones(n, dtype=bool)
            elif f.name == "given_use":
                value = np.zeros(n, dtype=bool)
            elif f.name == "amort_start":
                value = fleet.start
            elif f.name == "amort_years":
                value = fleet.lifetime
            elif f.name == "amort_share":
                value = np.ones(n)
        out[f.name] = np.array(value, copy=True)
    out["use_given"] = (
        {c: v.copy() for c, v in fleet.use_given.items()}
        if fleet.use_given is not None
        else {c: np.full((3, n), np.nan) for c in engine.CRITERIA}
    )
    return out


def origins(inventory):
    """The row each row is a part of (itself, unless a scenario split it off another)."""
    if inventory.origin is None:
        return np.arange(len(inventory.fleet), dtype=np.int64)
    return inventory.origin


def _append(inventory, rows, changes=None, parts=False):
    """The inventory with copies of `rows` appended, then `changes` (per array name: a
    value for every new row) applied to those copies; returns it and their positions.
    `parts`: the copies are parts of their rows (the same devices, split), not new ones."""
    fleet = _fleet_arrays(inventory.fleet)
    n = len(inventory.fleet)
    origin = origins(inventory)
    for name, value in fleet.items():
        if name == "use_given":
            fleet[name] = {c: np.hstack([v, v[:, rows]]) for c, v in value.items()}
        elif value.ndim == 2:
            fleet[name] = np.hstack([value, value[:, rows]])
        else:
            fleet[name] = np.concatenate([value, value[rows]])
    new = np.arange(n, n + len(rows))
    extra = {"origin": np.concatenate([origin, origin[rows] if parts else new])}
    for name in ROW_LISTS:
        extra[name] = getattr(inventory, name) + [getattr(inventory, name)[i] for i in rows]
    for name in ROW_ARRAYS:
        value = getattr(inventory, name)
        extra[name] = np.concatenate([value, value[rows]])
    for name, value in (changes or {}).items():
        if name in fleet:
            if fleet[name].ndim == 2:
                fleet[name][:, new] = np.asarray(value, dtype=float).reshape(3, -1)
            else:
                fleet[name][new] = value
        elif name in ROW_LISTS:
            for i in new:
                extra[name][i] = value
        else:
            extra[name][new] = value
    return replace(inventory, fleet=engine.Fleet(**fleet), **extra), new


def _take(inventory, mask, count):
    """Move exactly `count` units (or all there are) of the masked rows into new rows."""
    fleet = inventory.fleet
    picks, taken = [], 0
    for i in np.flatnonzero(mask):
        if taken >= count:
            break
        q = min(fleet.quantity[i], count - taken)
        picks.append((i, q))
        taken += q
    if not picks:
        return inventory, np.array([], dtype=np.int64)
    rows = np.array([i for i, _q in picks], dtype=np.int64)
    moved = np.array([q for _i, q in picks], dtype=float)
    inventory, new = _append(inventory, rows, parts=True)
    quantity = inventory.fleet.quantity.copy()
    quantity[rows] -= moved
    quantity[new] = moved
    inventory = replace(inventory, fleet=replace(inventory.fleet, quantity=quantity))
    return inventory, new


def _set(inventory, rows, **values):
    arrays = {}
    for name, value in values.items():
        array = getattr(inventory.fleet, name).copy()
        array[rows] = value
        arrays[name] = array
    return replace(inventory, fleet=replace(inventory.fleet, **arrays))


def _assets(inventory, category):
    cats = np.array(inventory.category, dtype=object)
    kinds = np.array(inventory.kind, dtype=object)
    return (cats == category) & (kinds == "asset")


def _active(inventory, category, year_start):
    fleet = inventory.fleet
    return _assets(inventory, category) & (fleet.end > year_start) & fleet.in_use


def apply(scenario, inventory, profiles, index, factor_set, institution, year, method):
    table, _sources = factor_table(factor_set)
    inventory = copy.copy(inventory)
    profiles = engine.Profiles({c: v.copy() for c, v in profiles.embodied.items()})
    params = scenario.params
    _shown_start, year_end = year_bounds(year)
    if year < scenario.start_year:
        return inventory, profiles, index  # not started yet: it changes nothing
    # the lever acts on 1 January of the scenario's start; a later year shown follows
    # from it (retired devices already charged, thin clients a year older...)
    year_start, _end = year_bounds(scenario.start_year)
    kind = scenario.kind
    if kind == ScenarioKind.LIFETIME:
        return _longer_life(inventory, profiles, index, table, params, year_start, method)
    if kind == ScenarioKind.VDI:
        return _vdi(inventory, profiles, index, table, institution, params, year_start)
    if kind == ScenarioKind.SCREENS:
        inventory, moved = _take(
            inventory, _active(inventory, Category.MONITOR, year_start), int(params["count"])
        )
        # Removed on 1 January: no use, and the rest of their amortisation charged now.
        return _set(inventory, moved, end=year_start), profiles, index
    if kind == ScenarioKind.REFURBISHED:
        return _refurbished(inventory, profiles, index, table, params, year_start, year_end)
    if kind == ScenarioKind.ROOMS:
        rooms = dict(ServerRoom.objects.for_institution(institution).values_list("pk", "pue"))
        source = int(params["room"])
        target_pue = (
            float(rooms[int(params["target_room"])])
            if params.get("target_room")
            else float(params["pue"])
        )
        rows = np.flatnonzero(inventory.room_id == source)
        return _set(inventory, rows, pue=target_pue), profiles, index
    return inventory, profiles, index


def _longer_life(inventory, profiles, index, table, params, year_start, method):
    """Keep devices `years` longer. Stock: what is left to amortise on 1 January is spread
    over the remaining life plus the extra years; nothing fully amortised comes back.
    Flow: renewals slow down in the ratio lifetime / (lifetime + years)."""
    category, years = params["category"], float(params["years"])
    if method == Method.FLOW:
        base = factor(table, category, "lifetime")
        if base:
            for key, i in index.items():
                if key == category or key.startswith(f"{category}:"):
                    for criterion in engine.CRITERIA:
                        profiles.embodied[criterion][:, i] *= base[0] / (base[0] + years)
        return inventory, profiles, index
    fleet = inventory.fleet
    arrays = _fleet_arrays(fleet)
    rows = np.flatnonzero(_assets(inventory, category) & np.isfinite(fleet.lifetime))
    life = fleet.lifetime[rows]
    start = fleet.start[rows]
    elapsed = np.clip(
        engine.year_position(np.full(len(rows), year_start)) - engine.year_position(start), 0, None
    )
    remaining_share = np.clip(1 - elapsed / life, 0, 1)
    running = remaining_share > 0
    rows, life, start = rows[running], life[running], start[running]
    elapsed, remaining_share = elapsed[running], remaining_share[running]
    arrays["amort_start"][rows] = np.maximum(start, year_start)
    arrays["amort_years"][rows] = life - elapsed + years
    arrays["amort_share"][rows] = remaining_share
    inventory = replace(inventory, fleet=engine.Fleet(**arrays))
    return inventory, profiles, index


def _vdi(inventory, profiles, index, table, institution, params, year_start):
    """Desktops retired on 1 January (their remaining amortisation charged now), thin
    clients bought that day in their place, and VDI servers added."""
    inventory, moved = _take(
        inventory, _active(inventory, Category.DESKTOP, year_start), int(params["count"])
    )
    count = float(inventory.fleet.quantity[moved].sum())
    if not len(moved):
        return inventory, profiles, index
    inventory = _set(inventory, moved, end=year_start)
    profiles, index, thin = _category_profile(profiles, index, table, Category.THIN_CLIENT)
    life = factor(table, Category.THIN_CLIENT, "lifetime")
    annual = factor(table, Category.THIN_CLIENT, "energy")
    inventory, _new = _append(
        inventory,
        moved,
        {
            "profile": thin,
            "start": year_start,
            "end": engine.NEVER,
            "purchase": year_start,
            "lifetime": life[0] if life else np.nan,
            "amort_start": year_start,
            "amort_years": life[0] if life else np.nan,
            "amort_share": 1.0,
            "energy": np.repeat(
                np.array(annual if annual else (np.nan,) * 3).reshape(3, 1), len(moved), axis=1
            ),
            "category": Category.THIN_CLIENT,
            "profile_key": Category.THIN_CLIENT,
            "dated": True,
        },
    )
    servers = math.ceil(count / max(int(params["vms_per_server"]), 1))
    profiles, index, server = _category_profile(profiles, index, table, Category.SERVER)
    room = params.get("room")
    pue = 1.0
    if room:
        found = ServerRoom.objects.for_institution(institution).filter(pk=room).first()
        pue = float(found.pue) if found else 1.0
    power = factor(table, Category.SERVER, "power") or (np.nan,) * 3
    server_life = factor(table, Category.SERVER, "lifetime")
    inventory, _new = _append(
        inventory,
        moved[:1],
        {
            "profile": server,
            "quantity": servers,
            "start": year_start,
            "end": engine.NEVER,
            "purchase": year_start,
            "lifetime": server_life[0] if server_life else np.nan,
            "amort_start": year_start,
            "amort_years": server_life[0] if server_life else np.nan,
            "amort_share": 1.0,
            "energy": [p * 24 * 365 / 1000 for p in power],
            "pue": pue,
            "in_use": True,
            "given_use": False,
            "category": Category.SERVER,
            "profile_key": Category.SERVER,
            "kind": "asset",
            "ident": -1,
            "unit_id": -1,
            "site": "",
            "purchase_year": -1,
            "dated": True,
            "room_id": int(room) if room else -1,
        },
    )
    return inventory, profiles, index


def refurbished_year_purchases(inventory, category, year_start, year_end):
    fleet = inventory.fleet
    return (
        _assets(inventory, category)
        & (fleet.purchase >= year_start)
        & (fleet.purchase < year_end)
        & np.array([":refurbished" not in k for k in inventory.profile_key], dtype=bool)
    )


def _refurbished(inventory, profiles, index, table, params, year_start, year_end):
    """A share of the purchases from the scenario's start to the end of the year shown
    bought refurbished: each carries the new device's embodied impact × (1 − ADEME's
    avoided share) × its second life / the new lifetime, amortised over its second life.
    Devices bought before the start are left as they are."""
    category = params["category"]
    share = float(params["share"])
    second_life = float(params.get("second_life_years") or 0) or None
    mask = refurbished_year_purchases(inventory, category, year_start, year_end)
    bought = float(inventory.fleet.quantity[mask].sum())
    count = int(round(bought * share))
    inventory, moved = _take(inventory, mask, count)
    if not len(moved):
        return inventory, profiles, index
    base_life = (factor(table, category, "lifetime") or (np.nan,))[0]
    life = second_life or base_life
    avoided = factor(table, category, "refurbished_avoided")
    base = {c: factor(table, category, c, "embodied") for c in engine.CRITERIA}
    key = f"{category}:refurbished:{life:g}"
    embodied = {}
    for criterion, bounds in base.items():
        if bounds is None or avoided is None:
            embodied[criterion] = None
            continue
        ratio = life / base_life
        value, low, high = avoided
        embodied[criterion] = (
            bounds[0] * (1 - value) * ratio,
            bounds[1] * (1 - high) * ratio,
            bounds[2] * (1 - low) * ratio,
        )
    profiles, index, refurbished = _ensure_profile(profiles, index, key, embodied)
    arrays = _fleet_arrays(inventory.fleet)
    arrays["profile"][moved] = refurbished
    arrays["lifetime"][moved] = life
    arrays["amort_years"][moved] = life
    profile_key = list(inventory.profile_key)
    for i in moved:
        profile_key[i] = key
    return (
        replace(inventory, fleet=engine.Fleet(**arrays), profile_key=profile_key),
        profiles,
        index,
    )


def _cited(table, sources, category, criterion, unit, phase="parameter"):
    """A factor the scenario uses, as a sentence's part: its value and unit, and its source
    (or « non disponible »)."""
    bounds = factor(table, category, criterion, phase)
    if bounds is None:
        return _("non disponible dans le jeu de facteurs")
    source = sources.get(category, {}).get((criterion, phase)) or _("source non indiquée")
    return f"{number_format(float(f'{bounds[0]:g}'))} {unit} ({source})"


def _room_pue(institution, room):
    """The PUE a scenario's servers take, said with where it comes from."""
    found = (
        ServerRoom.objects.for_institution(institution).filter(pk=room).first() if room else None
    )
    if found is None:
        return _("PUE 1 : aucune salle choisie, l'électricité des serveurs sans surcoût de salle")
    how = _("mesuré") if found.pue_measured else _("estimé")
    return _("PUE de la salle « %(room)s » : %(pue)s (%(how)s, fiche de la salle)") % {
        "room": found.name, "pue": number_format(float(found.pue)), "how": how}  # fmt: skip


def assumptions(scenario, institution, factor_set, year=None, method=Method.STOCK):
    """The lever in words, with the figures it uses, after when it starts."""
    start = scenario.start_year
    lines = [_("Le scénario commence le 1er janvier %(start)s.") % {"start": start}]
    if year is not None and year < start:
        lines.append(
            _("En %(year)s, il n'a pas encore commencé : il ne change rien.") % {"year": year}
        )
    elif year is not None and year > start:
        lines.append(
            _(
                "%(year)s suit de ce qui a été fait en %(start)s : les équipements retirés "
                "alors ont été comptés cette année-là, ceux ajoutés ont vieilli depuis."
            )
            % {"year": year, "start": start}
        )
    return lines + _lever(scenario, institution, factor_set)


def _lever(scenario, institution, factor_set):
    table, sources = factor_table(factor_set)
    labels = category_labels(institution)
    p = scenario.params
    if scenario.kind == ScenarioKind.LIFETIME:
        base = factor(table, p["category"], "lifetime")
        years = float(p["years"])
        return [
            ngettext(
                "Les équipements « %(category)s » restent en service %(years)s an de plus.",
                "Les équipements « %(category)s » restent en service %(years)s ans de plus.",
                math.ceil(years),
            )
            % {"category": labels.get(p["category"], p["category"]), "years": f"{years:g}"},
            _(
                "Amortissement : ce qui reste à amortir au 1er janvier est réparti sur la durée "
                "restante allongée ; un équipement déjà amorti ne compte pas à nouveau."
            ),
            _(
                "Achats de l'année : le renouvellement ralentit dans le rapport %(base)s / "
                "(%(base)s + %(years)s), %(base)s ans étant la durée de vie du jeu de "
                "facteurs : %(cited)s."
            )
            % {
                "base": f"{base[0]:g}" if base else "?",
                "years": f"{years:g}",
                "cited": _cited(table, sources, p["category"], "lifetime", _("ans")),
            },  # fmt: skip
            _("L'usage (électricité) ne change pas."),
        ]
    if scenario.kind == ScenarioKind.VDI:
        return [
            _(
                "%(count)s ordinateurs fixes en service sont retirés au 1er janvier et "
                "remplacés par des clients légers neufs ; le reste de leur amortissement est "
                "compté l'année du départ (méthode stock)."
            )
            % {"count": p["count"]},
            _(
                "Des serveurs VDI (archétype serveur du jeu de facteurs) sont ajoutés : un pour "
                "%(vms)s postes virtuels, en marche 24 h sur 24."
            )
            % {"vms": p["vms_per_server"]},
            _("Client léger : durée de vie %(life)s ; consommation %(energy)s.")
            % {
                "life": _cited(table, sources, Category.THIN_CLIENT, "lifetime", _("ans")),
                "energy": _cited(table, sources, Category.THIN_CLIENT, "energy", "kWh/an"),
            },
            _("Serveur VDI : puissance %(power)s ; durée de vie %(life)s.")
            % {
                "power": _cited(table, sources, Category.SERVER, "power", "W"),
                "life": _cited(table, sources, Category.SERVER, "lifetime", _("ans")),
            },
            _room_pue(institution, p.get("room")) + ".",
            _("Les écrans, claviers et le réseau ne changent pas."),
        ]
    if scenario.kind == ScenarioKind.SCREENS:
        return [
            _(
                "%(count)s écrans en service sont retirés au 1er janvier : plus d'usage, et le "
                "reste de leur amortissement est compté l'année du départ (méthode stock)."
            )
            % {"count": p["count"]},
            _("Les écrans retirés ne sont pas réemployés ailleurs dans le calcul."),
        ]
    if scenario.kind == ScenarioKind.REFURBISHED:
        avoided = factor(table, p["category"], "refurbished_avoided")
        source = sources.get(p["category"], {}).get(("refurbished_avoided", "parameter"), "")
        life = (
            float(p.get("second_life_years") or 0)
            or (factor(table, p["category"], "lifetime") or (None,))[0]
        )
        lines = [
            _(
                "%(share)s %% des achats en « %(category)s » faits depuis le départ sont en "
                "reconditionné ; les équipements achetés avant ne changent pas."
            )
            % {"share": round(float(p["share"]) * 100), "category": labels.get(p["category"])},
        ]
        if avoided:
            lines.append(
                _(
                    "Un équipement reconditionné évite %(value)s %% (de %(low)s à %(high)s %%) "
                    "de l'impact annuel d'un neuf — %(source)s."
                )
                % {
                    "value": round(avoided[0] * 100),
                    "low": round(avoided[1] * 100),
                    "high": round(avoided[2] * 100),
                    "source": source,
                }
            )
        else:
            lines.append(
                _(
                    "Le jeu de facteurs n'a pas de part évitée pour cette catégorie : non "
                    "disponible."
                )
            )
        if life:
            given = float(p.get("second_life_years") or 0)
            lines.append(
                _("Seconde vie retenue : %(years)s ans, sur lesquels il est amorti (%(source)s).")
                % {
                    "years": f"{life:g}",
                    "source": _("saisie dans le scénario")
                    if given
                    else _("la durée de vie d'un neuf dans le jeu de facteurs : %(cited)s")
                    % {"cited": _cited(table, sources, p["category"], "lifetime", _("ans"))},
                }
            )
        lines.append(_("L'usage (électricité) ne change pas."))
        return lines
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
