"""Modules, paths and certificates: the team's pages, the participant's pages in the
« Participer » space, and the public verification of a certificate."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.awareness import paths
from sobrio.awareness.forms import DecisionForm, ModuleForm, PathForm
from sobrio.awareness.models import Certificate, Module, Path, PathModule, Validation
from sobrio.core import participation, perms
from sobrio.core.models import Membership
from sobrio.core.pdf import render_pdf
from sobrio.core.tenancy import member_required, public, scoped_get_or_404, space_view
from sobrio.imports.exporting import csv_text


def _can_edit(request):
    return perms.has_capability(request.membership, perms.EDIT)


@require_GET
@member_required(perms.VIEW)
def path_list(request):
    return render(
        request,
        "awareness/path_list.html",
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
        return redirect("awareness_path", path_id=saved.pk)
    return render(request, "awareness/path_form.html", {"form": form, "path": path})


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
        "awareness/path_detail.html",
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
        return redirect("awareness_module", module_id=saved.pk)
    decisions = (
        module.validations.select_related("user", "decided_by").order_by("-on")[:30]
        if module.pk
        else []
    )
    return render(
        request,
        "awareness/module_form.html",
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
            return redirect("awareness_module", module_id=module.pk)
    return render(request, "awareness/module_decide.html", {"form": form, "module": module})


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def certificate_manage(request, certificate_id):
    certificate = scoped_get_or_404(
        request, Certificate.objects.select_related("path", "user"), pk=certificate_id
    )
    if request.method == "POST" and certificate.revoked_at is None:
        paths.revoke(certificate)
        messages.success(request, _("L'attestation est retirée : sa vérification le dit."))
        return redirect("awareness_path", path_id=certificate.path_id)
    return render(request, "awareness/certificate_manage.html", {"certificate": certificate})


# --- the « Participer » space ---------------------------------------------------------------


def _community(request):
    if not participation.is_community(request.space, request.user):
        raise Http404


@require_GET
@space_view(signed_in=True)
def space_path(request, path_id):
    _community(request)
    path = paths.published_paths(request.space).filter(pk=path_id).first()
    if path is None:
        raise Http404
    certificate = Certificate.objects.filter(path=path, user=request.user).first()
    return render(
        request,
        "awareness/space/path.html",
        {"path": path, "rows": paths.progress(path, request.user), "certificate": certificate},
    )


@require_GET
@space_view(signed_in=True)
def space_module(request, module_id):
    _community(request)
    module = (
        Module.objects.for_institution(request.space)
        .filter(pk=module_id, paths__published=True)
        .distinct()
        .first()
    )
    if module is None:
        raise Http404
    validation = module.validations.filter(user=request.user).first()
    upcoming = []
    if module.workshop_kind_id:
        from django.utils import timezone

        upcoming = module.workshop_kind.sessions.filter(
            starts_at__gte=timezone.now(), cancelled_at=None
        )[:5]
    return render(
        request,
        "awareness/space/module.html",
        {"module": module, "validation": validation, "upcoming": upcoming},
    )


def certificate_pdf(certificate, verify_url):
    html = render_to_string(
        "awareness/certificate_pdf.html", {"certificate": certificate, "verify_url": verify_url}
    )
    return render_pdf(html)


@require_GET
@space_view(signed_in=True)
def space_certificate(request, certificate_id):
    certificate = (
        Certificate.objects.for_institution(request.space)
        .filter(pk=certificate_id, user=request.user)
        .select_related("path", "institution")
        .first()
    )
    if certificate is None:
        raise Http404
    from django.urls import reverse

    verify = request.build_absolute_uri(
        reverse("certificate_verify", kwargs={"code": certificate.code})
    )
    response = HttpResponse(certificate_pdf(certificate, verify), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attestation-{certificate.pk}.pdf"'
    return response


@require_GET
@public
def certificate_verify(request, code):
    """Anyone holding a certificate's address learns whether it is genuine, and nothing
    else about its holder."""
    certificate = (
        Certificate.objects.filter(code=code[:40]).select_related("path", "institution").first()
    )
    response = render(
        request,
        "awareness/certificate_verify.html",
        {"certificate": certificate},
        status=200 if certificate else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def paths_section(request, institution, membership):
    if membership is not None and not participation.is_community(institution, membership.user):
        return None
    published = list(paths.published_paths(institution))
    if not published:
        return None
    user = membership.user if membership else None
    rows = []
    for path in published:
        progress = paths.progress(path, user) if user else []
        done = sum(1 for _m, v, _o in progress if v is not None and v.passed)
        rows.append((path, done, len(paths.steps(path))))
    certificates = (
        Certificate.objects.filter(user=user, institution=institution).select_related("path")
        if user
        else []
    )
    return {"paths": rows, "certificates": certificates}


def validations_data(institution, user):
    from sobrio.awareness.models import ModuleValidation

    rows = [
        {
            _("Module"): v.module.title,
            _("Validé"): _("oui") if v.passed else _("non"),
            _("Date"): v.on.isoformat(),
            _("Par"): str(v.get_how_display()),
            _("Commentaire"): v.comment,
        }
        for v in ModuleValidation.objects.for_institution(institution)
        .filter(user=user)
        .select_related("module")
    ]
    rows += [
        {
            _("Attestation"): c.path.title,
            _("Délivrée le"): c.issued_on.isoformat(),
            _("Retirée"): _("oui") if c.revoked_at else _("non"),
        }
        for c in Certificate.objects.for_institution(institution)
        .filter(user=user)
        .select_related("path")
    ]
    return rows


def validations_erase(institution, user):
    from sobrio.awareness.models import ModuleValidation

    deleted, _detail = Certificate.objects.for_institution(institution).filter(user=user).delete()
    more, _detail = ModuleValidation.objects.for_institution(institution).filter(user=user).delete()
    return deleted + more
