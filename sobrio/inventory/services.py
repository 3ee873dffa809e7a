"""Writes to the inventory from files: the three importers (assets, cloud instances, data
stores) declared to the shared import flow, with their value resolvers and commits."""

from decimal import Decimal

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sobrio.core.models import Unit
from sobrio.imports import registry
from sobrio.imports.spec import CREATE, SKIP
from sobrio.imports.values import norm
from sobrio.inventory import importers
from sobrio.inventory.enums import AssetStatus
from sobrio.inventory.importers import NO_UNIT, UnitIndex
from sobrio.inventory.models import (
    Asset,
    CloudInstance,
    CustomCategory,
    DataStore,
    ServerRoom,
    category_labels,
)
from sobrio.inventory.signals import changed

BATCH = 5000
ASSET_COLUMNS = [f.name for f in importers.ASSET_FIELDS if f.name not in ("unit", "server_room")]


# --- resolvers: from a value of the file to a row of the institution ----------------------


class Resolver:
    """Resolves one mapped field: the user's choice first, then what is known."""

    def __init__(self, chosen, find, unknown, default=None):
        self.chosen, self.find, self._unknown, self.default = chosen, find, unknown, default

    def __call__(self, text, key):
        if key in self.chosen:
            target = self.chosen[key]
            if target in (SKIP, CREATE) or target is not None:
                return _target(target)
        found = self.find(text, key)
        return found if found is not None else self.default

    def unknown(self, text):
        return self._unknown % {"value": text[:60]}


def _target(value):
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def unit_index(institution):
    units = Unit.objects.for_institution(institution).values_list("pk", "name", "code", "parent_id")
    names = (institution.name, institution.short_name, institution.slug)
    return UnitIndex(list(units), names)


def _unit_resolver(institution, chosen, create_missing):
    index = unit_index(institution)
    return Resolver(
        chosen,
        lambda text, key: index.find(text),
        "unité inconnue « %(value)s » : associez-la à une unité, créez-la ou laissez ces lignes",
        CREATE if create_missing else None,
    )


def _room_resolver(institution, chosen):
    rooms = {
        norm(name): pk
        for pk, name in ServerRoom.objects.for_institution(institution).values_list("pk", "name")
    }
    return Resolver(
        chosen, lambda text, key: rooms.get(key), "salle serveur inconnue « %(value)s »"
    )


def asset_resolvers(institution, values, *, create_missing=False):
    own = dict(CustomCategory.objects.for_institution(institution).values_list("code", "label"))
    categories = {c: c for c in own} | {norm(label): code for code, label in own.items()}

    def category(text, key):
        return importers.CATEGORY_INDEX.get(key) or categories.get(key) or categories.get(text)

    return {
        "category": Resolver(
            values.get("category", {}),
            category,
            "catégorie inconnue « %(value)s » : associez-la à une catégorie",
        ),
        "status": Resolver(
            values.get("status", {}),
            lambda text, key: importers.STATUS_INDEX.get(key),
            "statut inconnu « %(value)s »",
        ),
        "unit": _unit_resolver(institution, values.get("unit", {}), create_missing),
        "server_room": _room_resolver(institution, values.get("server_room", {})),
    }


def other_resolvers(institution, values, *, create_missing=False):
    return {
        "unit": _unit_resolver(institution, values.get("unit", {}), create_missing),
        "server_room": _room_resolver(institution, values.get("server_room", {})),
    }


def choices(institution):
    """The targets a value may be mapped to, per mapped field, for the mapping selects."""
    labels = category_labels(institution)
    index = unit_index(institution)
    units = sorted(
        ((str(pk), " › ".join(index.units[p][0] for p in _chain(index, pk))) for pk in index.units),
        key=lambda kv: norm(kv[1]),
    )
    return {
        "category": sorted(((k, str(v)) for k, v in labels.items()), key=lambda kv: norm(kv[1])),
        "status": [(k, str(v)) for k, v in AssetStatus.choices],
        "unit": [(NO_UNIT, str(_("l'établissement lui-même (sans unité)"))), *units],
        "server_room": [
            (str(pk), name)
            for pk, name in ServerRoom.objects.for_institution(institution).values_list(
                "pk", "name"
            )
        ],
    }


def _chain(index, pk):
    chain = []
    while pk is not None and pk not in chain:
        chain.append(pk)
        pk = index.units[pk][2]
    return list(reversed(chain))


def unit_plan(institution, resolution):
    """The units the import will create, as (path to show, parent's name or None)."""
    texts = [t for t, target in _created(resolution) if target == CREATE]
    index = unit_index(institution)
    out = []
    for text, parent, names in index.plan(texts):
        if names:
            out.append(
                {
                    "value": text,
                    "parent": index.units[parent][0] if parent else None,
                    "names": names,
                }
            )
    return out


def _created(resolution):
    return [
        (resolution.texts.get(("unit", key), key), target)
        for key, target in resolution.targets.get("unit", {}).items()
    ]


def create_units(institution, resolution):
    """Create the units of CREATE values (paths), once each.

    Returns {normalised value: pk} and the number of units created.
    """
    index = unit_index(institution)
    taken = {norm(name) for name, _code, _parent in index.units.values()}
    created, out = {}, {}
    for key, target in resolution.targets.get("unit", {}).items():
        if target != CREATE:
            continue
        text = resolution.texts.get(("unit", key), key)
        ((_text, parent, names),) = index.plan([text])
        path = list(index.path(parent)) if parent else []
        for name in names:
            path.append(norm(name))
            if tuple(path) in created:
                parent = created[tuple(path)]
                continue
            label = name[:200]
            if norm(label) in taken:  # unit names are unique in an institution
                parent_name = index.units[parent][0] if parent in index.units else ""
                label = f"{name} ({parent_name})"[:200] if parent_name else f"{name} (2)"
                n = 2
                while norm(label) in taken:
                    n += 1
                    label = f"{name} ({n})"[:200]
            unit = Unit.objects.create(institution=institution, name=label, parent_id=parent)
            taken.add(norm(label))
            index.units[unit.pk] = (label, "", parent)
            created[tuple(path)] = parent = unit.pk
        out[key] = parent
    return out, len(created)


def _unit_of(value, units_created):
    if isinstance(value, tuple) and value[0] == CREATE:
        return units_created[norm(value[1])]
    return None if value in (None, NO_UNIT) else value


def bulk_change(assets, *, unit=None, room=None, status=None, retired_on=None):
    """Set the unit, server room or status of many assets at once, in one transaction.

    Each asset is saved (not a bulk UPDATE) so that the journal records every change and
    the status change date is kept; returns how many changed.
    """
    from django.db import transaction

    count = 0
    with transaction.atomic():
        for asset in assets.select_for_update():
            if unit is not None:
                asset.unit = unit
            if room is not None:
                asset.server_room = room
            if status:
                asset.status = status
                if status == AssetStatus.RETIRED and asset.retirement_date is None:
                    asset.retirement_date = retired_on or timezone.localdate()
            asset.save()
            count += 1
    return count


# --- commits ------------------------------------------------------------------------------


def _comparable(value):
    return float(value) if isinstance(value, Decimal | float) else value


def _insert(model, institution, rows):
    """INSERT new rows with one prepared statement run for every row.

    bulk_create spent about 60% of a 100,000-row import building model instances and
    preparing one value at a time; these values are already clean and typed, and both
    drivers (sqlite3 as Django sets it up, psycopg) adapt dates and decimals themselves.
    """
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
    defaults["institution_id"] = institution.pk
    quote = connection.ops.quote_name
    # Names come from the model's metadata; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    names = [f.attname for f in fields]
    with connection.cursor() as cursor:
        cursor.executemany(sql, [tuple(row.get(n, defaults[n]) for n in names) for row in rows])


def _asset_values(row, units_created, today):
    values = {name: row.get(name) for name in ASSET_COLUMNS}
    values["unit_id"] = _unit_of(row.get("unit"), units_created)
    values["server_room_id"] = row.get("server_room")
    for name in ("name", "manufacturer", "model", "serial_number", "site", "comment"):
        values[name] = values[name] or ""
    values["status"] = values["status"] or AssetStatus.IN_SERVICE
    values["quantity"] = values["quantity"] or 1
    values["refurbished"] = bool(values["refurbished"])
    return values


def commit_assets(institution, rows, resolution, *, user=None, job=None, progress=None):
    """Create or update by inventory number, in the caller's transaction (all or nothing)."""
    today = timezone.localdate()
    units_created, new_units = create_units(institution, resolution)
    compared = [*ASSET_COLUMNS, "unit_id", "server_room_id"]
    existing = {}
    for values in (
        Asset.objects.for_institution(institution)
        .values("pk", "status_changed_on", *compared)
        .iterator(chunk_size=BATCH)
    ):
        existing[values["inventory_number"]] = values
    numbers, to_create, to_update, unchanged = set(), [], [], 0
    changed_fields = set()
    for _line, row in rows:
        values = _asset_values(row, units_created, today)
        number = values["inventory_number"]
        numbers.add(number)
        old = existing.get(number)
        if old is None:
            values["status_changed_on"] = today
            to_create.append(values)
        else:
            diff = {f for f in compared if _comparable(old[f]) != _comparable(values[f])}
            if diff:
                values["status_changed_on"] = (
                    today if "status" in diff else old["status_changed_on"]
                )
                to_update.append(Asset(pk=old["pk"], institution=institution, **values))
                changed_fields |= diff | ({"status_changed_on"} if "status" in diff else set())
            else:
                unchanged += 1
        if len(to_create) >= BATCH:
            _insert(Asset, institution, to_create)
            to_create = []
    _insert(Asset, institution, to_create)
    if to_update:
        Asset.objects.bulk_update(to_update, sorted(changed_fields), batch_size=1000)
    changed(institution.pk)
    missing = set(existing) - numbers
    return {
        "created": len(numbers - set(existing)),
        "updated": len(to_update),
        "unchanged": unchanged,
        "missing": sorted(missing)[:1000],
        "missing_count": len(missing),
        "units_created": new_units,
    }


def _upsert_by_name(model, institution, rows, resolution, convert):
    units_created, new_units = create_units(institution, resolution)
    existing = {o.name: o for o in model.objects.for_institution(institution)}
    report = {"created": 0, "updated": 0, "unchanged": 0, "units_created": new_units}
    for _line, row in rows:
        values = convert(row)
        values["unit_id"] = _unit_of(row.get("unit"), units_created)
        obj = existing.get(values["name"])
        if obj is None:
            model.objects.create(institution=institution, **values)
            report["created"] += 1
            continue
        if all(_comparable(getattr(obj, k)) == _comparable(v) for k, v in values.items()):
            report["unchanged"] += 1
            continue
        for key, value in values.items():
            setattr(obj, key, value)
        obj.save()
        report["updated"] += 1
    changed(institution.pk)
    return report


def commit_cloud(institution, rows, resolution, *, user=None, job=None, progress=None):
    def convert(row):
        return {
            "name": row["name"],
            "provider": row["provider"],
            "instance_type": row["instance_type"],
            "region": (row.get("region") or "FRA").strip(),
            "hours_per_year": row["hours_per_year"],
            "quantity": row.get("quantity") or 1,
            "comment": row.get("comment") or "",
        }

    return _upsert_by_name(CloudInstance, institution, rows, resolution, convert)


def commit_stores(institution, rows, resolution, *, user=None, job=None, progress=None):
    def convert(row):
        return {
            "name": row["name"],
            "volume_tb": Decimal(str(row["volume_tb"])),
            "replicas": row.get("replicas") or 1,
            "media": row["media"],
            "disk_capacity_tb": Decimal(str(row.get("disk_capacity_tb") or 8)),
            "server_room_id": row.get("server_room"),
            "comment": row.get("comment") or "",
        }

    return _upsert_by_name(DataStore, institution, rows, resolution, convert)


def energy_categories(institution):
    """Categories whose factor in the set in use is a yearly energy, not a power (the
    footprint declares how to know, see signals.readers)."""
    from sobrio.inventory.signals import readers

    reader = readers.get("energy_categories")
    return reader(institution) if reader else ()


def register():
    common = {
        "choices": choices,
        "plan": unit_plan,
        "creatable": ("unit",),
        "urls": {"home": "measure_assets", "template": "measure_template"},
        "nav": "footprint/nav.html",
        "group": "inventory",
        "intro": _(
            "Un export GLPI (ordinateurs, écrans, téléphones, imprimantes, matériel réseau ; "
            "en français ou en anglais), un tableur CSV, XLSX ou ODS, ou les modèles de "
            "Sobrio. Les unités inconnues (« Université > DSI > Pôle ») peuvent être créées "
            "d'après le fichier."
        ),
    }
    registry.register(
        registry.Importer(
            kind="assets",
            label=_("Équipements (parc, export GLPI)"),
            spec=importers.ASSETS,
            resolvers=asset_resolvers,
            commit=commit_assets,
            spec_for=lambda institution: importers.asset_spec(energy_categories(institution)),
            **common,
        )
    )
    registry.register(
        registry.Importer(
            kind="cloud",
            label=_("Instances cloud"),
            spec=importers.CLOUD,
            resolvers=other_resolvers,
            commit=commit_cloud,
            **common,
        )
    )
    registry.register(
        registry.Importer(
            kind="stores",
            label=_("Stockages de données"),
            spec=importers.STORES,
            resolvers=other_resolvers,
            commit=commit_stores,
            **common,
        )
    )
