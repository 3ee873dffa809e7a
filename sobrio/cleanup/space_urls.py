"""The Digital Cleanup Day in an institution's « Participer » space."""

from django.urls import path

from sobrio.cleanup import space

urlpatterns = [
    path(
        "nettoyage/<int:cleanupcampaign_id>/",
        space.campaign_page,
        name="participate_campaign",
    ),
    path(
        "nettoyage/<int:cleanupcampaign_id>/declarer/",
        space.pledge_page,
        name="participate_pledge",
    ),
]
