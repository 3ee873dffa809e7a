from django.urls import path

from sobrio.referentials import views

urlpatterns = [
    path("referentiels/", views.referential_list, name="assess_referential_list"),
    path("referentiels/importer/", views.referential_import, name="assess_referential_import"),
    path("referentiels/modele.csv", views.referential_template, name="assess_referential_template"),
    path(
        "referentiels/<int:referential_id>/",
        views.referential_detail,
        name="assess_referential_detail",
    ),
    path(
        "referentiels/<int:referential_id>/differences/",
        views.referential_diff,
        name="assess_referential_diff",
    ),
]
