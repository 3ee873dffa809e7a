from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

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
    path("participer/<slug:slug>/", include("sobrio.awareness.space_urls")),
    path("verifier/<str:code>/", certificate_verify, name="certificate_verify"),
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
