"""Writes for referentials: an import stores a new version, whole or not at all."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sobrio.referentials import importers, scales
from sobrio.referentials.models import Family, Item, Referential

COMPARED_FIELDS = ("title", "body", "priority", "difficulty", "indicators", "family")
FIELD_LABELS = {
    "title": _("intitulé"),
    "body": _("texte"),
    "priority": _("priorité"),
    "difficulty": _("difficulté"),
    "indicators": _("indicateurs"),
    "family": _("famille"),
}


@dataclass
class VersionDiff:
    added: list = field(default_factory=list)  # codes
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (code, [field names])

    @property
    def changed_labels(self):
        return [(code, [str(FIELD_LABELS[f]) for f in fields]) for code, fields in self.changed]

    @property
    def is_empty(self):
        return not (self.added or self.removed or self.changed)


@dataclass
class ImportResult:
    referential: Referential
    created: bool
    previous: Referential | None
    diff: VersionDiff


def _item_fields(item):
    return {
        "title": item.title,
        "body": item.body,
        "priority": item.priority,
        "difficulty": item.difficulty,
        "indicators": list(item.indicators),
        "family": item.family if isinstance(item.family, str) else item.family.code,
    }


def diff_items(old_items, new_items):
    """Compare two lists of items (parsed or stored) by code."""
    old = {i.code: _item_fields(i) for i in old_items}
    new = {i.code: _item_fields(i) for i in new_items}
    changed = []
    for code in new.keys() & old.keys():
        fields = [f for f in COMPARED_FIELDS if old[code][f] != new[code][f]]
        if fields:
            changed.append((code, fields))
    key = importers.natural_key
    return VersionDiff(
        added=sorted(new.keys() - old.keys(), key=key),
        removed=sorted(old.keys() - new.keys(), key=key),
        changed=sorted(changed, key=lambda c: key(c[0])),
    )


def diff_versions(old, new):
    return diff_items(old.items.select_related("family"), new.items.select_related("family"))


def latest_version(key, institution):
    return (
        Referential.objects.filter(key=key, institution=institution)
        .order_by("-imported_at", "-pk")
        .first()
    )


def _parse_date(text):
    try:
        return datetime.date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def referential_import(*, parsed, institution=None, user=None, name="", version=""):
    """Store `parsed` as a new version, unless the latest version has the same content."""
    parsed.name = name or parsed.name
    parsed.version = version or parsed.version or datetime.date.today().isoformat()
    if name:
        parsed.key = importers.slugify_key(name)
    previous = latest_version(parsed.key, institution)
    if previous is not None:
        diff = diff_items(previous.items.select_related("family"), parsed.items)
        if diff.is_empty and previous.version == parsed.version:
            return ImportResult(previous, False, previous, diff)
        taken = set(
            Referential.objects.filter(key=parsed.key, institution=institution).values_list(
                "version", flat=True
            )
        )
        base, n = parsed.version, 2
        while parsed.version in taken:
            parsed.version, n = f"{base} ({n})", n + 1
    else:
        diff = VersionDiff(added=[i.code for i in parsed.items])
    with transaction.atomic():
        referential = Referential.objects.create(
            institution=institution,
            key=parsed.key,
            name=parsed.name[:200],
            version=parsed.version[:60],
            publisher=parsed.publisher[:200],
            licence=parsed.licence[:120],
            source_url=parsed.source_url[:500],
            published_on=_parse_date(parsed.published_on),
            scale=parsed.scale,
            source_format=parsed.source_format,
            previous=previous,
            imported_by=user,
        )
        families = {}
        for position, family in enumerate(parsed.families):
            families[family.code] = Family(
                referential=referential,
                code=family.code,
                name=family.name[:200],
                description=family.description,
                position=position,
            )
        Family.objects.bulk_create(families.values())
        Item.objects.bulk_create(
            Item(
                referential=referential,
                family=families[item.family],
                code=item.code,
                position=position,
                title=item.title,
                body=item.body,
                priority=item.priority[:40],
                priority_rank=item.priority_rank,
                difficulty=item.difficulty[:40],
                roles=item.roles,
                indicators=item.indicators,
                weight=Decimal(str(item.effective_weight)).quantize(Decimal("0.001")),
                url=item.url[:500],
            )
            for position, item in enumerate(parsed.items)
        )
    return ImportResult(referential, True, previous, diff)


def referential_update_scale(*, referential, scale):
    if scale not in scales.SCALES:
        raise ValueError(scale)
    referential.scale = scale
    referential.save(update_fields=["scale"])
    return referential
