from django.urls import path

from sobrio.reuse import space

urlpatterns = [
    path(
        "<int:redistributioncampaign_id>/", space.campaign_page, name="participate_reuse_campaign"
    ),
]
