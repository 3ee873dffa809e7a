"""Reads for the inventory pages: the filtered, sorted asset list and its exports."""

from django.db.models import Q

from sobrio.core import perms
from sobrio.core.models import Unit
from sobrio.inventory.enums import AssetStatus
from sobrio.inventory.models import Asset, category_labels

SORTS = {
    "numero": "inventory_number",
    "categorie": "category",
    "modele": "model",
    "unite": "unit__name",
    "site": "site",
    "achat": "purchase_date",
    "statut": "status",
}
FILTERS = ("category", "unit", "site", "status", "year", "q", "sort")


def filters_from(params):
    return {name: str(params.get(name, "")).strip()[:100] for name in FILTERS}


def assets(institution, filters):
    """The institution's assets as the list shows them: filtered, then sorted."""
    rows = Asset.objects.for_institution(institution).select_related("unit")
    if filters["category"]:
        rows = rows.filter(category=filters["category"])
    if filters["status"] in AssetStatus.values:
        rows = rows.filter(status=filters["status"])
    if filters["unit"] == "-":
        rows = rows.filter(unit__isnull=True)
    elif filters["unit"].isdigit() and len(filters["unit"]) < 19:  # a bigint, not a 500
        rows = rows.filter(unit_id=int(filters["unit"]))
    if filters["site"]:
        rows = rows.filter(site=filters["site"])
    if filters["year"].isdigit() and len(filters["year"]) == 4:
        rows = rows.filter(purchase_date__year=int(filters["year"]))
    if filters["q"]:
        text = filters["q"]
        rows = rows.filter(
            Q(inventory_number__icontains=text)
            | Q(name__icontains=text)
            | Q(serial_number__icontains=text)
            | Q(model__icontains=text)
        )
    key = filters["sort"].lstrip("-")
    if key in SORTS:
        order = SORTS[key]
        rows = rows.order_by(("-" if filters["sort"].startswith("-") else "") + order, "pk")
    return rows


def choices(institution, membership=None):
    """What the list's filters offer; a contributor's units are theirs only."""
    units = Unit.objects.for_institution(institution)
    if membership is not None and not perms.has_capability(membership, perms.EDIT):
        units = units.filter(pk__in=perms.contributor_unit_ids(membership))
    labels = category_labels(institution)
    mine = Asset.objects.for_institution(institution)
    present = set(mine.values_list("category", flat=True).distinct().order_by())
    return {
        # only the categories the institution has: a filter that finds nothing is noise
        "categories": sorted(
            ((code, label) for code, label in labels.items() if code in present),
            key=lambda kv: str(kv[1]),
        ),
        "statuses": AssetStatus.choices,
        "units": list(units.values_list("pk", "name")),
        "labels": labels,
    }


EXPORT_HEADER = [
    "numéro d'inventaire",
    "nom",
    "catégorie",
    "fabricant",
    "modèle",
    "numéro de série",
    "unité",
    "site",
    "date d'achat",
    "mise en service",
    "statut",
    "date de réforme",
    "quantité",
    "reconditionné",
    "salle serveur",
]


def export_rows(rows, labels):
    statuses = dict(AssetStatus.choices)
    for a in rows.select_related("unit", "server_room").iterator(chunk_size=2000):
        yield [
            a.inventory_number,
            a.name,
            str(labels.get(a.category, a.category)),
            a.manufacturer,
            a.model,
            a.serial_number,
            a.unit.name if a.unit else "",
            a.site,
            a.purchase_date or "",
            a.commissioning_date or "",
            str(statuses.get(a.status, "")),
            a.retirement_date or "",
            a.quantity,
            "oui" if a.refurbished else "non",
            a.server_room.name if a.server_room else "",
        ]
