"""The team's pages of the Digital Cleanup Day, under /agir/nettoyage/."""

from django.urls import path

from sobrio.cleanup import views as c

urlpatterns = [
    path("nettoyage/", c.campaign_list, name="cleanup_campaigns"),
    path("nettoyage/nouvelle/", c.campaign_edit, name="cleanup_campaign_create"),
    path("nettoyage/<int:cleanupcampaign_id>/", c.campaign_detail, name="cleanup_campaign"),
    path(
        "nettoyage/<int:cleanupcampaign_id>/modifier/",
        c.campaign_edit,
        name="cleanup_campaign_edit",
    ),
    path(
        "nettoyage/<int:cleanupcampaign_id>/equipes/",
        c.campaign_teams,
        name="cleanup_campaign_teams",
    ),
    path(
        "nettoyage/<int:cleanupcampaign_id>/moderation/",
        c.campaign_moderation,
        name="cleanup_campaign_moderation",
    ),
    path(
        "nettoyage/<int:cleanupcampaign_id>/declarations.csv",
        c.campaign_export,
        name="cleanup_campaign_export",
    ),
    path(
        "nettoyage/<int:cleanupcampaign_id>/bilan.pdf",
        c.campaign_report,
        name="cleanup_campaign_pdf",
    ),
]
