"""Modules, paths and certificates: the team's pages (the participant's are in
space/paths.py)."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.core import perms
from sobrio.core.models import Membership
from sobrio.core.tenancy import member_required, scoped_get_or_404
from sobrio.imports.exporting import csv_text
from sobrio.learning import paths
from sobrio.learning.forms import DecisionForm, ModuleForm, PathForm
from sobrio.learning.models import Certificate, Module, Path, PathModule, Validation


def _can_edit(request):
    return perms.has_capability(request.membership, perms.EDIT)


@require_GET
@member_required(perms.VIEW)
def path_list(request):
    return render(
        request,
        "learning/path_list.html",
        {
            "paths": Path.objects.for_institution(request.institution).prefetch_related("steps"),
            "modules": Module.objects.for_institution(request.institution),
            "can_edit": _can_edit(request),
        },
    )


def _path_form(request, path):
    form = PathForm(request.POST or None, instance=path, institution=request.institution)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            saved.steps.all().delete()
            PathModule.objects.bulk_create(
                PathModule(institution=saved.institution, path=saved, module=m, position=i)
                for i, (m, _position) in enumerate(form.chosen(), start=1)
            )
            saved.save(update_fields=["updated_at"])
        messages.success(request, _("Le parcours est enregistré."))
        return redirect("learning_path", path_id=saved.pk)
    return render(request, "learning/path_form.html", {"form": form, "path": path})


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def path_create(request):
    return _path_form(request, Path(institution=request.institution))


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def path_edit(request, path_id):
    return _path_form(request, scoped_get_or_404(request, Path, pk=path_id))


@require_GET
@member_required(perms.VIEW)
def path_detail(request, path_id):
    path = scoped_get_or_404(request, Path, pk=path_id)
    people, units = paths.people_progress(path)
    if request.GET.get("format") == "csv":
        header = [_("personne"), _("adresse"), _("unité"), _("modules validés"), _("attestation")]
        rows = [
            [
                r["user"].full_name,
                r["user"].email,
                r["unit"],
                f"{r['done']} / {r['total']}",
                r["certificate"].issued_on.isoformat() if r["certificate"] else "",
            ]
            for r in people
        ]
        response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="parcours-{path.pk}.csv"'
        return response
    return render(
        request,
        "learning/path_detail.html",
        {
            "path": path,
            "steps": paths.steps(path),
            "people": people[:100],
            "more": max(0, len(people) - 100),
            "units": units,
            "can_edit": _can_edit(request),
        },
    )


def _module_form(request, module):
    form = ModuleForm(request.POST or None, instance=module, institution=request.institution)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Le module est enregistré."))
        return redirect("learning_module", module_id=saved.pk)
    decisions = (
        module.validations.select_related("user", "decided_by").order_by("-on")[:30]
        if module.pk
        else []
    )
    return render(
        request,
        "learning/module_form.html",
        {"form": form, "module": module, "decisions": decisions},
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def module_create(request):
    return _module_form(request, Module(institution=request.institution))


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def module_edit(request, module_id):
    return _module_form(request, scoped_get_or_404(request, Module, pk=module_id))


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def module_decide(request, module_id):
    """A jury's decision on one person's practical part (a module validated by decision)."""
    module = scoped_get_or_404(request, Module, pk=module_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = (
            Membership.objects.for_institution(request.institution)
            .filter(user__email__iexact=form.cleaned_data["email"])
            .select_related("user")
            .first()
        )
        if membership is None:
            form.add_error("email", _("Cette personne ne participe pas dans l'établissement."))
        else:
            paths.validate(
                module,
                membership.user,
                Validation.DECISION,
                by=request.user,
                passed=form.cleaned_data["passed"],
                comment=form.cleaned_data["comment"],
                on=form.cleaned_data["on"],
            )
            messages.success(request, _("La décision est enregistrée."))
            return redirect("learning_module", module_id=module.pk)
    return render(request, "learning/module_decide.html", {"form": form, "module": module})


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def certificate_manage(request, certificate_id):
    certificate = scoped_get_or_404(
        request, Certificate.objects.select_related("path", "user"), pk=certificate_id
    )
    if request.method == "POST" and certificate.revoked_at is None:
        paths.revoke(certificate)
        messages.success(request, _("L'attestation est retirée : sa vérification le dit."))
        return redirect("learning_path", path_id=certificate.path_id)
    return render(request, "learning/certificate_manage.html", {"certificate": certificate})
