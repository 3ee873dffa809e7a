"""The team's pages of réemploi: the year's figures, decisions (one by one, a selection,
a file), refurbishment batches and their devices, redistribution campaigns."""

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.core import charts, perms
from sobrio.core.pdf import render_pdf
from sobrio.core.tenancy import member_required, scoped_get_or_404
from sobrio.imports.exporting import csv_stream
from sobrio.imports.models import PREVIEWS_PREFIX
from sobrio.imports.problems import ImportFailure
from sobrio.inventory.models import Asset
from sobrio.reuse import law, services
from sobrio.reuse.forms import (
    BatchForm,
    CampaignForm,
    DecisionForm,
    HandOverForm,
    ImportForm,
    RefurbishmentForm,
    SanitisationForm,
    SettingsForm,
    WipeReportForm,
)
from sobrio.reuse.models import (
    Application,
    Batch,
    Disposal,
    RedistributionCampaign,
    Refurbishment,
    Sanitisation,
)

PAGE = 25


def _can_edit(request):
    return perms.has_capability(request.membership, perms.EDIT)


def _year(request):
    text = request.GET.get("annee", "")
    year = int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None
    return year or timezone.localdate().year


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def wipes_import(request):
    """Wipe reports that arrive after the devices left, matched by serial: all or nothing."""
    form = WipeReportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = services.import_wipes(
                request.institution, upload.read(), upload.name,
                done_by=form.cleaned_data["done_by"],
            )  # fmt: skip
        except ImportFailure as failure:
            problems = failure.problems
        else:
            messages.success(
                request,
                ngettext("%(n)s effacement enregistré.", "%(n)s effacements enregistrés.", count)
                % {"n": count},
            )
            return redirect("reuse_disposals")
    return render(request, "reuse/wipes.html", {"form": form, "problems": problems})


@require_GET
@member_required(perms.VIEW)
def home(request):
    year = _year(request)
    institution = request.institution
    paths = services.by_path(institution, year)
    chart = charts.bars([(str(label), n or 0, None, None) for _code, label, n, _kg in paths])
    chart = chart if any(n for _code, _label, n, _kg in paths) else None
    return render(
        request,
        "reuse/home.html",
        {
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "rate": services.rate(institution, year),
            "reassigned": services.reassigned(institution, year),
            "paths": paths,
            "chart": chart,
            "kg": services.kg_recycled(institution, year),
            "avoided": services.avoided(institution, year),
            "can_edit": _can_edit(request),
            "undecided": services.undecided(institution).count(),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def settings_edit(request):
    instance = services.settings_for(request.institution)
    form = SettingsForm(request.POST or None, instance=instance, institution=request.institution)
    if request.method == "POST" and form.is_valid():
        row = form.save(commit=False)
        row.institution = request.institution
        row.save()
        messages.success(request, _("Les réglages du réemploi sont enregistrés."))
        return redirect("reuse_home")
    return render(request, "reuse/settings.html", {"form": form})


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def decide(request):
    """The retired assets without a decision: tick some, decide their path at once."""
    rows = services.undecided(request.institution)
    page = Paginator(rows, 12).get_page(request.GET.get("page"))  # with the form: the budget
    form = DecisionForm(
        request.POST or None, request.FILES or None, institution=request.institution
    )
    failures = []
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        chosen = rows.filter(pk__in=[p for p in request.POST.getlist("asset") if p.isdigit()])
        if not chosen:
            form.add_error(None, _("Cochez au moins un équipement."))
        elif form.is_valid():
            fields = form.fields_for_service()
            path = form.cleaned_data["path"]
            try:
                with transaction.atomic():  # all of the selection, or none
                    for asset in chosen:
                        try:
                            disposal = services.decide(asset, path, by=request.user, **fields)
                            if disposal.document:  # one upload, stored once, for them all
                                fields["document"] = disposal.document.name
                        except ValidationError as error:
                            failures.append((asset, error.messages))
                    if failures:
                        raise ValidationError("")
            except ValidationError:
                pass
            else:
                n = len(chosen)
                messages.success(
                    request,
                    ngettext("%(n)s décision enregistrée.", "%(n)s décisions enregistrées.", n)
                    % {"n": n},
                )
                return redirect("reuse_disposals")
    return render(
        request,
        "reuse/decide.html",
        {
            "page": page,
            "form": form,
            "failures": failures,
            "can_edit": _can_edit(request),
            "ceiling": law.CEILING,
            "selected": set(request.POST.getlist("asset")),
        },
    )


@require_GET
@member_required(perms.VIEW)
def disposals(request):
    year = _year(request)
    rows = (
        Disposal.objects.for_institution(request.institution)
        .filter(decided_on__year=year)
        .select_related("asset")
    )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "reuse/disposals.html", {"page": page, "year": year})


def _read_stored(name):
    with default_storage.open(name) as handle:
        return handle.read()


def _preview_name(institution, token):
    """A previewed file waiting for its confirmation, in the storage every server shares."""
    return f"{PREVIEWS_PREFIX}/reuse/{institution.pk}-{token}"


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def import_file(request):
    """Upload, preview (rows and problems, nothing written), then confirm."""
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "problems": [], "rows": None}
    token = request.POST.get("token", "")
    if request.method == "POST" and token:  # the confirmation of a preview
        stored = _preview_name(request.institution, token)
        if not token.isalnum() or not default_storage.exists(stored):
            messages.error(request, _("Cet aperçu a expiré : déposez le fichier à nouveau."))
            return redirect("reuse_import")
        name = request.POST.get("filename", "decisions.csv")[:120]
        try:
            count, left = services.import_decisions(
                _read_stored(stored),
                name,
                request.institution,
                by=request.user,
                valid_only=request.POST.get("valid_only") == "1",
            )
        except ImportFailure as failure:
            context["problems"] = failure.problems
        else:
            default_storage.delete(stored)
            messages.success(
                request,
                ngettext("%(n)s décision enregistrée.", "%(n)s décisions enregistrées.", count)
                % {"n": count},
            )
            return redirect("reuse_disposals")
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            rows, problems = services.read_decisions(data, upload.name, request.institution)
        except ImportFailure as failure:
            context["problems"] = failure.problems
        else:
            token = secrets.token_hex(12)
            default_storage.save(_preview_name(request.institution, token), ContentFile(data))
            context.update(
                rows=rows[:50],
                count=len(rows),
                problems=problems,
                token=token,
                filename=upload.name,
                valid_only=form.cleaned_data["valid_only"],
            )
    return render(request, "reuse/import.html", context)


# --- refurbishment ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def batches(request):
    form = BatchForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        if form.is_valid():
            batch = form.save(commit=False)
            batch.institution = request.institution
            batch.save()
            return redirect("reuse_batch", batch_id=batch.pk)
    rows = Batch.objects.for_institution(request.institution)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request, "reuse/batches.html", {"page": page, "form": form, "can_edit": _can_edit(request)}
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def batch_detail(request, batch_id):
    batch = scoped_get_or_404(request, Batch, pk=batch_id)
    report_form = WipeReportForm()
    report_problems = []
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        if "add" in request.POST:
            ids = [p for p in request.POST.getlist("asset") if p.isdigit()]
            added = services.add_to_batch(
                batch, services.refurbishable(request.institution).filter(pk__in=ids)
            )
            messages.success(
                request,
                ngettext("%(n)s appareil ajouté au lot.", "%(n)s appareils ajoutés au lot.", added)
                % {"n": added},
            )
            return redirect("reuse_batch", batch_id=batch.pk)
        report_form = WipeReportForm(request.POST, request.FILES)
        if report_form.is_valid():
            upload = report_form.cleaned_data["file"]
            try:
                records, report_problems = services.read_wipe_report(
                    batch, upload.read(), upload.name, done_by=report_form.cleaned_data["done_by"]
                )
            except ImportFailure as failure:
                report_problems = failure.problems
                records = []
            if records and not report_problems:
                Sanitisation.objects.bulk_create(records)
                messages.success(
                    request,
                    ngettext(
                        "%(n)s effacement enregistré.",
                        "%(n)s effacements enregistrés.",
                        len(records),
                    )
                    % {"n": len(records)},
                )
                return redirect("reuse_batch", batch_id=batch.pk)
    devices = batch.devices.select_related("asset")
    wiped = set(
        Sanitisation.objects.filter(asset__refurbishment__batch=batch).values_list(
            "asset_id", "category"
        )
    )
    rows = [(d, sorted({c for a, c in wiped if a == d.asset_id})) for d in devices]
    return render(
        request,
        "reuse/batch.html",
        {
            "batch": batch,
            "rows": rows,
            "can_edit": _can_edit(request),
            "candidates": _candidates(request)[:PAGE],
            "q": request.GET.get("q", "")[:80],
            "report_form": report_form,
            "problems": report_problems,
        },
    )


def _candidates(request):
    rows = services.refurbishable(request.institution)
    wanted = request.GET.get("q", "").strip()[:80]
    return rows.filter(inventory_number__icontains=wanted) if wanted else rows


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def device(request, refurbishment_id):
    refurbishment = scoped_get_or_404(
        request, Refurbishment.objects.select_related("asset", "batch"), pk=refurbishment_id
    )
    grades = services.settings_for(request.institution).grade_list()
    form = RefurbishmentForm(
        request.POST if "refurbish" in request.POST else None, instance=refurbishment, grades=grades
    )
    wipe = SanitisationForm(
        request.POST if "wipe" in request.POST else None, initial={"done_on": timezone.localdate()}
    )
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        if "refurbish" in request.POST and form.is_valid():
            form.save()
            messages.success(request, _("Le reconditionnement est enregistré."))
            return redirect("reuse_device", refurbishment_id=refurbishment.pk)
        if "wipe" in request.POST and wipe.is_valid():
            record = wipe.save(commit=False)
            record.institution = request.institution
            record.asset = refurbishment.asset
            record.save()
            messages.success(request, _("L'effacement est enregistré."))
            return redirect("reuse_device", refurbishment_id=refurbishment.pk)
    return render(
        request,
        "reuse/device.html",
        {
            "device": refurbishment,
            "asset": refurbishment.asset,
            "form": form,
            "wipe": wipe,
            "records": refurbishment.asset.sanitisations.all(),
            "can_edit": _can_edit(request),
        },
    )


# --- redistribution campaigns ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def campaigns(request):
    rows = RedistributionCampaign.objects.for_institution(request.institution)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "reuse/campaigns.html", {"page": page, "can_edit": _can_edit(request)})


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def campaign_edit(request, redistributioncampaign_id=None):
    campaign = None
    if redistributioncampaign_id is not None:
        campaign = scoped_get_or_404(request, RedistributionCampaign, pk=redistributioncampaign_id)
    form = CampaignForm(
        request.POST or None,
        instance=campaign,
        initial={"opens_on": timezone.localdate(), "eligible": ["staff"]},
    )
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.institution = request.institution
        campaign.seed = campaign.seed or services.new_seed()
        campaign.save()
        messages.success(request, _("La campagne est enregistrée."))
        return redirect("reuse_campaign", redistributioncampaign_id=campaign.pk)
    return render(request, "reuse/campaign_form.html", {"form": form, "campaign": campaign})


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def campaign_detail(request, redistributioncampaign_id):
    campaign = scoped_get_or_404(request, RedistributionCampaign, pk=redistributioncampaign_id)
    available = list(services.available_devices(campaign)[:50])
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        try:
            _campaign_action(request, campaign)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("reuse_campaign", redistributioncampaign_id=campaign.pk)
    applications = campaign.applications.select_related("user", "device")
    page = Paginator(applications, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reuse/campaign.html",
        {
            "campaign": campaign,
            "page": page,
            "available": available,
            "can_edit": _can_edit(request),
            "open": services.is_open(campaign),
            "handover": HandOverForm(initial={"on": timezone.localdate()}),
            "kinds": services.allowed_kinds(campaign),
        },
    )


def _campaign_action(request, campaign):
    if "draw" in request.POST:
        ranked = services.draw(campaign)
        messages.success(
            request,
            _("Tirage fait (graine %(s)s) : %(n)s demandes classées.")
            % {"s": campaign.seed, "n": len(ranked)},
        )
        return
    application = scoped_get_or_404(
        request, Application, pk=request.POST.get("application", "x"), campaign=campaign
    )
    if "allocate" in request.POST:
        asset = scoped_get_or_404(request, Asset, pk=request.POST.get("device", "x"))
        services.allocate(application, asset)
        messages.success(request, _("Appareil %(a)s attribué.") % {"a": asset.inventory_number})
    elif "handover" in request.POST:
        form = HandOverForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Indiquez qui a signé et la date de remise."))
        services.hand_over(
            application,
            signed_by=form.cleaned_data["signed_by"],
            on=form.cleaned_data["on"],
            by=request.user,
        )
        messages.success(request, _("Remise enregistrée : l'appareil est donné."))


@require_GET
@member_required(perms.VIEW)
def agreement(request, application_id):
    application = scoped_get_or_404(
        request, Application.objects.select_related("campaign", "user", "device"), pk=application_id
    )
    if application.device is None:
        raise Http404
    html = render_to_string(
        "reuse/agreement.html",
        {
            "application": application,
            "institution": request.institution,
            "number": services.agreement_number(application),
            "ceiling": law.CEILING,
            "beneficiary": services.beneficiary_name(application),
            "source": law.CG3P_5 if application.kind == "staff" else law.CG3P_3,
            "wipes": application.device.sanitisations.all(),
        },
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="convention-{services.agreement_number(application)}.pdf"'
    )
    return response


@require_GET
@member_required(perms.VIEW)
def register_export(request):
    year = _year(request)
    response = StreamingHttpResponse(
        csv_stream(services.REGISTER_HEADER, services.register_rows(request.institution, year)),
        content_type="text/csv",
    )
    response["Content-Disposition"] = f'attachment; filename="registre-dechets-{year}.csv"'
    return response
