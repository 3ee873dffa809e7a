"""« Mes badges » in the participant space: each badge with its files (Open Badges 2.0
and 3.0), its public page, and how to add it to a backpack; the person's data."""

from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sobrio.badges import services as badges
from sobrio.badges.models import BadgeAssertion
from sobrio.core.tenancy import space_view


def _mine(institution, user):
    return (
        BadgeAssertion.objects.for_institution(institution)
        .filter(Q(user=user) | Q(email=user.email.lower()))
        .select_related("badge")
    )


def badges_section(request, institution, membership):
    if membership is None:
        return None
    mine = list(_mine(institution, request.user)[:5])
    return {"badges": mine} if mine else None


@require_GET
@space_view(signed_in=True)
def my_badges(request):
    rows = [(a, badges.state(a)) for a in _mine(request.space, request.user)]
    return render(request, "badges/space/badges.html", {"rows": rows})


def badges_data(institution, user):
    return [
        {
            _("Badge"): a.badge.name,
            _("Délivré le"): timezone.localtime(a.issued_at).date().isoformat(),
            _("Adresse"): a.email,
            _("État"): str(badges.STATES[badges.state(a)]),
        }
        for a in _mine(institution, user)
    ]


def badges_erase(institution, user):
    """The person's badges go: their public pages and files answer « not found »."""
    deleted, _detail = _mine(institution, user).delete()
    return deleted
