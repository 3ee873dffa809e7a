from django.urls import path

from sobrio.assessment import views

urlpatterns = [
    path("", views.home, name="assess"),
    path("mes-elements/", views.my_items, name="assess_my_items"),
    path("campagnes/nouvelle/", views.campaign_create, name="assess_campaign_create"),
    path("campagnes/<int:campaign_id>/", views.campaign_detail, name="assess_campaign"),
    path("campagnes/<int:campaign_id>/items/", views.campaign_items, name="assess_campaign_items"),
    path(
        "campagnes/<int:campaign_id>/attribuer/",
        views.campaign_assign,
        name="assess_campaign_assign",
    ),
    path(
        "campagnes/<int:campaign_id>/cloturer/", views.campaign_close, name="assess_campaign_close"
    ),
    path(
        "campagnes/<int:campaign_id>/relancer/",
        views.campaign_remind,
        name="assess_campaign_remind",
    ),
    path(
        "campagnes/<int:campaign_id>/importer/",
        views.answers_import,
        name="assess_answers_import",
    ),
    path(
        "campagnes/<int:campaign_id>/comparer/",
        views.campaign_compare,
        name="assess_campaign_compare",
    ),
    path(
        "campagnes/<int:campaign_id>/declaration/",
        views.campaign_declaration,
        name="assess_campaign_declaration",
    ),
    path(
        "campagnes/<int:campaign_id>/export.xlsx",
        views.campaign_export,
        {"fmt": "xlsx"},
        name="assess_campaign_xlsx",
    ),
    path(
        "campagnes/<int:campaign_id>/export.ods",
        views.campaign_export,
        {"fmt": "ods"},
        name="assess_campaign_ods",
    ),
    path(
        "campagnes/<int:campaign_id>/rapport.pdf",
        views.campaign_export,
        {"fmt": "pdf"},
        name="assess_campaign_pdf",
    ),
    path("reponses/<int:answer_id>/", views.answer_edit, name="assess_answer"),
    path("preuves/<int:evidence_id>/", views.evidence_download, name="assess_evidence"),
    path(
        "preuves/<int:evidence_id>/retirer/",
        views.evidence_delete,
        name="assess_evidence_delete",
    ),
]
