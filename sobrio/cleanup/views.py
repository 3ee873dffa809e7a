"""The team's pages of the Digital Cleanup Day: campaigns, teams, moderation, the
organiser's report (web, PDF, CSV)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.cleanup import services as cleanup
from sobrio.cleanup.forms import CampaignForm, TeamForm
from sobrio.cleanup.models import CleanupAction, CleanupCampaign, Pledge, PledgeState
from sobrio.core import perms
from sobrio.core.pdf import render_pdf
from sobrio.core.tenancy import member_required, scoped_get_or_404
from sobrio.imports.exporting import csv_stream


def _can_edit(request):
    return perms.has_capability(request.membership, perms.EDIT)


def public_url(request, campaign):
    return request.build_absolute_uri(
        reverse("participate_campaign", args=[campaign.institution.slug, campaign.pk])
    )


@require_GET
@member_required(perms.VIEW)
def campaign_list(request):
    campaigns = CleanupCampaign.objects.for_institution(request.institution)
    page = Paginator(campaigns, 15).get_page(request.GET.get("page"))
    return render(
        request,
        "cleanup/campaign_list.html",
        {"page": page, "can_edit": _can_edit(request), "week": cleanup.next_national_week()},
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def campaign_edit(request, cleanupcampaign_id=None):
    campaign = None
    if cleanupcampaign_id is not None:
        campaign = scoped_get_or_404(request, CleanupCampaign, pk=cleanupcampaign_id)
    initial = {}
    if campaign is None:
        start, end = cleanup.next_national_week()
        initial = {"starts_on": start, "ends_on": end, "name": _("Digital Cleanup Day %(y)s")
                   % {"y": start.year}}  # fmt: skip
    form = CampaignForm(
        request.POST or None, instance=campaign, initial=initial, institution=request.institution
    )
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.institution = request.institution
        campaign.save()
        messages.success(request, _("La campagne est enregistrée."))
        return redirect("cleanup_campaign", cleanupcampaign_id=campaign.pk)
    return render(request, "cleanup/campaign_form.html", {"form": form, "campaign": campaign})


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def campaign_detail(request, cleanupcampaign_id):
    campaign = scoped_get_or_404(request, CleanupCampaign, pk=cleanupcampaign_id)
    return render(
        request,
        "cleanup/campaign_detail.html",
        {
            "campaign": campaign,
            "can_edit": _can_edit(request),
            "open": cleanup.is_open(campaign),
            "public_url": public_url(request, campaign),
            **cleanup.page_figures(campaign, board_rows=cleanup.BOARD_ROWS),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def campaign_moderation(request, cleanupcampaign_id):
    """The pledges waiting for the team, 15 a page (the page budget): accept or refuse a
    selection, or all."""
    campaign = scoped_get_or_404(request, CleanupCampaign, pk=cleanupcampaign_id)
    can_edit = _can_edit(request)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        pending = Pledge.objects.for_institution(request.institution).filter(campaign=campaign)
        chosen = request.POST.getlist("pledge")
        if request.POST.get("scope") != "all":
            pending = pending.filter(pk__in=[c for c in chosen if c.isdigit()])
        accept = request.POST.get("decision") == "accept"
        n = cleanup.moderate(pending, accept, by=request.user)
        messages.success(
            request,
            (_("%(n)s déclaration(s) acceptée(s).") if accept
             else _("%(n)s déclaration(s) refusée(s).")) % {"n": n},
        )  # fmt: skip
        return redirect("cleanup_campaign_moderation", cleanupcampaign_id=campaign.pk)
    pending = (
        Pledge.objects.filter(campaign=campaign, state=PledgeState.PENDING)
        .select_related("team")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "cleanup/campaign_moderation.html",
        {
            "campaign": campaign,
            "page": Paginator(pending, 15).get_page(request.GET.get("page")),
            "can_edit": can_edit,
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def campaign_teams(request, cleanupcampaign_id):
    campaign = scoped_get_or_404(request, CleanupCampaign, pk=cleanupcampaign_id)
    can_edit = _can_edit(request)
    form = TeamForm(request.POST or None, institution=request.institution)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if request.POST.get("action") == "units":
            n = cleanup.add_unit_teams(campaign)
            messages.success(request, ngettext("%(n)s équipe ajoutée, une par unité.",
                                               "%(n)s équipes ajoutées, une par unité.", n)
                             % {"n": n})  # fmt: skip
            return redirect("cleanup_campaign_teams", cleanupcampaign_id=campaign.pk)
        if request.POST.get("action") == "delete":
            team = get_object_or_404(campaign.teams, pk=request.POST.get("team") or 0)
            team.delete()
            messages.success(request, _("L'équipe est retirée ; ses déclarations restent."))
            return redirect("cleanup_campaign_teams", cleanupcampaign_id=campaign.pk)
        form.instance.campaign = campaign
        form.instance.institution = request.institution
        if form.is_valid():
            if campaign.teams.filter(name=form.cleaned_data["name"]).exists():
                form.add_error("name", _("Une équipe porte déjà ce nom dans la campagne."))
            else:
                form.save()
                messages.success(request, _("L'équipe est ajoutée."))
                return redirect("cleanup_campaign_teams", cleanupcampaign_id=campaign.pk)
    return render(
        request,
        "cleanup/campaign_teams.html",
        {
            "campaign": campaign,
            "teams": campaign.teams.select_related("unit"),
            "form": form,
            "can_edit": can_edit,
        },
    )


@require_GET
@member_required(perms.VIEW)
def campaign_export(request, cleanupcampaign_id):
    campaign = scoped_get_or_404(request, CleanupCampaign, pk=cleanupcampaign_id)
    header, rows = cleanup.export_rows(campaign)
    response = StreamingHttpResponse(
        csv_stream(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="declarations-{campaign.pk}.csv"'
    return response


@require_GET
@member_required(perms.VIEW)
def campaign_report(request, cleanupcampaign_id):
    """The organiser's report, for the national bilan: PDF."""
    campaign = scoped_get_or_404(request, CleanupCampaign, pk=cleanupcampaign_id)
    html = render_to_string(
        "cleanup/campaign_report.html",
        {
            "campaign": campaign,
            "institution": request.institution,
            "built_at": timezone.now(),
            "public_url": public_url(request, campaign),
            "device_labels": list(cleanup.DEVICE_LABELS.items()),
            "actions": [
                (CleanupAction(code).label, n)
                for code, n in sorted(cleanup.action_counts(campaign).items())
                if code in CleanupAction.values
            ],
            **cleanup.page_figures(campaign),
        },
        request=request,
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bilan-nettoyage-{campaign.pk}.pdf"'
    return response
