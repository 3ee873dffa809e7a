"""The public side of Open Badges: the JSON documents and images backpacks and validators
fetch, the human verification page of an assertion and the form that checks a baked PNG.

Everything here is public by design (hosted verification): an assertion is reached by an
unguessable UUID and names its earner only by a salted hash of the email address."""

import json

from django import forms
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.badges import baking
from sobrio.badges import documents as ob
from sobrio.badges import services as badges
from sobrio.badges.models import BadgeAssertion, BadgeClass, BadgeIssuer, BadgeKey
from sobrio.core.tenancy import public
from sobrio.imports.forms import LimitedFileField

SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _json(data, status=200, content_type=ob.JSONLD):
    response = JsonResponse(
        data, status=status, content_type=content_type, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"  # a revocation shows at once
    return response


def _binary(data, content_type, filename=None):
    response = HttpResponse(data, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    if content_type == "image/svg+xml":
        response["Content-Security-Policy"] = SVG_POLICY
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _assertion(uid):
    return get_object_or_404(BadgeAssertion.objects.select_related("badge", "institution"), uid=uid)


def _gone(request, assertion):
    """410 Gone with the spec's revocation body: the id, revoked and the reason (no
    recipient nor badge any more, so no validator takes it for a valid assertion)."""
    return _json(ob.revoked_v2(assertion, ob.base_url(request)), status=410)


@require_GET
@public
def issuer_json(request, uid):
    issuer = get_object_or_404(BadgeIssuer, uid=uid)
    return _json(ob.issuer_v2(issuer, ob.base_url(request)))


@require_GET
@public
def issuer_image(request, uid):
    issuer = get_object_or_404(BadgeIssuer, uid=uid)
    if not issuer.image:
        raise Http404
    return _binary(bytes(issuer.image), "image/png")


@require_GET
@public
def issuer_v3(request, uid):
    issuer = get_object_or_404(BadgeIssuer, uid=uid)
    data = {"@context": ob.OB3_CONTEXTS, **ob.profile_v3(issuer, ob.base_url(request))}
    return _json(data)


@require_GET
@public
def badge_json(request, uid):
    badge = get_object_or_404(BadgeClass.objects.select_related("institution"), uid=uid)
    return _json(ob.badge_v2(badge, badges.issuer_of(badge.institution), ob.base_url(request)))


@require_GET
@public
def badge_image(request, uid):
    badge = get_object_or_404(BadgeClass, uid=uid)
    if badge.image_svg:
        return _binary(badge.image_svg.encode(), "image/svg+xml")
    return _binary(badges.image_png(badge), "image/png")


@require_GET
@public
def badge_thumbnail(request, uid):
    badge = get_object_or_404(BadgeClass, uid=uid)
    response = _binary(baking.thumbnail(badges.image_png(badge)), "image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
@public
def assertion_json(request, uid):
    assertion = _assertion(uid)
    if assertion.revoked_at:
        return _gone(request, assertion)
    return _json(ob.assertion_v2(assertion, ob.base_url(request)))


def _baked_name(assertion, suffix):
    return f"badge-{assertion.badge.slug}-{assertion.uid.hex[:8]}{suffix}"


@require_GET
@public
def assertion_png(request, uid):
    """The badge's PNG with its Open Badges 2.0 assertion baked in."""
    assertion = _assertion(uid)
    if assertion.revoked_at:
        return _gone(request, assertion)
    verify = ob.url("ob_assertion", assertion.uid, base=ob.base_url(request))
    baked = baking.bake_png(badges.image_png(assertion.badge), baking.OB2, verify)
    return _binary(baked, "image/png", _baked_name(assertion, ".png"))


@require_GET
@public
def assertion_svg(request, uid):
    assertion = _assertion(uid)
    if assertion.revoked_at:
        return _gone(request, assertion)
    if not assertion.badge.image_svg:
        raise Http404
    base = ob.base_url(request)
    baked = baking.bake_svg(
        assertion.badge.image_svg,
        ob.url("ob_assertion", assertion.uid, base=base),
        json.dumps(ob.assertion_v2(assertion, base), ensure_ascii=False),
    )
    return _binary(baked.encode(), "image/svg+xml", _baked_name(assertion, ".svg"))


def _credential(request, assertion):
    return ob.credential_jwt(
        assertion, badges.issuer_of(assertion.institution), ob.base_url(request)
    )


@require_GET
@public
def credential_jwt(request, uid):
    """The Open Badges 3.0 credential as a VC-JWT (revoked ones too: the status list says)."""
    assertion = _assertion(uid)
    response = HttpResponse(_credential(request, assertion), content_type="application/vc+jwt")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@public
def credential_png(request, uid):
    assertion = _assertion(uid)
    if assertion.revoked_at:
        return _gone(request, assertion)
    baked = baking.bake_png(
        badges.image_png(assertion.badge), baking.OB3, _credential(request, assertion)
    )
    return _binary(baked, "image/png", _baked_name(assertion, "-ob3.png"))


@require_GET
@public
def key_json(request, kid):
    key = get_object_or_404(BadgeKey, kid=kid)
    # the JWK's kid is the one the credentials' header names: this very address
    jwk = {**key.public_jwk, "kid": ob.kid_url(key, ob.base_url(request))}
    return _json(jwk, content_type="application/jwk+json")


@require_GET
@public
def status_list(request, uid):
    issuer = get_object_or_404(BadgeIssuer, uid=uid)
    token = ob.status_list_jwt(issuer, badges.revoked_indexes(issuer), ob.base_url(request))
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


# --- for people -----------------------------------------------------------------------------


@require_GET
@public
def verify_page(request, uid):
    assertion = _assertion(uid)
    base = ob.base_url(request)
    email = request.GET.get("email", "").strip().lower()[:254]
    context = {
        "assertion": assertion,
        "badge": assertion.badge,
        "issuer": (issuer := badges.issuer_of(assertion.institution)),
        "issuer_url": ob.homepage(issuer, base),
        "state": badges.state(assertion),
        "checks": badges.checks_of(assertion),
        "email": email,
        "email_matches": bool(email)
        and ob.identity_hash(email, assertion.salt) == assertion.identity,
        "assertion_url": ob.url("ob_assertion", assertion.uid, base=base),
        "share_url": base + request.path,
    }
    response = render(request, "badges/badge_verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


class BakedForm(forms.Form):
    image = LimitedFileField(
        label=gettext_lazy("Image du badge (PNG)"),
        max_bytes=2 * 1024 * 1024,
        help_text=gettext_lazy("Le fichier PNG téléchargé avec le badge ; 2 Mo au plus."),
    )


@require_http_methods(["GET", "POST"])
@public
def check_baked(request):
    form = BakedForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = badges.verify_baked(form.cleaned_data["image"].read())
    return render(request, "badges/badge_check.html", {"form": form, "result": result})
