from django.urls import path

from sobrio.identity import views

urlpatterns = [
    path("oidc/", views.oidc_callback, name="sso_oidc"),
    path("saml/metadata/", views.saml_metadata, name="sso_saml_metadata"),
    path("saml/acs/", views.saml_acs, name="sso_saml_acs"),
    path("saml/sls/", views.saml_sls, name="sso_saml_sls"),
    path("<int:identityprovider_id>/", views.start, name="sso_start"),
    path("<int:identityprovider_id>/cas/", views.cas_callback, name="sso_cas"),
]
