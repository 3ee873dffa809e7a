"""Réseau pages: my institution's networks, a network's benchmark (every shared figure
with its median, quartiles, range and my position, under statistical secrecy), its trend,
its report (web, PDF, ODT), shared actions, and what my institution shares."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.core import perms
from sobrio.core.models import Institution
from sobrio.core.pdf import render_pdf
from sobrio.core.tenancy import member_required, public
from sobrio.network import figures, services
from sobrio.network.access import network_view
from sobrio.network.forms import PublishForm, ShareForm
from sobrio.network.models import GROUPS, MemberState, NetworkMember, SharedAction


def _year(request):
    text = request.GET.get("annee", "")
    this = timezone.localdate().year
    return int(text) if text.isdigit() and this - 20 <= int(text) <= this else this


@require_GET
@member_required(perms.VIEW)
def home(request):
    rows = (
        NetworkMember.objects.filter(institution=request.institution)
        .exclude(state=MemberState.WITHDRAWN)
        .select_related("network")
    )
    return render(
        request,
        "network/home.html",
        {
            "rows": rows,
            "can_manage": perms.has_capability(request.membership, perms.MANAGE_SETTINGS),
        },
    )


def board(request, year):
    """Every figure's benchmark for the year (assessment: per referential)."""
    out = []
    for code in figures.FIGURES:
        if code == "assessment_score":
            for ref in services.referentials(request.network, year):
                out.append(
                    (
                        code,
                        ref,
                        services.benchmark(
                            request.network, code, year, request.institution, referential=ref
                        ),
                    )
                )
        else:
            out.append(
                (code, "", services.benchmark(request.network, code, year, request.institution))
            )
    return out


def _members(network):
    active = list(services.active(network))
    named = [m for m in active if not m.anonymous]
    return named, len(active) - len(named)


@require_GET
@network_view
def detail(request):
    year = _year(request)
    named, anonymous = _members(request.network)
    trend = services.trend(request.network, "footprint_per_person", services.years_around(year))
    return render(
        request,
        "network/detail.html",
        {
            "network": request.network,
            "year": year,
            "board": board(request, year),
            "named": named,
            "anonymous": anonymous,
            "member": request.network_member,
            "trend": trend,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        },
    )


@require_http_methods(["GET", "POST"])
@network_view
def share(request):
    member = request.network_member
    if member is None or not perms.has_capability(request.membership, perms.MANAGE_SETTINGS):
        raise PermissionDenied
    form = ShareForm(
        request.POST or None, initial={"figures": member.figures, "anonymous": member.anonymous}
    )
    if request.method == "POST":
        if "withdraw" in request.POST:
            services.withdraw(member)
            messages.success(
                request, _("L'établissement a quitté le réseau : plus rien n'est partagé.")
            )
            return redirect("network")
        if form.is_valid():
            if member.state == MemberState.INVITED:
                services.accept(member)
            services.share(member, form.cleaned_data["figures"], form.cleaned_data["anonymous"])
            messages.success(request, _("Le partage est enregistré."))
            return redirect("network_detail", network_id=request.network.pk)
    return render(
        request,
        "network/share.html",
        {"network": request.network, "form": form, "member": member, "groups": GROUPS},
    )


@require_http_methods(["GET", "POST"])
@network_view
def actions(request):
    member = request.network_member
    can_edit = (
        member is not None
        and member.state == MemberState.MEMBER
        and perms.has_capability(request.membership, perms.EDIT)
    )
    form = PublishForm(request.POST or None, institution=request.institution) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        try:
            if "copy" in request.POST:
                _copy(request)
                messages.success(
                    request, _("L'action est reprise dans votre plan, avec son origine.")
                )
            elif form.is_valid():
                services.publish(
                    member,
                    form.cleaned_data["action"],
                    results=form.cleaned_data["results"],
                    indicators=form.cleaned_data["indicators"],
                )
                messages.success(request, _("L'action est publiée dans le réseau."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("network_actions", network_id=request.network.pk)
    theme = request.GET.get("theme", "")
    rows = SharedAction.objects.filter(
        network=request.network, member__state=MemberState.MEMBER
    ).select_related("member__institution")
    themes = sorted(set(rows.values_list("theme", flat=True)))
    if theme:
        rows = rows.filter(theme=theme)
    return render(
        request,
        "network/actions.html",
        {
            "network": request.network,
            "rows": rows[:30],
            "themes": themes,
            "theme": theme,
            "form": form,
            "can_edit": can_edit,
            "axes": _axes(request) if can_edit else [],
        },
    )


def _axes(request):
    from sobrio.plan.models import Axis

    return Axis.objects.for_institution(request.institution).select_related("plan")


def _copy(request):
    from sobrio.plan.models import Axis

    shared = get_object_or_404(
        SharedAction,
        pk=request.POST.get("shared", "x") if str(request.POST.get("shared", "")).isdigit() else 0,
        network=request.network,
    )
    axis = (
        Axis.objects.for_institution(request.institution)
        .filter(pk=request.POST.get("axis") if str(request.POST.get("axis", "")).isdigit() else 0)
        .first()
    )
    if axis is None:
        raise ValidationError(_("Choisissez un axe de votre plan."))
    services.copy_into_plan(shared, request.institution, axis)


def _report_context(request, year):
    named, anonymous = _members(request.network)
    return {
        "network": request.network,
        "year": year,
        "board": board(request, year),
        "named": named,
        "anonymous": anonymous,
        "generated": timezone.now(),
        "highlights": SharedAction.objects.filter(
            network=request.network, member__state=MemberState.MEMBER
        )[:10],
    }


@require_GET
@network_view
def report(request):
    return render(request, "network/report.html", _report_context(request, _year(request)))


def _attachment(request, content, content_type, suffix):
    response = HttpResponse(content, content_type=content_type)
    name = f"reseau-{request.network.slug}-{_year(request)}{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@network_view
def report_pdf(request):
    html = render_to_string("network/report_pdf.html", _report_context(request, _year(request)))
    return _attachment(request, render_pdf(html), "application/pdf", ".pdf")


@require_GET
@network_view
def report_odt(request):
    from sobrio.network.report import odt

    content = odt(_report_context(request, _year(request)))
    return _attachment(request, content, "application/vnd.oasis.opendocument.text", ".odt")


@require_GET
@public
def public_key(request, slug):
    institution = Institution.objects.filter(slug=slug).first()
    if institution is None:
        raise Http404
    key = services.key_of(institution)
    return JsonResponse(
        {"institution": institution.slug, "algorithm": "Ed25519", "public_key": key.public_key}
    )
