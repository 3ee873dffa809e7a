"""Rendre compte: quarterly and annual reports and the final evaluation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.core import perms
from sobrio.core.tenancy import member_required, scoped_get_or_404
from sobrio.reports import render as rendering
from sobrio.reports import services
from sobrio.reports.forms import NarrativeForm, NewReportForm
from sobrio.reports.models import Report

PAGE_SIZE = 12


def _can_edit(request):
    return perms.has_capability(request.membership, perms.EDIT)


@require_GET
@member_required(perms.VIEW)
def report_list(request):
    reports = Report.objects.for_institution(request.institution)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/list.html",
        {"page": page, "form": NewReportForm(), "can_edit": _can_edit(request)},
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def report_create(request):
    form = NewReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = services.create(
            request.institution, form.cleaned_data["kind"], form.cleaned_data["period"]
        )
        messages.success(request, _("Rapport créé : complétez ses textes, puis figez-le."))
        return redirect("report_detail", report.pk)
    return render(request, "reports/create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def report_detail(request, report_id):
    report = scoped_get_or_404(request, Report, pk=report_id)
    can_edit = _can_edit(request)
    which = request.POST.get("form")
    typed = which == "text" or any(name in request.POST for name in NarrativeForm.Meta.fields)
    form = NarrativeForm(
        request.POST if which in ("text", "freeze") and typed else None, instance=report
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if which == "freeze" and not report.is_frozen and (not typed or form.is_valid()):
            if typed:
                form.save()  # the texts typed are kept: freezing asks first, then freezes
            return redirect("report_freeze", report.pk)
        if which == "text" and not report.is_frozen and form.is_valid():
            form.save()
            messages.success(request, _("Textes enregistrés."))
            return redirect("report_detail", report.pk)
        if which == "version" and report.is_frozen:
            draft = services.new_version(report)
            messages.success(request, _("Nouvelle version en brouillon."))
            return redirect("report_detail", draft.pk)
    data = services.data_for(report)
    return render(
        request,
        "reports/detail.html",
        {
            **rendering.context(report, data, full=False),
            "title": rendering.title(report),
            "form": form,
            "can_edit": can_edit,
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def report_freeze(request, report_id):
    """Confirm before freezing; say so when the period has not ended yet."""
    report = scoped_get_or_404(request, Report, pk=report_id)
    if report.is_frozen:
        return redirect("report_detail", report.pk)
    if request.method == "POST":
        services.freeze(report, request.user)
        messages.success(request, _("Rapport figé : ses chiffres ne changeront plus."))
        return redirect("report_detail", report.pk)
    return render(
        request,
        "reports/freeze.html",
        {
            "report": report,
            "title": rendering.title(report),
            "unfinished": report.ends_on >= timezone.localdate(),
        },
    )


def _download(report, content, suffix, content_type):
    response = HttpResponse(content, content_type=content_type)
    name = (
        f"rapport-{report.file_kind}-{report.institution.slug}-{report.period_label}"
        f"-v{report.version}"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
    return response


@require_GET
@member_required(perms.VIEW)
def report_pdf(request, report_id):
    report = scoped_get_or_404(request, Report, pk=report_id)
    content = rendering.pdf(report, services.data_for(report))
    return _download(report, content, "pdf", "application/pdf")


@require_GET
@member_required(perms.VIEW)
def report_odt(request, report_id):
    report = scoped_get_or_404(request, Report, pk=report_id)
    content = rendering.odt(report, services.data_for(report))
    return _download(report, content, "odt", "application/vnd.oasis.opendocument.text")
