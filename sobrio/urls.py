from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from sobrio.core import forms
from sobrio.core.tenancy import public
from sobrio.identity import views as identity_views
from sobrio.learning.space.paths import certificate_verify


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
    path("agir/", include("sobrio.learning.urls")),
    path("agir/", include("sobrio.cleanup.urls")),
    path("agir/", include("sobrio.ideas.urls")),
    path("agir/", include("sobrio.badges.urls")),
    path("agir/reemploi/", include("sobrio.reuse.urls")),
    path("reseau/", include("sobrio.network.urls")),
    path("etablissement/", include("sobrio.identity.settings_urls")),
    path("participer/<slug:slug>/", include("sobrio.learning.space_urls")),
    path("participer/<slug:slug>/", include("sobrio.cleanup.space_urls")),
    path("participer/<slug:slug>/", include("sobrio.ideas.space_urls")),
    path("participer/<slug:slug>/", include("sobrio.badges.space_urls")),
    path("participer/<slug:slug>/reemploi/", include("sobrio.reuse.space_urls")),
    path("verifier/<str:code>/", certificate_verify, name="certificate_verify"),
    path("", include("sobrio.badges.public_urls")),
    path(
        "compte/connexion/",
        _auth(
            auth_views.LoginView,
            redirect_authenticated_user=True,
            authentication_form=forms.LoginForm,
        ),
        name="login",
    ),
    path("compte/deconnexion/", identity_views.logout, name="logout"),
    path("compte/sso/", include("sobrio.identity.urls")),
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
