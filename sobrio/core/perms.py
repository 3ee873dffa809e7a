"""Who may do what in an institution: the one place where core decides access.

Each domain app keeps its own perms.py built on these capabilities; views declare
the capability they need with @member_required(CAPABILITY), which the isolation
and role tests read off every URL.
"""

from sobrio.core.enums import Role

VIEW = "view"  # read everything of the institution
CONTRIBUTE = "contribute"  # edit rows of one's own units (officers: all rows)
EDIT = "edit"  # edit every domain row
MANAGE_MEMBERS = "manage_members"
MANAGE_SETTINGS = "manage_settings"

ALL = frozenset({VIEW, CONTRIBUTE, EDIT, MANAGE_MEMBERS, MANAGE_SETTINGS})
AUTHENTICATED = "authenticated"  # any logged-in person (switching institution)

CAPABILITIES = {
    Role.ADMIN: set(ALL),
    Role.OFFICER: {VIEW, CONTRIBUTE, EDIT},
    Role.CONTRIBUTOR: {VIEW, CONTRIBUTE},
    Role.VIEWER: {VIEW},
    Role.PARTICIPANT: set(),  # the « Participer » space only (core/participation.py)
}


def has_capability(membership, capability):
    return membership is not None and capability in CAPABILITIES.get(membership.role, ())


def can_edit_unit_data(membership, unit_id):
    """Contributors edit only rows of the units they are attached to (or their sub-units)."""
    if has_capability(membership, EDIT):
        return True
    if not has_capability(membership, CONTRIBUTE) or unit_id is None:
        return False
    return unit_id in contributor_unit_ids(membership)


def contributor_unit_ids(membership):
    from sobrio.core.models import Unit

    own = set(membership.units.values_list("pk", flat=True))
    tree = Unit.objects.for_institution(membership.institution).values_list("pk", "parent_id")
    children = {}
    for pk, parent in tree:
        children.setdefault(parent, []).append(pk)
    result, todo = set(), list(own)
    while todo:
        pk = todo.pop()
        if pk not in result:
            result.add(pk)
            todo.extend(children.get(pk, ()))
    return result
