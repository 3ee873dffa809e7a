from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.core import perms
from sobrio.core.tenancy import member_required, scoped_get_or_404
from sobrio.referentials import importers, selectors, services
from sobrio.referentials.forms import ReferentialImportForm, ScaleForm
from sobrio.referentials.models import Referential

PAGE_SIZE = 20


@require_GET
@member_required(perms.VIEW)
def referential_list(request):
    referentials = selectors.referentials_with_counts(request.institution)
    page = Paginator(referentials, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referentials/referential_list.html",
        {"page": page, "can_edit": perms.has_capability(request.membership, perms.EDIT)},
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def referential_import(request):
    form = ReferentialImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = importers.read(upload.read(), upload.name)
        except importers.ImportFailure as failure:
            problems = failure.problems
        else:
            result = services.referential_import(
                parsed=parsed,
                institution=request.institution,
                user=request.user,
                name=form.cleaned_data["name"],
                version=form.cleaned_data["version"],
            )
            if result.created:
                messages.success(
                    request,
                    _("%(name)s importé : %(families)d familles, %(items)d items.")
                    % {
                        "name": result.referential,
                        "families": len(parsed.families),
                        "items": len(parsed.items),
                    },
                )
                if result.previous is not None:
                    return redirect("assess_referential_diff", referential_id=result.referential.pk)
            else:
                messages.info(request, _("Ce référentiel est déjà importé, à l'identique."))
            return redirect("assess_referential_detail", referential_id=result.referential.pk)
    return render(
        request, "referentials/referential_import.html", {"form": form, "problems": problems}
    )


@require_GET
@member_required(perms.VIEW)
def referential_template(request):
    """Sobrio's own template, as a CSV with its header and two example rows."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-referentiel-sobrio.csv"'
    response.write("\ufeff")
    response.write(selectors.template_csv())
    return response


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def referential_detail(request, referential_id):
    referential = scoped_get_or_404(request, Referential, pk=referential_id)
    families = list(referential.families.all())
    if not families:
        raise Http404
    wanted = request.GET.get("famille")
    family = next((f for f in families if f.code == wanted), families[0])
    can_change_scale = (
        not referential.is_shared
        and perms.has_capability(request.membership, perms.EDIT)
        and not referential.campaigns.exists()
    )
    form = ScaleForm(request.POST or None, instance=referential)
    if request.method == "POST":
        if not can_change_scale:
            raise PermissionDenied
        if form.is_valid():
            services.referential_update_scale(
                referential=referential, scale=form.cleaned_data["scale"]
            )
            messages.success(request, _("L'échelle de réponse est enregistrée."))
            return redirect("assess_referential_detail", referential_id=referential.pk)
    return render(
        request,
        "referentials/referential_detail.html",
        {
            "referential": referential,
            "families": families,
            "family": family,
            "items": family.items.all(),
            "count": referential.items.count(),
            "versions": selectors.versions(referential, request.institution),
            "scale_form": form if can_change_scale else None,
        },
    )


@require_GET
@member_required(perms.VIEW)
def referential_diff(request, referential_id):
    referential = scoped_get_or_404(request, Referential, pk=referential_id)
    versions = selectors.versions(referential, request.institution)
    others = [v for v in versions if v.pk != referential.pk]
    try:
        other_id = int(request.GET.get("avec", ""))
    except ValueError:
        other_id = None
    other = next((v for v in others if v.pk == other_id), None) or referential.previous
    if other is None and others:
        other = others[0]
    diff = services.diff_versions(other, referential) if other else None
    return render(
        request,
        "referentials/referential_diff.html",
        {"referential": referential, "other": other, "others": others, "diff": diff},
    )
