"""The team's pages of Open Badges, under /agir/badges/."""

from django.urls import path

from sobrio.badges import views as b

urlpatterns = [
    path("badges/", b.badge_list, name="badges_list"),
    path("badges/emetteur/", b.issuer_edit, name="badges_issuer"),
    path("badges/nouveau/", b.badge_edit, name="badges_create"),
    path("badges/<int:badgeclass_id>/", b.badge_detail, name="badges_class"),
    path("badges/<int:badgeclass_id>/modifier/", b.badge_edit, name="badges_edit"),
    path("badges/<int:badgeclass_id>/delivrer/", b.badge_award, name="badges_award"),
    path(
        "badges/<int:badgeclass_id>/delivrer-liste/",
        b.badge_award_list,
        name="badges_award_list",
    ),
    path("badges/delivres/", b.assertion_list, name="badges_assertions"),
    path("badges/delivres.csv", b.assertion_export, name="badges_assertions_export"),
    path(
        "badges/delivres/<int:badgeassertion_id>/",
        b.assertion_detail,
        name="badges_assertion",
    ),
]
