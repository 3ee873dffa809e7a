"""Redistribution campaigns in the participant space: apply, follow one's application."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sobrio.core import participation
from sobrio.core.tenancy import space_view
from sobrio.reuse import services
from sobrio.reuse.forms import ApplicationForm
from sobrio.reuse.models import Application, RedistributionCampaign


def _open(institution):
    today = timezone.localdate()
    return RedistributionCampaign.objects.for_institution(institution).filter(
        opens_on__lte=today, closes_on__gte=today, drawn_at=None
    )


def section(request, institution, membership):
    if membership is None or not participation.is_community(institution, membership.user):
        return None
    campaigns = list(_open(institution)[:3])
    mine = list(
        Application.objects.for_institution(institution)
        .filter(user=request.user)
        .select_related("campaign", "device")[:5]
    )
    if not campaigns and not mine:
        return None
    return {"campaigns": campaigns, "applications": mine}


@require_http_methods(["GET", "POST"])
@space_view(signed_in=True)
def campaign_page(request, redistributioncampaign_id):
    if not participation.is_community(request.space, request.user):
        raise PermissionDenied
    campaign = get_object_or_404(
        RedistributionCampaign.objects.for_institution(request.space), pk=redistributioncampaign_id
    )
    mine = Application.objects.filter(campaign=campaign, user=request.user).first()
    kinds = services.allowed_kinds(campaign)
    form = ApplicationForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and mine is None and form.is_valid():
        try:
            services.apply(campaign, request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Votre demande est déposée : suivez-la ici."))
            return redirect("participate_reuse_campaign", request.space.slug, campaign.pk)
    return render(
        request,
        "reuse/space/campaign.html",
        {
            "campaign": campaign,
            "form": form,
            "mine": mine,
            "open": services.is_open(campaign),
        },
    )


def applications_data(institution, user):
    return [
        {
            _("Campagne"): str(a.campaign),
            _("Déposée le"): timezone.localtime(a.created_at).date().isoformat(),
            _("Pour"): str(a.get_kind_display()),
            _("Association"): a.organisation,
            _("Besoin"): a.need,
            _("État"): str(a.get_state_display()),
        }
        for a in Application.objects.for_institution(institution).filter(user=user)
    ]


def applications_erase(institution, user):
    """The person's applications go, except a device already handed over (its donation
    stays in the asset's story, without the person's account)."""
    rows = Application.objects.for_institution(institution).filter(user=user)
    deleted, _detail = rows.exclude(state="handed_over").delete()
    return deleted
