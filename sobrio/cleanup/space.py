"""The cleanup day in the « Participer » space: a campaign's public page with its live
totals and leaderboard, the pledge form (signed in, or anonymous where the campaign
allows it), and what « Mes données » shows and deletes of the pledges."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.cleanup import services as cleanup
from sobrio.cleanup.forms import PledgeForm
from sobrio.cleanup.models import CleanupCampaign, Pledge, PledgeState
from sobrio.core import freshness, limits, participation
from sobrio.core.clients import client_address
from sobrio.core.tenancy import space_view


def _campaign(request, cleanupcampaign_id):
    try:  # get(), not first(): no ORDER BY to build for one row by its key
        return CleanupCampaign.objects.for_institution(request.space).get(pk=cleanupcampaign_id)
    except CleanupCampaign.DoesNotExist:
        raise Http404 from None


def _signin(request):
    target = reverse("participate_signin", kwargs={"slug": request.space.slug})
    return redirect(f"{target}?{urlencode({'next': request.path})}")


@require_GET
@space_view(signed_in=False)
def campaign_page(request, cleanupcampaign_id):
    campaign = _campaign(request, cleanupcampaign_id)
    received = request.GET.get("recu")
    return render(
        request,
        "cleanup/space/campaign.html",
        {
            "campaign": campaign,
            **cleanup.page_figures(campaign, board_rows=cleanup.BOARD_ROWS),
            "open": cleanup.is_open(campaign),
            "received": received if received in PledgeState.values else None,
        },
    )


@require_http_methods(["GET", "POST"])
@space_view(signed_in=False)
def pledge_page(request, cleanupcampaign_id):
    campaign = _campaign(request, cleanupcampaign_id)
    membership = request.space_membership
    if membership is None and not campaign.anonymous:
        return _signin(request)
    if membership is not None and not participation.is_community(request.space, request.user):
        raise PermissionDenied  # signed in for a public workshop only
    if not cleanup.is_open(campaign):
        return render(
            request, "cleanup/space/pledge_closed.html", {"campaign": campaign}, status=200
        )
    form = PledgeForm(request.POST or None, campaign=campaign,
                      initial={"token": cleanup.new_token()})  # fmt: skip
    if request.method == "POST":
        target = reverse("participate_campaign", args=[request.space.slug, campaign.pk])
        if form.is_robot():  # the honeypot: answer as to anyone, keep nothing
            return redirect(f"{target}?recu=pending", permanent=False)
        if form.is_valid():
            try:
                pledge, _created = cleanup.submit(
                    campaign,
                    form.cleaned_data,
                    token=form.cleaned_data["token"],
                    user=request.user if membership is not None else None,
                    unit=membership.affiliation if membership is not None else None,
                    address=client_address(request),
                )
            except cleanup.PledgeRefused as refused:
                form.add_error(None, str(refused))
            except limits.Limited as limited:
                form.add_error(None, _(
                    "Trop de déclarations depuis cette adresse réseau en une heure : "
                    "réessayez plus tard, ou connectez-vous (une personne connectée n'est "
                    "pas limitée)."))  # fmt: skip
                return limits.limited_response(
                    request, limited, "cleanup/space/pledge.html", _pledge_context(
                        campaign, form, membership))  # fmt: skip
            else:
                return redirect(f"{target}?recu={pledge.state}")
    return render(request, "cleanup/space/pledge.html", _pledge_context(campaign, form, membership))


def _pledge_context(campaign, form, membership):
    # the fields' HTML is kept in the cache until the institution's data (its teams) changes
    version = f"{freshness.version(campaign.institution_id)}-{freshness.version(freshness.GLOBAL)}"
    return {"campaign": campaign, "form": form, "groups": form.groups(), "signed_in": membership,
            "fields_version": version}  # fmt: skip


def campaigns_section(request, institution, membership):
    campaigns = list(cleanup.open_campaigns(institution)[:5])
    if not campaigns:
        return None
    return {"campaigns": campaigns}


# --- the idea box --------------------------------------------------------------------------


def pledges_data(institution, user):
    return [
        {
            _("Campagne"): str(p.campaign),
            _("Date"): timezone.localtime(p.created_at).strftime("%d/%m/%Y %H:%M"),
            _("État"): str(p.get_state_display()),
            _("Équipe"): str(p.team or ""),
            _("Go supprimés"): round(p.gb_deleted, 3),
            _("Appareils"): p.devices,
        }
        for p in Pledge.objects.for_institution(institution)
        .filter(user=user)
        .select_related("campaign", "team")
    ]


def pledges_erase(institution, user):
    """The person's pledges go; the totals lose them (a pledge is theirs)."""
    deleted, _detail = Pledge.objects.for_institution(institution).filter(user=user).delete()
    return deleted
