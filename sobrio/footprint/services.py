"""From the database to the engine and back: factor sets, settings, the footprint."""

import datetime
import functools
import math
import time

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sobrio.core import freshness, queue
from sobrio.footprint import boavizta, defaults, engine, scenarios
from sobrio.footprint.loading import factor_table, load_inventory, year_bounds
from sobrio.footprint.models import (
    Criterion,
    Factor,
    FactorSet,
    FootprintSettings,
    Method,
    Purpose,
)
from sobrio.inventory.models import Asset, CloudInstance, DataStore, category_labels

CRITERIA = engine.CRITERIA
UNITS = engine.UNITS
CACHE_SECONDS = 3600


# --- factor sets -------------------------------------------------------------------


def ensure_builtin_set(key, rows, **fields):
    """A factor set Sobrio ships (shared by every institution), created once under `key`
    from rows() (called only then)."""
    existing = FactorSet.objects.filter(institution=None, builtin_key=key).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        factor_set = FactorSet.objects.create(institution=None, builtin_key=key, **fields)
        Factor.objects.bulk_create(Factor(factor_set=factor_set, **row) for row in rows())
    return factor_set


def ensure_default_set():
    """The shared default set for the installed boaviztapi, built once from its data."""
    return ensure_builtin_set(
        defaults.default_set_key(),
        defaults.default_rows,
        name=_("Sobrio par défaut"),
        version=f"{boavizta.version()}-{defaults.DEFAULT_REVISION}",
        source=_(
            "boaviztapi %(version)s (archétypes professionnels, facteurs ADEME Base "
            "Empreinte) complété de chiffres publiés : EcoInfo Ecodiag, Dell (Wyse)."
        )
        % {"version": boavizta.version()},
        licence="AGPL-3.0 (boaviztapi) ; chiffres cités avec leur source",
        published=str(datetime.date.today().year),
    )


def settings_for(institution):
    obj, _created = FootprintSettings.objects.get_or_create(institution=institution)
    return obj


def current_factor_set(institution):
    chosen = settings_for(institution).factor_set
    return chosen if chosen is not None else ensure_default_set()


def energy_categories(institution):
    """Categories whose factor in the set in use is a yearly energy and not a power: the
    hours of use given for them change nothing (the import says so)."""
    table, _sources = factor_table(current_factor_set(institution))
    return {
        category
        for category, rows in table.items()
        if ("energy", "parameter") in rows and ("power", "parameter") not in rows
    }


def electricity_for(institution):
    """Per criterion: (value, min, max) per kWh, and where each comes from."""
    chosen = settings_for(institution)
    grid = boavizta.electricity(institution.country) or {}
    factors, provenance = {}, {}
    for criterion in CRITERIA:
        if criterion in grid:
            value, source, year = grid[criterion]
            factors[criterion] = (value, value, value)
            provenance[criterion] = {
                "value": value,
                "unit": f"{UNITS[criterion]}/kWh",
                "source": f"boaviztapi {boavizta.version()} ({institution.country}) : {source}",
                "year": year,
            }
    if chosen.electricity_gwp is not None:
        value = float(chosen.electricity_gwp)
        factors["gwp"] = (value, value, value)
        provenance["gwp"] = {
            "value": value,
            "unit": "kgCO2e/kWh",
            "source": chosen.electricity_source or _("réglage de l'établissement"),
            "year": str(chosen.electricity_year or ""),
        }
    return factors, provenance


# --- the footprint ----------------------------------------------------------------------


def run(inventory, profiles, electricity, year, method):
    year_start, year_end = year_bounds(year)
    result = engine.compute(inventory.fleet, profiles, electricity, year_start, year_end, method)
    # An undated asset cannot be amortised nor placed in a year: its embodied share is unknown.
    undated = ~inventory.dated
    if undated.any():
        for criterion in CRITERIA:
            result.embodied[criterion][:, undated] = np.nan
    return result


def _bounds_dict(array):
    value, low, high = (None if np.isnan(x) else float(x) for x in array)
    if value is None:
        return {"value": None, "min": None, "max": None}
    return {"value": value, "min": min(low, high), "max": max(low, high)}


def _phase(sums, covered, count):
    entry = _bounds_dict(sums)
    entry["covered"] = float(covered)
    entry["coverage"] = float(covered / count) if count else 0.0
    return entry


def _group(inventory, result, keys):
    """Aggregate by a per-row key list; returns {key: {...}} in key order.

    Each phase says how much of the group it covers (`covered`, a quantity, and
    `coverage`, a share): a total whose manufacturing part is missing for some rows says
    so, per criterion and per phase.
    """
    if isinstance(keys, np.ndarray):  # numbers: numpy groups them without a Python loop
        values, groups = np.unique(keys, return_inverse=True)
        labels = [int(v) for v in values]
        position = {k: i for i, k in enumerate(labels)}
    else:
        labels = sorted(set(keys), key=lambda k: (k is None, str(k)))
        position = {k: i for i, k in enumerate(labels)}
        if len(labels) == 1:
            groups = np.zeros(len(keys), dtype=np.int64)
        else:
            groups = np.fromiter((position[k] for k in keys), dtype=np.int64, count=len(keys))
    sums = engine.aggregate(result, groups, len(labels), inventory.fleet.quantity)
    out = {}
    for k, i in position.items():
        count = sums["count"][i]
        entry = {"count": int(count)}
        for criterion in CRITERIA:
            phases = sums["criteria"][criterion]
            entry[criterion] = {
                "unit": UNITS[criterion],
                **{
                    p: _phase(phases[p][:, i], phases[p + "_coverage"][i], count)
                    for p in engine.PHASES
                },
                "coverage": float(phases["total_coverage"][i]),
            }
        out[k] = entry
    return out


def cache_key(institution, *parts):
    return ":".join(
        str(part)
        for part in (
            "sobrio-footprint",
            institution.pk,
            institution.country,
            settings_for(institution).data_version,
            *parts,
            translation.get_language(),
        )
    )


def footprint(
    institution,
    *,
    year,
    method=Method.STOCK,
    factor_set=None,
    scenario=None,
    loader=None,
    stale_ok=False,
):
    """The institution's footprint for one year, as a JSON-ready dict (CLI, pages, exports).

    Kept in the shared cache under the institution's data version (footprint/signals.py),
    so a page reads it back in a few milliseconds until something it depends on changes.
    stale_ok (pages): right after a change, the last result is returned at once, marked
    "stale" with the date it was computed, while the worker computes the new one; past
    STALE_SECONDS without a worker, it is computed here.
    loader: a function returning load_inventory()'s result, for callers that compute
    several footprints of the same rows (a scenario and its baseline).
    """
    factor_set = factor_set or current_factor_set(institution)
    scenario_id = scenario.pk if scenario is not None else None
    parts = (factor_set.pk, year, method, scenario_id or "-")
    key = cache_key(institution, *parts)
    data = cache.get(key)
    if data is not None:
        return data
    last_key = _last_key(institution, *parts)
    if stale_ok and settings.FOOTPRINT_BACKGROUND:
        last = cache.get(last_key)
        if last is not None and _computing(institution, key, year, method, factor_set, scenario_id):
            return {**last, "stale": True}
    loaded = loader() if loader else load_inventory(institution, factor_set, year)
    data = _compute(institution, year, method, factor_set, scenario, loaded)
    data["computed_at"] = timezone.now().isoformat()
    cache.set(key, data, CACHE_SECONDS)
    cache.set(last_key, data, LAST_SECONDS)
    return data


LAST_SECONDS = 30 * 24 * 3600
STALE_SECONDS = 60


def _last_key(institution, *parts):
    # the last result whatever the data version: what a page shows while a new one is made
    return ":".join(
        str(p)
        for p in ("sobrio-footprint-last", institution.pk, *parts, translation.get_language())
    )


def _computing(institution, key, year, method, factor_set, scenario_id):
    """True while the worker computes this result (queued here if nobody did)."""
    lock = f"{key}:computing"
    if cache.add(lock, time.time(), STALE_SECONDS * 2):
        queue.enqueue(
            "footprint.recompute", institution.pk, year, str(method), factor_set.pk, scenario_id
        )
        return True
    started = cache.get(lock)
    return started is not None and time.time() - started < STALE_SECONDS


def recompute(institution_id, year, method, factor_set_id, scenario_id=None):
    """What the worker runs after a change (footprint/tasks.py)."""
    from sobrio.core.models import Institution
    from sobrio.footprint.models import Scenario

    institution = Institution.objects.get(pk=institution_id)
    factor_set = FactorSet.objects.for_institution(institution, purpose=Purpose.FOOTPRINT).get(
        pk=factor_set_id
    )
    scenario = (
        Scenario.objects.for_institution(institution).get(pk=scenario_id) if scenario_id else None
    )
    data = footprint(
        institution, year=year, method=method, factor_set=factor_set, scenario=scenario
    )
    freshness.renew(institution_id)  # pages that showed the previous figures show these
    return data["computed_at"]


def _apply(scenario, loaded, factor_set, institution, year, method):
    inventory, profiles, index = loaded
    if scenario is None:
        return inventory, profiles, index
    return scenarios.apply(
        scenario, inventory, profiles, index, factor_set, institution, year, method
    )


def _empty_totals():
    return {
        c: {
            "unit": UNITS[c],
            "coverage": 0.0,
            **{p: _phase([np.nan] * 3, 0.0, 0) for p in engine.PHASES},
        }
        for c in CRITERIA
    }


def _compute(institution, year, method, factor_set, scenario, loaded):
    electricity, provenance = electricity_for(institution)
    inventory, profiles, _index = _apply(scenario, loaded, factor_set, institution, year, method)
    result = run(inventory, profiles, electricity, year, method)
    n = len(inventory.kind)
    everything = _group(inventory, result, ["all"] * n)["all"] if n else None
    labels = category_labels(institution)
    labels.update({"cloud": _("Cloud"), "data_store": _("Stockage de données")})
    by_category = _group(inventory, result, inventory.category) if n else {}
    for code, entry in by_category.items():
        entry["label"] = str(labels.get(code, code))
    notes = inventory.notes if scenario is None else loaded[0].notes
    data = {
        "institution": institution.slug,
        "year": year,
        "method": str(method),
        "electricity": provenance,
        "factor_set": {
            "id": factor_set.pk,
            "name": factor_set.name,
            "version": factor_set.version,
            "source": factor_set.source,
            "licence": factor_set.licence,
        },
        "rows": {
            "count": int(inventory.fleet.quantity.sum()) if n else 0,
            "undated": int(inventory.fleet.quantity[~inventory.dated].sum()) if n else 0,
            "retired_undated": int(notes.get("retired_undated", 0)),
            "refurbished_unknown": int(notes.get("refurbished_unknown", 0)),
        },
        "totals": {c: everything[c] for c in CRITERIA} if everything else _empty_totals(),
        "by_category": by_category,
    }
    if scenario is None and n:
        data["by_unit"] = _group(inventory, result, inventory.unit_id)
        data["by_site"] = _group(inventory, result, inventory.site)
        data["by_purchase_year"] = _group(inventory, result, inventory.purchase_year)
        data["top"] = _top(inventory, result)
        data["ages"] = _ages(inventory, year)
    return data


def _top(inventory, result, size=10):
    """The rows that weigh most in GWP (value), with what to show about them."""
    total = result.clean("gwp", "total")[0][0]
    order = np.argsort(-total)[:size]
    picked = [(int(i), inventory.kind[i], int(inventory.ident[i])) for i in order if total[i] > 0]
    names = {}
    asset_ids = [pk for _i, k, pk in picked if k == "asset"]
    for pk, number, name, model in Asset.objects.filter(pk__in=asset_ids).values_list(
        "pk", "inventory_number", "name", "model"
    ):
        names[("asset", pk)] = f"{number} {name or model}".strip()
    for pk, name in CloudInstance.objects.filter(
        pk__in=[pk for _i, k, pk in picked if k == "cloud"]
    ).values_list("pk", "name"):
        names[("cloud", pk)] = name
    for pk, name in DataStore.objects.filter(
        pk__in=[pk for _i, k, pk in picked if k == "store"]
    ).values_list("pk", "name"):
        names[("store", pk)] = name
    return [
        {
            "kind": k,
            "id": pk,
            "label": names.get((k, pk), str(pk)),
            "category": inventory.category[i],
            "quantity": float(inventory.fleet.quantity[i]),
            "gwp": _bounds_dict(result.total("gwp")[:, i]),
        }
        for i, k, pk in picked
    ]


AGE_BANDS = (1, 2, 3, 4, 5, 6, 8, 10)


def _ages(inventory, year):
    """Devices in service at the end of the year, by age band (years since service began)."""
    fleet = inventory.fleet
    end_of_year = datetime.date(year, 12, 31).toordinal()
    alive = (
        np.array([k == "asset" for k in inventory.kind])
        & inventory.dated
        & (fleet.start <= end_of_year)
        & (fleet.end > end_of_year)
    )
    age = (end_of_year - fleet.start) / 365.25
    bands, lower = [], 0
    for upper in (*AGE_BANDS, None):
        mask = alive & (age >= lower) & ((age < upper) if upper else True)
        bands.append(
            {
                "from": lower,
                "to": upper,
                "count": int(fleet.quantity[mask].sum()),
            }
        )
        lower = upper
    return bands


def _touched(before, after):
    """Rows a scenario changed in its fleet (dates, amortisation, energy, room, use), so
    that a change whose figures are unknown on both sides still counts as a change."""
    n = len(before)
    touched = np.zeros(n, dtype=bool)
    defaults = {"amort_start": "start", "amort_years": "lifetime"}  # engine's own defaults

    def column(fleet, name):
        value = getattr(fleet, name)
        if value is None:
            value = getattr(fleet, defaults[name]) if name in defaults else np.ones(len(fleet))
        return np.asarray(value[:n], dtype=float)

    for name in ("start", "end", "purchase", "lifetime", "pue", "in_use", "profile",
                 "amort_start", "amort_years", "amort_share"):  # fmt: skip
        touched |= ~np.isclose(column(before, name), column(after, name), equal_nan=True)
    touched |= ~np.all(np.isclose(before.energy, after.energy[:, :n], equal_nan=True), axis=0)
    return touched


def _round_like(value, *totals):
    """value rounded to the last significant digit (of three) of the larger total."""
    known = [abs(t) for t in totals if t]
    if value is None or not known:
        return value
    digits = 2 - int(math.floor(math.log10(max(known))))
    return round(value, digits) + 0.0  # never -0.0


def scenario_comparison(institution, scenario, year, method):
    """A scenario against the current state for a stated year: totals and the yearly
    difference per criterion (value, min, max, percent), with its assumptions in words.

    The difference is computed row by row (engine.difference), so its range always holds
    its value; an action made from the scenario keeps these figures and their year.
    """
    factor_set = current_factor_set(institution)

    @functools.cache
    def loader():  # read the rows once, and only if a result is not cached
        return load_inventory(institution, factor_set, year)

    base = footprint(institution, year=year, method=method, factor_set=factor_set, loader=loader)
    after = footprint(
        institution,
        year=year,
        method=method,
        factor_set=factor_set,
        scenario=scenario,
        loader=loader,
    )
    key = cache_key(
        institution,
        factor_set.pk,
        year,
        method,
        "diff3",  # 2: with the coverage of the rows changed; 3: split rows ranged together
        scenario.pk,
        scenario.updated_at.isoformat(),
    )
    diffs = cache.get(key)
    if diffs is None:
        electricity, _provenance = electricity_for(institution)
        loaded = loader()
        before = run(loaded[0], loaded[1], electricity, year, method)
        changed, profiles, _index = _apply(scenario, loaded, factor_set, institution, year, method)
        now = run(changed, profiles, electricity, year, method)
        diffs = engine.difference(
            before, now, len(loaded[0]), touched=_touched(loaded[0].fleet, changed.fleet),
            quantity=changed.fleet.quantity, groups=scenarios.origins(changed),
        )  # fmt: skip
        cache.set(key, diffs, CACHE_SECONDS)
    labels = dict(Criterion.choices)
    rows = []
    for criterion in CRITERIA:
        b, a = base["totals"][criterion]["total"], after["totals"][criterion]["total"]
        d = diffs[criterion]["total"]
        diff = None
        if d is not None:
            # rounded as the totals it compares are shown (three significant digits of
            # the larger): no 0.000000000000455 out of a float sum
            value, low, high = (_round_like(x, b["value"], a["value"]) for x in d)
            diff = {
                "value": value,
                "min": low,
                "max": high,
                "percent": 100 * d[0] / b["value"] if b["value"] else None,
                "coverage": diffs[criterion]["coverage"],
            }
        rows.append(
            {
                "criterion": criterion,
                "label": labels[criterion],
                "unit": base["totals"][criterion]["unit"],
                "base": b,
                "after": a,
                "diff": diff,
            }
        )
    _factors, electricity = electricity_for(institution)
    return {
        "year": year,
        "method": str(method),
        "rows": rows,
        "base": base,
        "after": after,
        "factor_set": factor_set,
        "electricity": [electricity[c] for c in CRITERIA if c in electricity],
        "assumptions": scenarios.assumptions(scenario, institution, factor_set, year, method),
    }


def asset_footprint(asset, year, method=Method.STOCK):
    """One asset's own footprint for a year (its page), from the same engine and factors."""
    institution = asset.institution
    factor_set = current_factor_set(institution)
    loaded = load_inventory(institution, factor_set, year, asset_id=asset.pk)
    data = _compute(institution, year, method, factor_set, None, loaded)
    return {
        "year": year,
        "method": str(method),
        "totals": data["totals"],
        "factor_set": data["factor_set"],
    }
