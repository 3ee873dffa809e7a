"""Paths, modules and certificates in the « Participer » space, what its home and
« Mes données » show of them, and the public verification of a certificate."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sobrio.core import participation
from sobrio.core.pdf import render_pdf
from sobrio.core.tenancy import public, space_view
from sobrio.learning import paths
from sobrio.learning.models import Certificate, Module


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
        "learning/space/path.html",
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
        "learning/space/module.html",
        {"module": module, "validation": validation, "upcoming": upcoming},
    )


def certificate_pdf(certificate, verify_url):
    html = render_to_string(
        "learning/certificate_pdf.html", {"certificate": certificate, "verify_url": verify_url}
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
        "learning/certificate_verify.html",
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
    from sobrio.learning.models import ModuleValidation

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
    from sobrio.learning.models import ModuleValidation

    deleted, _detail = Certificate.objects.for_institution(institution).filter(user=user).delete()
    more, _detail = ModuleValidation.objects.for_institution(institution).filter(user=user).delete()
    return deleted + more
