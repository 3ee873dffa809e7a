import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.core import perms
from sobrio.core.tenancy import member_required, scoped_get_or_404
from sobrio.imports.exporting import csv_stream, csv_text, xlsx_bytes
from sobrio.inventory import importers, selectors, services
from sobrio.inventory.forms import (
    AssetForm,
    BulkForm,
    CloudInstanceForm,
    CustomCategoryForm,
    DataStoreForm,
    ServerRoomForm,
)
from sobrio.inventory.models import (
    Asset,
    CloudInstance,
    CustomCategory,
    DataStore,
    ServerRoom,
    category_labels,
)

PAGE_SIZE = 10  # each row is 10 elements of the page budget (300)


def _can_edit(request):
    return perms.has_capability(request.membership, perms.EDIT)


@require_GET
@member_required(perms.VIEW)
def asset_list(request):
    filters = selectors.filters_from(request.GET)
    rows = selectors.assets(request.institution, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    options = selectors.choices(request.institution, request.membership)
    labels = options["labels"]
    for asset in page.object_list:
        asset.category_label = labels.get(asset.category, asset.category)
    columns = [
        (
            key,
            label,
            "-" + key if filters["sort"] == key else key,
            filters["sort"].lstrip("-") == key,
        )
        for key, label in (
            ("numero", _("Numéro")),
            ("categorie", _("Catégorie")),
            ("modele", _("Modèle")),
            ("unite", _("Unité")),
            ("achat", _("Achat")),
            ("statut", _("Statut")),
        )
    ]
    return render(
        request,
        "inventory/asset_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "unsorted": unsorted.urlencode(),
            "columns": columns,
            "options": options,
            "filters": filters,
            "total": page.paginator.count,
            "can_contribute": perms.has_capability(request.membership, perms.CONTRIBUTE),
            "can_edit": _can_edit(request),
        },
    )


def _export_name(ext):
    return f'attachment; filename="parc-{datetime.date.today():%Y-%m-%d}.{ext}"'


@require_GET
@member_required(perms.VIEW)
def asset_export_csv(request):
    filters = selectors.filters_from(request.GET)
    rows = selectors.assets(request.institution, filters)
    labels = category_labels(request.institution)
    response = StreamingHttpResponse(
        csv_stream(selectors.EXPORT_HEADER, selectors.export_rows(rows, labels)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = _export_name("csv")
    return response


@require_GET
@member_required(perms.VIEW)
def asset_export_xlsx(request):
    filters = selectors.filters_from(request.GET)
    rows = selectors.assets(request.institution, filters)
    labels = category_labels(request.institution)
    content = xlsx_bytes(selectors.EXPORT_HEADER, selectors.export_rows(rows, labels), "parc")
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = _export_name("xlsx")
    return response


@require_http_methods(["GET", "POST"])
@member_required(perms.CONTRIBUTE)
def asset_bulk(request):
    """Unit, server room or status of the assets ticked in the list, without JavaScript:
    the list posts the ticked rows here, this page asks what changes, then applies it."""
    if request.method == "GET":
        return render(request, "inventory/asset_bulk.html")
    back = reverse("measure_assets") + "?" + request.POST.get("back", "")[:500]
    form = BulkForm(
        request.POST if "apply" in request.POST else None,
        institution=request.institution,
        membership=request.membership,
        selected=request.POST.getlist("selected"),
    )
    selected = Asset.objects.for_institution(request.institution).filter(pk__in=form.selected)
    if not perms.has_capability(request.membership, perms.EDIT):
        selected = selected.filter(unit_id__in=perms.contributor_unit_ids(request.membership))
    selected = selected.order_by("inventory_number")
    if not selected.exists():
        messages.error(request, _("Cochez au moins un équipement que vous pouvez modifier."))
        return redirect(back)
    if not form.is_bound or not form.is_valid():
        context = {"form": form, "assets": selected, "back": request.POST.get("back", "")[:500]}
        return render(request, "inventory/asset_bulk.html", context)
    count = services.bulk_change(
        selected,
        unit=form.cleaned_data.get("unit"),
        room=form.cleaned_data.get("server_room"),
        status=form.cleaned_data.get("status"),
        retired_on=form.cleaned_data.get("retirement_date"),
    )
    messages.success(
        request,
        ngettext("%(n)s équipement modifié.", "%(n)s équipements modifiés.", count) % {"n": count},
    )
    return redirect(back)


def _may_edit_asset(request, unit_id):
    return perms.can_edit_unit_data(request.membership, unit_id)


@require_http_methods(["GET", "POST"])
@member_required(perms.CONTRIBUTE)
def asset_create(request):
    form = AssetForm(
        request.POST or None, institution=request.institution, membership=request.membership
    )
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data.get("unit")
        if not _may_edit_asset(request, unit.pk if unit else None):
            form.add_error("unit", _("Choisissez une de vos unités."))
        else:
            try:
                with transaction.atomic():
                    asset = form.save()
            except IntegrityError:  # the same number saved a moment ago by someone else
                form.add_error(
                    "inventory_number", _("Un équipement a déjà ce numéro d'inventaire.")
                )
            else:
                messages.success(request, _("Équipement enregistré."))
                return redirect("measure_asset", asset.pk)
    return render(request, "inventory/asset_form.html", {"form": form, "asset": None})


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def asset_detail(request, asset_id):
    asset = scoped_get_or_404(request, Asset, pk=asset_id)
    may_edit = _may_edit_asset(request, asset.unit_id)
    form = AssetForm(
        request.POST or None,
        instance=asset,
        institution=request.institution,
        membership=request.membership,
    )
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            unit = form.cleaned_data.get("unit")
            if not _may_edit_asset(request, unit.pk if unit else None):
                form.add_error("unit", _("Choisissez une de vos unités."))
            else:
                form.save()
                messages.success(request, _("Équipement enregistré."))
                return redirect("measure_asset", asset.pk)
    from sobrio.inventory.signals import readers

    panel = readers["asset_panel"](request, asset) if "asset_panel" in readers else None
    story = readers["asset_story"](asset) if "asset_story" in readers else []
    return render(
        request,
        "inventory/asset_form.html",
        {
            "form": form,
            "asset": asset,
            "panel": panel,
            "story": story,
            "may_edit": may_edit,
            "category_label": category_labels(request.institution).get(
                asset.category, asset.category
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.CONTRIBUTE)
def asset_delete(request, asset_id):
    asset = scoped_get_or_404(request, Asset, pk=asset_id)
    if request.method == "POST":
        if not _may_edit_asset(request, asset.unit_id):
            raise PermissionDenied
        asset.delete()
        messages.success(request, _("Équipement supprimé."))
        return redirect("measure_assets")
    return render(
        request, "core/confirm_delete.html", {"object": asset, "cancel": "measure_assets"}
    )


# --- server rooms, cloud, data stores: the same small list + form pages -----------------

KINDS = {
    "categories": (
        CustomCategory,
        CustomCategoryForm,
        gettext_lazy("Catégories propres"),
        gettext_lazy("Nouvelle catégorie"),
    ),
    "rooms": (
        ServerRoom,
        ServerRoomForm,
        gettext_lazy("Salles serveurs"),
        gettext_lazy("Nouvelle salle"),
    ),
    "cloud": (
        CloudInstance,
        CloudInstanceForm,
        gettext_lazy("Instances cloud"),
        gettext_lazy("Nouvelle instance"),
    ),
    "stores": (
        DataStore,
        DataStoreForm,
        gettext_lazy("Stockages de données"),
        gettext_lazy("Nouveau stockage"),
    ),
}


def _other_list(request, kind):
    model, _form, title, add = KINDS[kind]
    rows = model.objects.for_institution(request.institution)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        f"inventory/{kind}_list.html",
        {
            "page": page,
            "title": title,
            "add": add,
            "kind": kind,
            "can_edit": _can_edit(request),
        },
    )


def _other_form(request, kind, pk=None):
    model, form_class, title, add = KINDS[kind]
    instance = scoped_get_or_404(request, model, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=instance, institution=request.institution)
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        if form.is_valid():
            form.save()
            messages.success(request, _("Enregistré."))
            return redirect(f"measure_{kind}")
    return render(
        request,
        "inventory/other_form.html",
        {
            "form": form,
            "title": str(instance) if instance else add,
            "list_title": title,
            "list_url": reverse(f"measure_{kind}"),
            "can_edit": _can_edit(request),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def category_create(request):
    return _other_form(request, "categories")


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def category_detail(request, customcategory_id):
    return _other_form(request, "categories", customcategory_id)


@require_GET
@member_required(perms.VIEW)
def room_list(request):
    return _other_list(request, "rooms")


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def room_create(request):
    return _other_form(request, "rooms")


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def room_detail(request, serverroom_id):
    return _other_form(request, "rooms", serverroom_id)


@require_GET
@member_required(perms.VIEW)
def cloud_list(request):
    return _other_list(request, "cloud")


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def cloud_create(request):
    return _other_form(request, "cloud")


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def cloud_detail(request, cloudinstance_id):
    return _other_form(request, "cloud", cloudinstance_id)


@require_GET
@member_required(perms.VIEW)
def store_list(request):
    return _other_list(request, "stores")


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def store_create(request):
    return _other_form(request, "stores")


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def store_detail(request, datastore_id):
    return _other_form(request, "stores", datastore_id)


# --- import -----------------------------------------------------------------------------


TEMPLATES = {  # ?type= -> (spec, example row, file name)
    "assets": (
        importers.ASSETS,
        {
            "inventory_number": "INV-0001",
            "name": "PC accueil",
            "category": "laptop",
            "manufacturer": "Dell",
            "model": "Latitude 5440",
            "site": "Campus Nord",
            "purchase_date": "15/03/2023",
            "status": "en service",
            "quantity": "1",
            "refurbished": "non",
        },
        "sobrio-modele-inventaire.csv",
    ),
    "cloud": (
        importers.CLOUD,
        {
            "name": "Calcul ENT",
            "provider": "aws",
            "instance_type": "m5.large",
            "region": "eu-west-3",
            "hours_per_year": "8760",
            "quantity": "2",
        },
        "sobrio-modele-cloud.csv",
    ),
    "stores": (
        importers.STORES,
        {
            "name": "Sauvegardes des laboratoires",
            "volume_tb": "120",
            "replicas": "2",
            "media": "HDD",
            "disk_capacity_tb": "16",
        },
        "sobrio-modele-stockages.csv",
    ),
}


@require_GET
@member_required(perms.VIEW)
def template(request):
    """A CSV with Sobrio's own French headers and one example row, for each import."""
    spec, example, filename = TEMPLATES.get(request.GET.get("type"), TEMPLATES["assets"])
    content = csv_text(spec.template_header(), [[example.get(f.name, "") for f in spec.fields]])
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
