from django.urls import path
from django.utils.translation import gettext_lazy as _

from sobrio.footprint import views
from sobrio.imports import views as import_views
from sobrio.inventory import views as inventory

urlpatterns = [
    path("", views.overview, name="measure"),
    path("repartition/", views.breakdown, name="measure_breakdown"),
    path("provenance/", views.provenance, name="measure_provenance"),
    path("empreinte.csv", views.export_csv, name="measure_export_csv"),
    path("empreinte.xlsx", views.export_xlsx, name="measure_export_xlsx"),
    path("reglages/", views.settings_view, name="measure_settings"),
    path("facteurs/", views.factor_sets, name="measure_factor_sets"),
    path("facteurs/importer/", views.factor_import, name="measure_factor_import"),
    path("facteurs/comparer/", views.factor_compare, name="measure_factor_compare"),
    path("facteurs/<int:factorset_id>/", views.factor_set_detail, name="measure_factor_set"),
    path("scenarios/", views.scenario_list, name="measure_scenarios"),
    path("scenarios/nouveau/", views.scenario_create, name="measure_scenario_create"),
    path("scenarios/<int:scenario_id>/", views.scenario_detail, name="measure_scenario"),
    path(
        "scenarios/<int:scenario_id>/supprimer/",
        views.scenario_delete,
        name="measure_scenario_delete",
    ),
    path("parc/", inventory.asset_list, name="measure_assets"),
    path("parc.csv", inventory.asset_export_csv, name="measure_assets_csv"),
    path("parc.xlsx", inventory.asset_export_xlsx, name="measure_assets_xlsx"),
    path("parc/modifier/", inventory.asset_bulk, name="measure_assets_bulk"),
    path("parc/nouveau/", inventory.asset_create, name="measure_asset_create"),
    path("parc/modele.csv", inventory.template, name="measure_template"),
    path("parc/<int:asset_id>/", inventory.asset_detail, name="measure_asset"),
    path("parc/<int:asset_id>/supprimer/", inventory.asset_delete, name="measure_asset_delete"),
    path("categories/", views.category_list, name="measure_categories"),
    path("categories/nouvelle/", inventory.category_create, name="measure_category_create"),
    path(
        "categories/<int:customcategory_id>/",
        inventory.category_detail,
        name="measure_category",
    ),
    path("salles/", inventory.room_list, name="measure_rooms"),
    path("salles/nouvelle/", inventory.room_create, name="measure_room_create"),
    path("salles/<int:serverroom_id>/", inventory.room_detail, name="measure_room"),
    path("cloud/", inventory.cloud_list, name="measure_cloud"),
    path("cloud/nouvelle/", inventory.cloud_create, name="measure_cloud_create"),
    path("cloud/<int:cloudinstance_id>/", inventory.cloud_detail, name="measure_cloud_instance"),
    path("donnees/", inventory.store_list, name="measure_stores"),
    path("donnees/nouveau/", inventory.store_create, name="measure_store_create"),
    path("donnees/<int:datastore_id>/", inventory.store_detail, name="measure_store"),
    *import_views.patterns("import/", "measure_import", "inventory", _("Importer un inventaire")),
]
