"""From the database to the engine's arrays: the inventory, its profiles and factors.

services.py (the footprint, its breakdowns) and scenarios.py (the levers) both read
through here, so neither needs the other.
"""

import datetime
import json
import warnings
from dataclasses import dataclass, field

import numpy as np
from django.db import connections

from sobrio.footprint import boavizta, engine
from sobrio.footprint.models import ConfigProfile
from sobrio.inventory import catalogue
from sobrio.inventory.enums import AssetStatus, Category, Media
from sobrio.inventory.models import Asset, CloudInstance, DataStore, ServerRoom

CRITERIA = engine.CRITERIA
CHUNK = 20_000


def year_bounds(year):
    return datetime.date(year, 1, 1).toordinal(), datetime.date(year + 1, 1, 1).toordinal()


def factor_table(factor_set):
    """{category: {(criterion, phase): (value, min, max)}} and the sources, by the same key."""
    table, sources = {}, {}
    for f in factor_set.factors.all():
        key = (f.criterion, f.phase)
        table.setdefault(f.category, {})[key] = (f.value, f.min, f.max)
        sources.setdefault(f.category, {})[key] = f.source
    return table, sources


def factor(table, category, criterion, phase="parameter"):
    return table.get(category, {}).get((criterion, phase))


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
    notes: dict = field(default_factory=dict)  # counts the figures must say (undated...)
    # scenarios: the row each row is a part of (a row split in two keeps one origin, so
    # its parts' ranges are taken together: engine.difference); None = each its own
    origin: np.ndarray | None = None

    def __len__(self):
        return len(self.kind)


def _ordinal_sql(column, vendor):
    """A date column as its day number (date.toordinal()), computed by the database: the
    drivers' date converters cost more than the whole footprint at 100,000 rows."""
    if vendor == "postgresql":
        return f"({column} - DATE '0001-01-01' + 1)"
    return f"CAST(julianday({column}) - 1721424.5 AS INTEGER)"


def _number_sql(column):
    return f"CAST({column} AS DOUBLE PRECISION)"


ASSET_COLUMNS = (
    ("id", None),
    ("category", None),
    ("unit_id", None),
    ("site", None),
    ("purchase_date", "date"),
    ("commissioning_date", "date"),
    ("status", None),
    ("retirement_date", "date"),
    ("status_changed_on", "date"),
    ("lifetime_years", "number"),
    ("hours_per_day", "number"),
    ("days_per_year", None),
    ("power_w", "number"),
    ("quantity", None),
    ("server_room_id", None),
    ("refurbished", None),
    ("cpu_units", None),
    ("cpu_core_units", None),
    ("ram_gb", None),
    ("ssd_units", None),
    ("hdd_units", None),
)


def _asset_chunks(institution, asset_id=None):
    """The institution's assets (or one of them) as raw rows (ASSET_COLUMNS), CHUNK at a time."""
    connection = connections[Asset.objects.db]
    quote = connection.ops.quote_name
    parts = []
    for name, kind in ASSET_COLUMNS:
        column = quote(name)
        if kind == "date":
            parts.append(_ordinal_sql(column, connection.vendor))
        elif kind == "number":
            parts.append(_number_sql(column))
        else:
            parts.append(column)
    # Names come from the model's metadata; the institution is a parameter.
    sql = "SELECT {} FROM {} WHERE {} = %s".format(  # noqa: S608
        ", ".join(parts), quote(Asset._meta.db_table), quote("institution_id")
    )
    params = [institution.pk]
    if asset_id is not None:
        sql += " AND {} = %s".format(quote("id"))
        params.append(asset_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK):
            yield chunk


def _bounds(entry, key):
    return entry.get(key) if entry else None


class _Builder:
    """Columns of the inventory, filled asset kind by asset kind, then as arrays."""

    NAMES = (
        "kind",
        "ident",
        "category",
        "unit_id",
        "site",
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
        "given",
    )

    def __init__(self):
        self.cols = {name: [] for name in self.NAMES}
        self.given_use = {}  # row index -> {criterion: (v, min, max) or None}

    def fixed_row(self, year_start, kind, pk, category, unit, key, energy, pue, quantity, room):
        """A row whose embodied figure is already per year (cloud hours, a disk pool)."""
        row = {
            "kind": kind,
            "ident": pk,
            "category": category,
            "unit_id": -1 if unit is None else unit,
            "site": "",
            "profile_key": key,
            "dated": True,
            "start": year_start,
            "end": engine.NEVER,
            "purchase": year_start,
            "lifetime": 1.0,
            "energy": energy,
            "pue": pue,
            "qty": quantity,
            "in_use": True,
            "room_id": room or -1,
            "given": False,
        }
        for name, value in row.items():
            self.cols[name].append(value)
        return len(self.cols["kind"]) - 1


def load_inventory(institution, factor_set, year, asset_id=None):
    """Read every row once and shape it for the engine: (inventory, profiles, index).

    Assets are handled column by column, a chunk at a time: what depends only on an
    asset's kind (category, configuration, lifetime, power, usage, refurbished) is worked
    out once per distinct kind, and the per-row work is a handful of comprehensions.
    """
    table, _sources = factor_table(factor_set)
    year_start, _year_end = year_bounds(year)
    rooms = {
        pk: float(pue)
        for pk, pue in ServerRoom.objects.for_institution(institution).values_list("pk", "pue")
    }
    country = institution.country
    build = _Builder()
    cols = build.cols
    seen_configs, embodied_override = {}, {}  # profile key -> embodied dict
    notes = {"retired_undated": 0, "refurbished_unknown": 0}

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

    def derive(cat, life, power, hours, days, refurbished, cpu, cores, ram, ssd, hdd):
        """Profile key, lifetime in years and yearly energy of one kind of asset."""
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
        base_life = (_bounds(entry, ("lifetime", "parameter")) or (np.nan,))[0]
        life_years = float(life) if life is not None else base_life
        energy = energy_of(entry, power, hours, days)
        if refurbished:
            key = _refurbished_profile(
                key, cat, life_years, base_life, table, embodied_override, entry
            )
        return key, life_years, energy

    kinds = {}
    for chunk in _asset_chunks(institution, asset_id):
        (
            pk,
            cat,
            unit,
            site,
            bought,
            commissioned,
            status,
            retired,
            changed,
            life,
            hours,
            days,
            power,
            quantity,
            room,
            refurbished,
            *config,
        ) = zip(*chunk, strict=True)
        specs = list(zip(cat, life, power, hours, days, refurbished, *config, strict=True))
        for spec in set(specs).difference(kinds):
            kinds[spec] = derive(*spec)
        derived = [kinds[spec] for spec in specs]
        began = [c or b for b, c in zip(bought, commissioned, strict=True)]
        first = [b or c for b, c in zip(bought, commissioned, strict=True)]
        start = [d if d else year_start for d in began]
        cols["kind"] += ["asset"] * len(chunk)
        cols["ident"] += pk
        cols["category"] += cat
        cols["unit_id"] += [-1 if u is None else u for u in unit]
        cols["site"] += site
        cols["purchase"] += [d if d else -1 for d in first]
        cols["profile_key"] += [d[0] for d in derived]
        cols["lifetime"] += [d[1] for d in derived]
        cols["energy"] += [d[2] for d in derived]
        cols["dated"] += [d is not None for d in began]
        cols["start"] += start
        ends = []
        for r, st, s, b, c in zip(retired, status, start, began, changed, strict=True):
            if r is not None:
                ends.append(r)
            elif st != AssetStatus.RETIRED:
                ends.append(engine.NEVER)
            else:  # retired, date unknown: its status change, and the figures say so
                notes["retired_undated"] += 1
                ends.append(c if c else (s if b else year_start - 1))
        cols["end"] += ends
        cols["pue"] += [rooms.get(r, 1.0) if r else 1.0 for r in room]
        cols["room_id"] += [r or -1 for r in room]
        cols["qty"] += quantity
        cols["in_use"] += [s != AssetStatus.IN_STOCK for s in status]
        cols["given"] += [False] * len(chunk)
        notes["refurbished_unknown"] += sum(
            q for q, d in zip(quantity, derived, strict=True) if d[0].endswith(":no-factor")
        )

    clouds = CloudInstance.objects.for_institution(institution)
    stores = DataStore.objects.for_institution(institution)
    if asset_id is not None:  # one asset's own footprint: no cloud, no store
        clouds, stores = clouds.none(), stores.none()
    for pk, provider, itype, region, hours, quantity, unit in clouds.values_list(
        "pk", "provider", "instance_type", "region", "hours_per_year", "quantity", "unit_id"
    ):
        location = catalogue.location(provider, region)
        key = f"cloud:{provider}:{itype}:{location}"
        data = (
            profile(key, lambda p=provider, t=itype, r=location: boavizta.cloud_profile(p, t, r))
            if location
            else None
        )
        row_key = f"{key}:{hours}"
        if data:
            embodied_override[row_key] = {
                c: (tuple(x * hours for x in b) if b else None) for c, b in data["embodied"].items()
            }
            use = {c: (tuple(x * hours for x in b) if b else None) for c, b in data["use"].items()}
        else:  # boaviztapi does not know it: non disponible, never 0
            embodied_override[row_key] = dict.fromkeys(CRITERIA)
            use = dict.fromkeys(CRITERIA)
        i = build.fixed_row(
            year_start, "cloud", pk, "cloud", unit, row_key, (np.nan,) * 3, 1.0, quantity, None
        )
        cols["given"][i] = True
        build.given_use[i] = use

    for pk, media, volume, replicas, capacity, room, unit in stores.values_list(
        "pk", "media", "volume_tb", "replicas", "disk_capacity_tb", "server_room_id", "unit_id"
    ):
        disks = int(np.ceil(float(volume) * replicas / float(capacity))) if volume else 0
        if media == Media.TAPE or disks == 0:
            row_key = "store:none"
            embodied_override[row_key] = dict.fromkeys(CRITERIA)
            row_energy = (np.nan,) * 3
        else:
            capacity_gb = float(capacity) * 1000
            row_key = f"disk:{media}:{capacity_gb:g}"
            data = profile(row_key, lambda m=media, c=capacity_gb: boavizta.disk_profile(m, c))
            life = data["lifetime_years"]
            embodied_override[row_key] = {
                c: (tuple(x / life for x in b) if b else None) for c, b in data["embodied"].items()
            }
            row_energy = tuple(p * 8760 / 1000.0 for p in data["power_w"])
        room_pue = rooms.get(room, 1.0) if room else 1.0
        build.fixed_row(
            year_start,
            "store",
            pk,
            "data_store",
            unit,
            row_key,
            row_energy,
            room_pue,
            max(disks, 1) if disks else 0,
            room,
        )

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
    return _arrays(build, index, notes), profiles, index


def _refurbished_profile(key, cat, life, base_life, table, override, entry):
    """A refurbished device carries its refurbishment's impact, not a new one's.

    ADEME (2022) gives the share of a new device's yearly impact that buying it
    refurbished avoids; over its own (second) lifetime `life`, its embodied impact is
    new embodied × (1 − avoided) × life / the new one's lifetime. Min uses the highest
    avoided share and max the lowest, so the range holds both uncertainties.
    """
    avoided = factor(table, cat, "refurbished_avoided")
    new_key = f"{key}:refurbished:{life:g}"
    if avoided is None or not np.isfinite(life) or not np.isfinite(base_life):
        new_key += ":no-factor"
        override[new_key] = dict.fromkeys(CRITERIA)
        return new_key
    base = override.get(key) or {c: _bounds(entry, (c, "embodied")) for c in CRITERIA}
    ratio = life / base_life
    value, low, high = avoided
    out = {}
    for criterion in CRITERIA:
        bounds = base.get(criterion)
        out[criterion] = (
            None
            if bounds is None
            else (
                bounds[0] * (1 - value) * ratio,
                bounds[1] * (1 - high) * ratio,
                bounds[2] * (1 - low) * ratio,
            )
        )
    override[new_key] = out
    return new_key


def _arrays(build, index, notes):
    cols = build.cols
    n = len(cols["kind"])
    given = np.array(cols["given"], dtype=bool)
    use_given = None
    if given.any():
        use_given = {c: np.full((3, n), np.nan) for c in CRITERIA}
        for i, values in build.given_use.items():
            for c, b in values.items():
                if b is not None:
                    use_given[c][:, i] = b
    purchase = np.array(cols["purchase"], dtype=np.int64)
    kinds = np.array(cols["kind"], dtype=object)
    years = np.floor(engine.year_position(np.where(purchase > 0, purchase, engine.EPOCH)))
    purchase_year = np.where((purchase > 0) & (kinds == "asset"), years, -1).astype(np.int64)
    fleet = engine.Fleet(
        profile=np.array([index[k] for k in cols["profile_key"]], dtype=np.int64),
        quantity=np.array(cols["qty"], dtype=float),
        start=np.array(cols["start"], dtype=np.int64),
        end=np.array(cols["end"], dtype=np.int64),
        purchase=purchase,
        lifetime=np.array(cols["lifetime"], dtype=float),
        energy=np.array(cols["energy"], dtype=float).reshape(n, 3).T if n else np.zeros((3, 0)),
        pue=np.array(cols["pue"], dtype=float),
        in_use=np.array(cols["in_use"], dtype=bool),
        use_given=use_given,
        given_use=given if use_given is not None else None,
    )
    return Inventory(
        kind=cols["kind"],
        ident=np.array(cols["ident"], dtype=np.int64),
        category=cols["category"],
        unit_id=np.array(cols["unit_id"], dtype=np.int64),
        site=cols["site"],
        purchase_year=purchase_year,
        profile_key=cols["profile_key"],
        fleet=fleet,
        dated=np.array(cols["dated"], dtype=bool),
        room_id=np.array(cols["room_id"], dtype=np.int64),
        notes=notes,
    )
