"""Reads for core pages: every one takes the institution it is scoped to."""

from datetime import timedelta

from auditlog.models import LogEntry
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sobrio.core.models import Membership, Unit


def dashboard_figures(institution):
    """Counts read from the database, nothing estimated."""
    roles = dict(
        Membership.objects.for_institution(institution)
        .staff()
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    since = timezone.now() - timedelta(days=30)
    return {
        "units": Unit.objects.for_institution(institution).count(),
        "members": sum(roles.values()),
        "members_by_role": roles,
        "changes_30_days": audit_entries(institution).filter(timestamp__gte=since).count(),
    }


def audit_entries(institution, filters=None):
    """The institution's journal, newest first; filters: who (user id), what (content type
    id), since and until (dates)."""
    entries = (
        LogEntry.objects.filter(additional_data__institution_id=institution.pk)
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )
    filters = filters or {}
    if str(filters.get("who", "")).isdigit() and len(str(filters["who"])) < 19:
        entries = entries.filter(actor_id=int(filters["who"]))
    if str(filters.get("what", "")).isdigit() and len(str(filters["what"])) < 19:
        entries = entries.filter(content_type_id=int(filters["what"]))
    if filters.get("since"):
        entries = entries.filter(timestamp__date__gte=filters["since"])
    if filters.get("until"):
        entries = entries.filter(timestamp__date__lte=filters["until"])
    return entries


VERBS = {0: _("création"), 1: _("modification"), 2: _("suppression"), 3: _("consultation")}


def humanise(entries):
    """Each entry's verb and its changed fields by their French names."""
    for entry in entries:
        entry.verb = VERBS.get(entry.action, entry.get_action_display())
        model = entry.content_type.model_class() if entry.content_type_id else None
        names = []
        for name in entry.changes_dict or {}:
            try:
                names.append(str(model._meta.get_field(name).verbose_name))
            except Exception:  # noqa: BLE001 - a field since removed, or an import summary
                names.append(name)
        entry.fields = names
        entry.kind = str(model._meta.verbose_name) if model else ""
    return entries


def units_tree(institution):
    """Units in depth-first order with their depth, from one query."""
    units = list(Unit.objects.for_institution(institution).order_by("name"))
    children = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, ()):
            unit.depth = depth
            ordered.append(unit)
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered
