from django.urls import path

from sobrio.identity import settings_views as views

urlpatterns = [
    path("connexion/", views.providers, name="identity_providers"),
    path(
        "connexion/<int:identityprovider_id>/", views.provider_edit, name="identity_provider_edit"
    ),  # fmt: skip
    path(
        "connexion/<int:identityprovider_id>/retirer/",
        views.provider_remove,
        name="identity_provider_remove",
    ),  # fmt: skip
    path("unites/codes/", views.unit_codes, name="identity_unit_codes"),
]
