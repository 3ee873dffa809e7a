from django.urls import path

from sobrio.identity import views

urlpatterns = [
    path("oidc/", views.oidc_callback, name="sso_oidc"),
    path("<int:identityprovider_id>/", views.start, name="sso_start"),
    path("<int:identityprovider_id>/cas/", views.cas_callback, name="sso_cas"),
]
