"""Sign-in with the institution's own account, and signing out (of Sobrio, and of the
provider where the protocol offers it)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import logout as auth_logout
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.core.enums import Role
from sobrio.core.navigation import safe_next
from sobrio.core.tenancy import SCOPE_KEY, SESSION_KEY, public
from sobrio.identity import services
from sobrio.identity.models import IdentityProvider, Kind

logger = logging.getLogger("sobrio.identity")
NEXT_KEY = "sobrio-sso-next"
PROVIDER_KEY = "sobrio-sso-provider"
SAML_COOKIE = "sobrio-saml"
OIDC_KEY = "sobrio-sso-oidc"  # the provider, state, nonce and PKCE verifier of the way back
LOGOUT_KEY = "sobrio-sso-logout"  # what signing out of the provider needs (SAML, OIDC)
SPENT = gettext_lazy("Cette connexion a déjà servi ou a expiré : recommencez depuis Sobrio.")


def _provider(identityprovider_id):
    provider = (IdentityProvider.objects.select_related("institution")
                .filter(pk=identityprovider_id, enabled=True).first())  # fmt: skip
    if provider is None:
        raise Http404
    return provider


def _cas_service(request, provider):
    return request.build_absolute_uri(reverse("sso_cas", args=[provider.pk]))


@public
@require_GET
def start(request, identityprovider_id):
    """Send the person to their provider; they come back to the protocol's callback."""
    provider = _provider(identityprovider_id)
    request.session[NEXT_KEY] = safe_next(request)
    if provider.kind == Kind.CAS:
        from sobrio.identity import cas

        return redirect(cas.login_url(provider, _cas_service(request, provider)))
    if provider.kind == Kind.OIDC:
        from sobrio.identity import oidc

        try:
            url, kept = oidc.authorization(provider, services.secret_of(provider),
                                           _oidc_redirect(request))  # fmt: skip
        except oidc.Failed as failed:
            logger.warning("sso: provider %s unreachable: %s", provider.pk, failed)
            return _refused(request, provider, _("Le fournisseur d'identité ne répond pas : "
                                                 "réessayez plus tard."), status=502)  # fmt: skip
        request.session[OIDC_KEY] = {**kept, "provider": provider.pk}
        return redirect(url)
    if provider.kind == Kind.SAML:
        from sobrio.identity import saml

        try:
            request_id, url = saml.authn_request(request, provider)
        except Exception as exc:  # noqa: BLE001 - metadata pysaml2 cannot use, no xmlsec1
            logger.warning("sso: provider %s cannot send a request: %r", provider.pk, exc)
            return _refused(request, provider, _("Le fournisseur d'identité ne peut pas être "
                                                 "joint : signalez-le à l'admin de Sobrio."),
                            status=502)  # fmt: skip
        answer = redirect(url)
        # the IdP posts its answer from its own site: a SameSite=Lax session cookie does
        # not come with it, so the request this browser left with travels in its own
        # signed cookie, SameSite=None (which browsers accept only with Secure: a site
        # served without HTTPS keeps Lax, enough when the IdP is on the same site)
        secure = settings.SESSION_COOKIE_SECURE
        answer.set_signed_cookie(
            SAML_COOKIE, f"{provider.pk}:{request_id}", salt=SAML_COOKIE, max_age=600,
            secure=secure, httponly=True, samesite="None" if secure else "Lax",
        )  # fmt: skip
        return answer
    raise Http404


def _oidc_redirect(request):
    return request.build_absolute_uri(reverse("sso_oidc"))


def _refused(request, provider, message, status=400):
    """The French page that says why; provider None when the way back names none."""
    return render(request, "identity/refused.html",
                  {"provider": provider, "message": message}, status=status)  # fmt: skip


def _signed_in(request, provider, user, membership, logout_with=None):
    target = request.session.pop(NEXT_KEY, "")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_KEY] = provider.institution_id
    request.session[SCOPE_KEY] = provider.institution_id  # this institution only
    request.session[PROVIDER_KEY] = provider.pk
    if logout_with:
        request.session[LOGOUT_KEY] = logout_with
    messages.success(request, _("Vous êtes connecté·e avec %(name)s.") % {"name": provider.name})
    if not target:
        if membership.role == Role.PARTICIPANT:
            target = reverse("participate_home", kwargs={"slug": provider.institution.slug})
        else:
            target = reverse("dashboard")
    return redirect(target)


@public
@require_GET
def cas_callback(request, identityprovider_id):
    from sobrio.identity import cas

    provider = _provider(identityprovider_id)
    if provider.kind != Kind.CAS:
        raise Http404
    ticket = request.GET.get("ticket", "")[:512]
    if not ticket:
        return _refused(request, provider, _("Le serveur CAS n'a pas donné de ticket."))
    try:
        services.use_once(provider, ticket)
        try:
            subject, attributes = cas.validate(provider, _cas_service(request, provider), ticket)
        except Exception as exc:  # noqa: BLE001 - network, XML: the server could not vouch
            message = _("Le serveur CAS n'a pas pu être joint ou a répondu de façon "
                        "illisible : réessayez plus tard.")  # fmt: skip
            services.refuse(provider, message, repr(exc))
        if not subject:
            message = _("Le serveur CAS a refusé ce ticket (expiré, déjà utilisé ou pour "
                        "un autre service).")  # fmt: skip
            services.refuse(provider, message, "invalid ticket")
        user, membership = services.sign_in(provider, subject, attributes)
    except services.Refused as refused:
        return _refused(request, provider, str(refused))
    return _signed_in(request, provider, user, membership)


@public
@require_GET
def oidc_callback(request):
    """The way back from an OpenID provider: the state must be the one this browser
    left with (and serves once), the code is exchanged with the PKCE verifier, the
    id_token's signature and claims checked."""
    from sobrio.identity import oidc

    kept = request.session.pop(OIDC_KEY, None)
    if not kept:
        return _refused(request, None, SPENT)
    provider = _provider(kept["provider"])
    try:
        if request.GET.get("state") != kept["state"]:
            services.refuse(
                provider,
                _("Cette connexion ne vient pas de ce navigateur : recommencez depuis Sobrio."),
                "state mismatch",
            )
        if request.GET.get("error") or not request.GET.get("code"):
            services.refuse(
                provider,
                _("Le fournisseur d'identité n'a pas accepté la connexion."),
                request.GET.get("error", "no code")[:80],
            )
        code = request.GET["code"][:512]
        services.use_once(provider, code)
        try:
            found, id_token = oidc.claims(provider, services.secret_of(provider),
                                          _oidc_redirect(request), code, kept)  # fmt: skip
        except oidc.Failed as failed:
            services.refuse(
                provider,
                _(
                    "Le fournisseur d'identité n'a pas pu confirmer qui "
                    "vous êtes : recommencez depuis Sobrio."
                ),
                str(failed),
            )
        user, membership = services.sign_in(provider, found.get("sub"), found)
    except services.Refused as refused:
        return _refused(request, provider, str(refused))
    return _signed_in(request, provider, user, membership,
                      logout_with={"id_token": id_token})  # fmt: skip


@public
@require_GET
def saml_metadata(request):
    """Sobrio's service provider metadata: what the federation's registry is sent."""
    from sobrio.identity import saml

    return HttpResponse(saml.metadata(request), content_type="application/samlmetadata+xml")


@public
@csrf_exempt  # the IdP's form posts it: the signed assertion and InResponseTo protect it
@require_http_methods(["POST"])
def saml_acs(request):
    from sobrio.identity import saml

    cookie = request.get_signed_cookie(SAML_COOKIE, default="", salt=SAML_COOKIE, max_age=600)
    provider_id, _sep, request_id = cookie.partition(":")
    if not provider_id.isdigit() or not request_id:
        answer = _refused(request, None, SPENT)
        _forget_saml(answer)
        return answer
    provider = _provider(int(provider_id))
    payload = request.POST.get("SAMLResponse", "")
    try:
        if not payload or len(payload) > 2 * 1024 * 1024:
            services.refuse(provider, _("Le fournisseur d'identité n'a rien envoyé de "
                                        "lisible."), "no SAMLResponse")  # fmt: skip
        try:
            subject, raw, assertion_id, logout_with = saml.response(request, provider, payload,
                                                                    request_id)  # fmt: skip
        except saml.Failed as failed:
            services.refuse(provider, _("La réponse du fournisseur d'identité n'est pas "
                                        "valable (signature, destinataire ou durée) : "
                                        "recommencez depuis Sobrio."), str(failed))  # fmt: skip
        services.use_once(provider, assertion_id or request_id)
        user, membership = services.sign_in(provider, subject, raw)
        answer = _signed_in(request, provider, user, membership, logout_with)
    except services.Refused as refused:
        answer = _refused(request, provider, str(refused))
    _forget_saml(answer)
    return answer


def _forget_saml(answer):
    secure = settings.SESSION_COOKIE_SECURE
    answer.delete_cookie(SAML_COOKIE, samesite="None" if secure else "Lax")


@public
@require_http_methods(["POST"])
def logout(request):
    """Out of Sobrio; then out of the provider that signed the person in, where its
    protocol offers it: CAS logout, SAML single logout, OpenID Connect's RP-initiated
    logout. A provider that cannot be reached leaves the person signed out of Sobrio."""
    provider_id = request.session.get(PROVIDER_KEY)
    kept = request.session.get(LOGOUT_KEY) or {}
    auth_logout(request)
    messages.info(request, _("Vous êtes déconnecté·e."))
    back = request.build_absolute_uri(reverse("login"))
    provider = IdentityProvider.objects.filter(pk=provider_id).first() if provider_id else None
    url = ""
    try:
        if provider is not None and provider.kind == Kind.CAS:
            from sobrio.identity import cas

            url = cas.logout_url(provider, back)
        elif provider is not None and provider.kind == Kind.SAML:
            from sobrio.identity import saml

            url = saml.logout_request(request, provider, kept)
        elif provider is not None and provider.kind == Kind.OIDC:
            from sobrio.identity import oidc

            url = oidc.end_session_url(provider, kept.get("id_token", ""), back)
    except Exception as exc:  # noqa: BLE001 - the provider's metadata or discovery failed
        logger.warning("sso: provider %s: no sign-out at the provider: %r", provider_id, exc)
        url = ""
    return redirect(url or "login")


@public
@require_GET
def saml_sls(request):
    """SAML single logout, HTTP-Redirect: the IdP's answer to Sobrio's LogoutRequest, or
    the IdP's own LogoutRequest (the person signed out elsewhere), which ends this
    browser's session when it is the one named, and is answered."""
    from sobrio.identity import saml

    kind = "SAMLRequest" if "SAMLRequest" in request.GET else "SAMLResponse"
    payload = request.GET.get(kind, "")
    try:
        issuer = saml.message_issuer(payload) if payload else ""
    except saml.Failed as failed:
        logger.warning("sso: single logout unreadable: %s", failed)
        issuer = ""
    providers = IdentityProvider.objects.filter(kind=Kind.SAML, enabled=True, entity_id=issuer)
    if kind == "SAMLResponse":
        relay = request.GET.get("RelayState", "")
        # int() of "²" (a Unicode digit) fails: only ASCII digits name a provider
        known = relay.isascii() and relay.isdigit() and len(relay) < 10
        provider = providers.filter(pk=int(relay)).first() if known else None
        if provider is not None and saml.idp_logout_response(request, provider, request.GET):
            messages.info(request, _("Vous êtes aussi déconnecté·e de %(name)s.")
                          % {"name": provider.name})  # fmt: skip
        else:
            messages.warning(request, _("Vous êtes déconnecté·e de Sobrio, mais le fournisseur "
                                        "d'identité ne l'a pas confirmé pour sa part : "
                                        "fermez votre navigateur."))  # fmt: skip
        return redirect("login")
    mine = request.session.get(PROVIDER_KEY)
    provider = providers.filter(pk=mine).first() or providers.first()
    if provider is None or not payload:
        return _refused(request, None, _("Cette demande de déconnexion ne vient d'aucun "
                                         "fournisseur d'identité connu."))  # fmt: skip
    try:
        name_id, indexes, answer_url = saml.idp_logout_request(request, provider, request.GET)
    except saml.Failed as failed:
        logger.warning("sso: provider %s: logout request refused: %s", provider.pk, failed)
        return _refused(request, provider, _("Cette demande de déconnexion n'est pas valable "
                                             "(signature ou durée)."))  # fmt: skip
    kept = request.session.get(LOGOUT_KEY) or {}
    if (
        mine == provider.pk
        and saml.same_name(kept.get("name_id"), name_id)
        and (not indexes or kept.get("session_index") in indexes)
    ):
        auth_logout(request)
        logger.info("sso: provider %s ended a session (single logout)", provider.pk)
    return redirect(answer_url)
