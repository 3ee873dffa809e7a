"""Reads for core pages: every one takes the institution it is scoped to."""

from datetime import timedelta

from auditlog.models import LogEntry
from django.db.models import Count
from django.utils import timezone

from sobrio.core.models import Membership, Unit


def dashboard_figures(institution):
    """Counts read from the database, nothing estimated."""
    roles = dict(
        Membership.objects.for_institution(institution)
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


def audit_entries(institution):
    return (
        LogEntry.objects.filter(additional_data__institution_id=institution.pk)
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )


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
