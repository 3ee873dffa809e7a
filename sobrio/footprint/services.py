"""From the database to the engine and back: factor sets, settings, the footprint."""

import datetime
import functools
import json
import warnings
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db import connections, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from sobrio.footprint import boavizta, defaults, engine
from sobrio.footprint.models import (
    ConfigProfile,
    Criterion,
    Factor,
    FactorSet,
    FootprintSettings,
    Method,
)
from sobrio.inventory.enums import AssetStatus, Category, Media
from sobrio.inventory.models import Asset, CloudInstance, DataStore, ServerRoom, category_labels

CRITERIA = engine.CRITERIA
UNITS = engine.UNITS
CACHE_SECONDS = 3600


# --- factor sets -------------------------------------------------------------------


def ensure_default_set():
    """The shared default set for the installed boaviztapi, built once from its data."""
    key = defaults.default_set_key()
    existing = FactorSet.objects.filter(institution=None, builtin_key=key).first()
    if existing is not None:
        return existing
    rows = defaults.default_rows()
    with transaction.atomic():
        factor_set = FactorSet.objects.create(
            institution=None,
            name=_("Sobrio par défaut"),
            version=f"{boavizta.version()}-{defaults.DEFAULT_REVISION}",
            source=_(
                "boaviztapi %(version)s (archétypes professionnels, facteurs ADEME Base "
                "Empreinte) complété de chiffres publiés : EcoInfo Ecodiag, Dell (Wyse)."
            )
            % {"version": boavizta.version()},
            licence="AGPL-3.0 (boaviztapi) ; chiffres cités avec leur source",
            published=str(datetime.date.today().year),
            builtin_key=key,
        )
        Factor.objects.bulk_create(Factor(factor_set=factor_set, **row) for row in rows)
    return factor_set


def settings_for(institution):
    obj, _created = FootprintSettings.objects.get_or_create(institution=institution)
    return obj


def current_factor_set(institution):
    chosen = settings_for(institution).factor_set
    return chosen if chosen is not None else ensure_default_set()


def factor_table(factor_set):
    """{category: {(criterion, phase): (value, min, max)}} and the sources, by the same key."""
    table, sources = {}, {}
    for f in factor_set.factors.all():
        key = (f.criterion, f.phase)
        table.setdefault(f.category, {})[key] = (f.value, f.min, f.max)
        sources.setdefault(f.category, {})[key] = f.source
    return table, sources


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


def config_profile(key, compute):
    """boaviztapi's result for one configuration, computed once and kept."""
    version = boavizta.version()
    row = ConfigProfile.objects.filter(key=key, boavizta_version=version).first()
    if row is not None:
        return row.data.get("profile")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy's curve fit inside boaviztapi's cloud model
        data = compute()
    # {"profile": None} remembers that boaviztapi has no such configuration.
    ConfigProfile.objects.update_or_create(
        key=key, defaults={"boavizta_version": version, "data": {"profile": data}}
    )
    return data


def server_config_key(config, country):
    return f"server:{country}:{json.dumps(config, sort_keys=True)}"


# --- the inventory as arrays -----------------------------------------------------------


@dataclass
class Inventory:
    """Everything the engine and the breakdowns need, one entry per row."""

    kind: list  # "asset", "cloud", "store"
    ident: np.ndarray  # pk in its table
    category: list
    unit_id: np.ndarray  # -1 when none
    site: list
    purchase_year: np.ndarray  # -1 unknown
    profile_key: list  # category code, or a ConfigProfile key
    fleet: engine.Fleet
    dated: np.ndarray  # bool: start of service known
    room_id: np.ndarray  # -1 outside any server room


ASSET_FIELDS = (
    "pk",
    "category",
    "unit_id",
    "site",
    "purchase_date",
    "commissioning_date",
    "status",
    "retirement_date",
    "lifetime_years",
    "hours_per_day",
    "days_per_year",
    "power_w",
    "quantity",
    "server_room_id",
    "cpu_units",
    "cpu_core_units",
    "ram_gb",
    "ssd_units",
    "hdd_units",
)


def _bounds(entry, key):
    return entry.get(key) if entry else None


COLUMNS = (
    "kind",
    "ident",
    "category",
    "unit_id",
    "site",
    "purchase_year",
    "profile_key",
    "dated",
    "start",
    "end",
    "purchase",
    "lifetime",
    "energy",
    "pue",
    "qty",
    "in_use",
    "room_id",
)
CHUNK = 20_000


def _asset_chunks(institution):
    """The institution's assets as raw database rows (ASSET_FIELDS), CHUNK at a time.

    The ORM's per-value converters cost more than the whole footprint at 100,000 rows,
    so the rows come straight from the cursor. Dates still arrive as dates: psycopg
    converts them, and Django registers sqlite3 converters for its "date" columns.
    """
    query = Asset.objects.for_institution(institution).values_list(*ASSET_FIELDS)
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK):
            yield chunk


def load_inventory(institution, factor_set, year):
    """Read every row once (values_list, no model instances) and shape it for the engine.

    Assets are handled column by column, a chunk at a time: what depends only on an
    asset's kind (category, configuration, lifetime, power, usage) is worked out once per
    distinct kind, and the per-row work is a handful of list comprehensions.
    """
    table, _sources = factor_table(factor_set)
    year_start = datetime.date(year, 1, 1).toordinal()
    rooms = {
        pk: float(pue)
        for pk, pue in ServerRoom.objects.for_institution(institution).values_list("pk", "pue")
    }
    country = institution.country
    cols = {name: [] for name in COLUMNS}
    extra = []  # (row index, {criterion: (v, min, max)}) for cloud rows
    seen_configs = {}
    embodied_override = {}  # profile key -> embodied dict (config profiles)

    def profile(key, compute):
        # One query (or boaviztapi call) per distinct configuration, not per row.
        if key not in seen_configs:
            seen_configs[key] = config_profile(key, compute)
        return seen_configs[key]

    def energy_of(entry, power_override, hours, days):
        power = (
            (power_override,) * 3
            if power_override is not None
            else _bounds(entry, ("power", "parameter"))
        )
        if power is not None:
            ratio = _bounds(entry, ("use_ratio", "parameter"))
            h = hours if hours is not None else (ratio[0] * 24 if ratio else 24.0)
            d = days if days is not None else 365
            return tuple(p * h * d / 1000.0 for p in power)
        annual = _bounds(entry, ("energy", "parameter"))
        return annual if annual is not None else (np.nan,) * 3

    def derive(cat, life, power, hours, days, cpu, cores, ram, ssd, hdd):
        """Profile key, lifetime in days and yearly energy of one kind of asset."""
        entry = table.get(cat)
        key = cat
        if cat == Category.SERVER:
            config = {
                k: v
                for k, v in (
                    ("cpu_units", cpu),
                    ("cpu_core_units", cores),
                    ("ram_capacity_gb", ram),
                    ("ssd_units", ssd),
                    ("hdd_units", hdd),
                )
                if v
            }
            if config:
                key = server_config_key(config, country)
                data = profile(key, lambda: boavizta.server_profile(config, country))
                entry = {
                    ("power", "parameter"): tuple(data["power_w"]),
                    ("use_ratio", "parameter"): (1.0,) * 3,
                    ("lifetime", "parameter"): (data["lifetime_years"],) * 3,
                }
                embodied_override[key] = data["embodied"]
        life_years = (
            float(life)
            if life is not None
            else (_bounds(entry, ("lifetime", "parameter")) or (np.nan,))[0]
        )
        energy = energy_of(
            entry,
            float(power) if power is not None else None,
            float(hours) if hours is not None else None,
            days,
        )
        return key, life_years * 365.0 if life_years == life_years else np.nan, energy

    kinds = {}
    for chunk in _asset_chunks(institution):
        (pk, cat, unit, st, bought, commissioned, status, retired, life, hours, days, power,
         quantity, room, *config) = zip(*chunk, strict=True)  # fmt: skip
        specs = list(zip(cat, life, power, hours, days, *config, strict=True))
        for spec in set(specs).difference(kinds):
            kinds[spec] = derive(*spec)
        derived = [kinds[spec] for spec in specs]
        began = [c or b for b, c in zip(bought, commissioned, strict=True)]
        first = [b or c for b, c in zip(bought, commissioned, strict=True)]
        start = [d.toordinal() if d else year_start for d in began]
        cols["kind"] += ["asset"] * len(chunk)
        cols["ident"] += pk
        cols["category"] += cat
        cols["unit_id"] += [-1 if u is None else u for u in unit]
        cols["site"] += st
        cols["purchase_year"] += [d.year if d else -1 for d in first]
        cols["purchase"] += [d.toordinal() if d else -1 for d in first]
        cols["profile_key"] += [d[0] for d in derived]
        cols["lifetime"] += [d[1] for d in derived]
        cols["energy"] += [d[2] for d in derived]
        cols["dated"] += [d is not None for d in began]
        cols["start"] += start
        cols["end"] += [
            r.toordinal()
            if r is not None
            else ((s if b else year_start - 1) if st_ == AssetStatus.RETIRED else engine.NEVER)
            for r, st_, s, b in zip(retired, status, start, began, strict=True)
        ]
        cols["pue"] += [rooms.get(r, 1.0) if r else 1.0 for r in room]
        cols["room_id"] += [r or -1 for r in room]
        cols["qty"] += quantity
        cols["in_use"] += [s != AssetStatus.IN_STOCK for s in status]

    for pk, provider, itype, region, hours, quantity, unit in CloudInstance.objects.for_institution(
        institution
    ).values_list(
        "pk", "provider", "instance_type", "region", "hours_per_year", "quantity", "unit_id"
    ):
        key = f"cloud:{provider}:{itype}:{region}"
        data = profile(key, lambda p=provider, t=itype, r=region: boavizta.cloud_profile(p, t, r))
        row_key = f"{key}:{hours}"
        if data:
            embodied_override[row_key] = {
                c: (tuple(x * hours for x in b) if b else None) for c, b in data["embodied"].items()
            }
            use = {c: (tuple(x * hours for x in b) if b else None) for c, b in data["use"].items()}
            extra.append((len(cols["kind"]), use))
        else:
            embodied_override[row_key] = dict.fromkeys(CRITERIA)
        _fixed_row(
            cols, year_start, "cloud", pk, "cloud", unit, row_key, (0.0,) * 3, 1.0, quantity, None
        )

    for pk, media, volume, replicas, capacity, room, unit in DataStore.objects.for_institution(
        institution
    ).values_list(
        "pk", "media", "volume_tb", "replicas", "disk_capacity_tb", "server_room_id", "unit_id"
    ):
        disks = int(np.ceil(float(volume) * replicas / float(capacity))) if volume else 0
        if media == Media.TAPE or disks == 0:
            row_key = "store:none"
            embodied_override[row_key] = dict.fromkeys(CRITERIA)
            row_energy = (np.nan,) * 3
        else:
            row_key = f"disk:{media}"
            data = profile(row_key, lambda m=media: boavizta.disk_profile(m))
            life = data["lifetime_years"]
            embodied_override[row_key] = {
                c: (tuple(x / life for x in b) if b else None) for c, b in data["embodied"].items()
            }
            row_energy = tuple(p * 8760 / 1000.0 for p in data["power_w"])
        room_pue = rooms.get(room, 1.0) if room else 1.0
        _fixed_row(
            cols, year_start, "store", pk, "data_store", unit, row_key, row_energy, room_pue,
            max(disks, 1) if disks else 0, room,
        )  # fmt: skip

    keys = sorted(set(cols["profile_key"]))
    index = {k: i for i, k in enumerate(keys)}
    profiles = engine.Profiles.empty(len(keys))
    for k, i in index.items():
        source = embodied_override.get(k)
        for criterion in CRITERIA:
            bounds = (
                (source or {}).get(criterion)
                if source is not None
                else _bounds(table.get(k), (criterion, "embodied"))
            )
            if bounds is not None:
                profiles.embodied[criterion][:, i] = bounds
    n = len(cols["kind"])
    extra_use = None
    if extra:
        extra_use = {c: np.zeros((3, n)) for c in CRITERIA}
        for i, values in extra:
            for c, b in values.items():
                extra_use[c][:, i] = b if b is not None else np.nan
    fleet = engine.Fleet(
        profile=np.array([index[k] for k in cols["profile_key"]], dtype=np.int64),
        quantity=np.array(cols["qty"], dtype=float),
        start=np.array(cols["start"], dtype=np.int64),
        end=np.array(cols["end"], dtype=np.int64),
        purchase=np.array(cols["purchase"], dtype=np.int64),
        lifetime_days=np.array(cols["lifetime"], dtype=float),
        energy=np.array(cols["energy"], dtype=float).reshape(n, 3).T if n else np.zeros((3, 0)),
        pue=np.array(cols["pue"], dtype=float),
        in_use=np.array(cols["in_use"], dtype=bool),
        extra_use=extra_use,
    )
    inventory = Inventory(
        kind=cols["kind"],
        ident=np.array(cols["ident"], dtype=np.int64),
        category=cols["category"],
        unit_id=np.array(cols["unit_id"], dtype=np.int64),
        site=cols["site"],
        purchase_year=np.array(cols["purchase_year"], dtype=np.int64),
        profile_key=cols["profile_key"],
        fleet=fleet,
        dated=np.array(cols["dated"], dtype=bool),
        room_id=np.array(cols["room_id"], dtype=np.int64),
    )
    return inventory, profiles, index


def _fixed_row(cols, year_start, kind, pk, category, unit, key, energy, pue, quantity, room):
    """A row whose embodied figure is already per year (cloud hours, a disk pool)."""
    row = {
        "kind": kind,
        "ident": pk,
        "category": category,
        "unit_id": -1 if unit is None else unit,
        "site": "",
        "purchase_year": -1,
        "profile_key": key,
        "dated": True,
        "start": year_start,
        "end": engine.NEVER,
        "purchase": year_start,
        "lifetime": 365.0,
        "energy": energy,
        "pue": pue,
        "qty": quantity,
        "in_use": True,
        "room_id": room or -1,
    }
    for name, value in row.items():
        cols[name].append(value)


# --- the footprint ----------------------------------------------------------------------


def year_bounds(year):
    return datetime.date(year, 1, 1).toordinal(), datetime.date(year + 1, 1, 1).toordinal()


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


def _group(inventory, result, keys):
    """Aggregate by an arbitrary per-row key list; returns {key: {...}} in key order."""
    labels = sorted(set(keys), key=lambda k: (k is None, str(k)))
    position = {k: i for i, k in enumerate(labels)}
    groups = np.fromiter((position[k] for k in keys), dtype=np.int64, count=len(keys))
    sums = engine.aggregate(result, groups, len(labels), inventory.fleet.quantity)
    out = {}
    for k, i in position.items():
        entry = {"count": int(sums["count"][i])}
        for criterion in CRITERIA:
            phases = sums["criteria"][criterion]
            entry[criterion] = {
                "unit": UNITS[criterion],
                **{p: _bounds_dict(phases[p][:, i]) for p in ("embodied", "use", "total")},
                "coverage": float(phases["total_coverage"][i]),
            }
        out[k] = entry
    return out


def footprint(
    institution, *, year, method=Method.STOCK, factor_set=None, scenario=None, loader=None
):
    """The institution's footprint for one year, as a JSON-ready dict (CLI, pages, exports).

    Kept in the cache under the institution's data version (footprint/signals.py), so a
    page reads it back in a few milliseconds until something it depends on changes.
    loader: a function returning load_inventory()'s result, for callers that compute
    several footprints of the same rows (a scenario and its baseline).
    """
    factor_set = factor_set or current_factor_set(institution)
    key = ":".join(
        str(part)
        for part in (
            "sobrio-footprint",
            institution.pk,
            institution.country,
            settings_for(institution).data_version,
            factor_set.pk,
            year,
            method,
            scenario.pk if scenario is not None else "-",
            translation.get_language(),
        )
    )
    data = cache.get(key)
    if data is None:
        loaded = loader() if loader else load_inventory(institution, factor_set, year)
        data = _compute(institution, year, method, factor_set, scenario, loaded)
        cache.set(key, data, CACHE_SECONDS)
    return data


def _compute(institution, year, method, factor_set, scenario, loaded):
    electricity, provenance = electricity_for(institution)
    inventory, profiles, index = loaded
    if scenario is not None:
        from sobrio.footprint import scenarios

        inventory, profiles, index = scenarios.apply(
            scenario, inventory, profiles, index, factor_set, institution, year, method
        )
    result = run(inventory, profiles, electricity, year, method)
    n = len(inventory.kind)
    everything = _group(inventory, result, ["all"] * n)["all"] if n else None
    labels = category_labels(institution)
    labels.update({"cloud": _("Cloud"), "data_store": _("Stockage de données")})
    by_category = _group(inventory, result, inventory.category) if n else {}
    for code, entry in by_category.items():
        entry["label"] = str(labels.get(code, code))
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
        },
        "totals": {c: everything[c] for c in CRITERIA}
        if everything
        else {
            c: {
                "unit": UNITS[c],
                "coverage": 0.0,
                **{p: _bounds_dict([np.nan] * 3) for p in ("embodied", "use", "total")},
            }
            for c in CRITERIA
        },
        "by_category": by_category,
    }
    if scenario is None and n:
        data["by_unit"] = _group(inventory, result, inventory.unit_id.tolist())
        data["by_site"] = _group(inventory, result, [s or "" for s in inventory.site])
        data["by_purchase_year"] = _group(inventory, result, inventory.purchase_year.tolist())
        data["top"] = _top(inventory, result)
        data["ages"] = _ages(inventory, year)
    return data


def _top(inventory, result, size=10):
    """The rows that weigh most in GWP (value), with what to show about them."""
    total = np.nan_to_num(result.total("gwp")[0])
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


def scenario_comparison(institution, scenario, year, method):
    """A scenario against the current state: totals and the yearly difference per
    criterion (value, min, max, percent), with its assumptions in words."""
    from sobrio.footprint import scenarios

    factor_set = current_factor_set(institution)

    @functools.cache
    def loader():  # read the rows once, and only if a result is not cached
        return load_inventory(institution, factor_set, year)

    base = footprint(institution, year=year, method=method, factor_set=factor_set, loader=loader)
    after = footprint(
        institution, year=year, method=method, factor_set=factor_set, scenario=scenario,
        loader=loader,
    )  # fmt: skip
    labels = dict(Criterion.choices)
    rows = []
    for criterion in CRITERIA:
        b, a = base["totals"][criterion]["total"], after["totals"][criterion]["total"]
        diff = None
        if b["value"] is not None and a["value"] is not None:
            ends = (a["min"] - b["min"], a["max"] - b["max"])
            diff = {
                "value": a["value"] - b["value"],
                "min": min(ends),
                "max": max(ends),
                "percent": 100 * (a["value"] - b["value"]) / b["value"] if b["value"] else None,
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
    return {
        "rows": rows,
        "base": base,
        "after": after,
        "factor_set": factor_set,
        "assumptions": scenarios.assumptions(scenario, institution, factor_set),
    }
