from django.urls import path

from sobrio.reuse import views as v

urlpatterns = [
    path("", v.home, name="reuse_home"),
    path("reglages/", v.settings_edit, name="reuse_settings"),
    path("decider/", v.decide, name="reuse_decide"),
    path("decisions/", v.disposals, name="reuse_disposals"),
    path("importer/", v.import_file, name="reuse_import"),
    path("effacements/", v.wipes_import, name="reuse_wipes"),
    path("registre.csv", v.register_export, name="reuse_register"),
    path("lots/", v.batches, name="reuse_batches"),
    path("lots/<int:batch_id>/", v.batch_detail, name="reuse_batch"),
    path("appareils/<int:refurbishment_id>/", v.device, name="reuse_device"),
    path("campagnes/", v.campaigns, name="reuse_campaigns"),
    path("campagnes/nouvelle/", v.campaign_edit, name="reuse_campaign_create"),
    path(
        "campagnes/<int:redistributioncampaign_id>/",
        v.campaign_detail,
        name="reuse_campaign",
    ),
    path(
        "campagnes/<int:redistributioncampaign_id>/modifier/",
        v.campaign_edit,
        name="reuse_campaign_edit",
    ),
    path("demandes/<int:application_id>/convention.pdf", v.agreement, name="reuse_agreement"),
]
