from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from sobrio.awareness import ob_views as ob
from sobrio.awareness.path_views import certificate_verify
from sobrio.core import forms
from sobrio.core.tenancy import public


def _auth(view_class, **kwargs):
    return public(view_class.as_view(**kwargs))


urlpatterns = [
    path("", include("sobrio.core.urls")),
    path("mesurer/", include("sobrio.footprint.urls")),
    path("planifier/", include("sobrio.plan.urls")),
    path("rendre-compte/", include("sobrio.reports.urls")),
    path("evaluer/", include("sobrio.referentials.urls")),
    path("evaluer/", include("sobrio.assessment.urls")),
    path("declaration/", include("sobrio.assessment.public_urls")),
    path("agir/", include("sobrio.awareness.urls")),
    path("agir/reemploi/", include("sobrio.reuse.urls")),
    path("reseau/", include("sobrio.network.urls")),
    path("participer/<slug:slug>/", include("sobrio.awareness.space_urls")),
    path("participer/<slug:slug>/reemploi/", include("sobrio.reuse.space_urls")),
    path("verifier/<str:code>/", certificate_verify, name="certificate_verify"),
    # Open Badges: what backpacks and validators fetch (public by design), and its pages.
    path("ob/emetteurs/<uuid:uid>", ob.issuer_json, name="ob_issuer"),
    path("ob/emetteurs/<uuid:uid>/logo.png", ob.issuer_image, name="ob_issuer_image"),
    path("ob/emetteurs/<uuid:uid>/v3", ob.issuer_v3, name="ob3_issuer"),
    path("ob/emetteurs/<uuid:uid>/statuts", ob.status_list, name="ob3_status"),
    path("ob/cles/<uuid:kid>", ob.key_json, name="ob_key"),
    path("ob/badges/<uuid:uid>", ob.badge_json, name="ob_badge"),
    path("ob/badges/<uuid:uid>/image", ob.badge_image, name="ob_badge_image"),
    path("ob/badges/<uuid:uid>/vignette.png", ob.badge_thumbnail, name="ob_badge_thumb"),
    path("ob/assertions/<uuid:uid>", ob.assertion_json, name="ob_assertion"),
    path("ob/assertions/<uuid:uid>.png", ob.assertion_png, name="ob_assertion_png"),
    path("ob/assertions/<uuid:uid>.svg", ob.assertion_svg, name="ob_assertion_svg"),
    path("ob/assertions/<uuid:uid>/ob3.jwt", ob.credential_jwt, name="ob3_jwt"),
    path("ob/assertions/<uuid:uid>/ob3.png", ob.credential_png, name="ob3_png"),
    path("badges/verifier/", ob.check_baked, name="badge_check"),
    path("badges/<uuid:uid>/", ob.verify_page, name="badge_verify"),
    path(
        "compte/connexion/",
        _auth(
            auth_views.LoginView,
            redirect_authenticated_user=True,
            authentication_form=forms.LoginForm,
        ),
        name="login",
    ),
    path("compte/deconnexion/", _auth(auth_views.LogoutView), name="logout"),
    path(
        "compte/mot-de-passe/",
        _auth(auth_views.PasswordResetView, form_class=forms.PasswordResetForm),
        name="password_reset",
    ),
    path(
        "compte/mot-de-passe/envoye/",
        _auth(auth_views.PasswordResetDoneView),
        name="password_reset_done",
    ),
    path(
        "compte/mot-de-passe/<uidb64>/<token>/",
        _auth(auth_views.PasswordResetConfirmView, form_class=forms.SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "compte/mot-de-passe/fait/",
        _auth(auth_views.PasswordResetCompleteView),
        name="password_reset_complete",
    ),
    path("langue/", public(set_language), name="set_language"),
]

handler403 = "sobrio.core.errors.forbidden"
handler404 = "sobrio.core.errors.not_found"
handler500 = "sobrio.core.errors.server_error"
