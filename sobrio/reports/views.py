"""Rendre compte: quarterly and annual reports and the final evaluation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
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
    form = NarrativeForm(request.POST if which == "text" else None, instance=report)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if which == "text" and not report.is_frozen and form.is_valid():
            form.save()
            messages.success(request, _("Textes enregistrés."))
            return redirect("report_detail", report.pk)
        if which == "freeze" and not report.is_frozen:
            services.freeze(report, request.user)
            messages.success(request, _("Rapport figé : ses chiffres ne changeront plus."))
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


def _download(report, content, suffix, content_type):
    response = HttpResponse(content, content_type=content_type)
    name = f"rapport-{report.institution.slug}-{report.kind}-{report.period}-v{report.version}"
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
