"""The awareness pages of an institution's « Participer » space (/participer/<slug>/…)."""

from django.urls import path

from sobrio.awareness import badge_space, cleanup_space, path_views, space, workshop_space

urlpatterns = [
    path("quiz/<int:quiz_id>/", space.quiz_page, name="participate_quiz"),
    path("quiz/<int:quiz_id>/commencer/", space.quiz_start, name="participate_quiz_start"),
    path("tentative/<int:attempt_id>/", space.attempt_page, name="participate_attempt"),
    path(
        "tentative/<int:attempt_id>/bilan/",
        space.attempt_review,
        name="participate_attempt_review",
    ),
    path("ateliers/<int:session_id>/", workshop_space.session_page, name="participate_session"),
    path("ateliers.ics", workshop_space.sessions_ics, name="participate_sessions_ics"),
    path("parcours/<int:path_id>/", path_views.space_path, name="participate_path"),
    path("modules/<int:module_id>/", path_views.space_module, name="participate_module"),
    path(
        "attestations/<int:certificate_id>/attestation.pdf",
        path_views.space_certificate,
        name="participate_certificate",
    ),
    path(
        "nettoyage/<int:cleanupcampaign_id>/",
        cleanup_space.campaign_page,
        name="participate_campaign",
    ),
    path(
        "nettoyage/<int:cleanupcampaign_id>/declarer/",
        cleanup_space.pledge_page,
        name="participate_pledge",
    ),
    path("idees/", cleanup_space.idea_box, name="participate_ideas"),
    path("idees/<int:idea_id>/", cleanup_space.idea_page, name="participate_idea"),
    path("badges/", badge_space.my_badges, name="participate_badges"),
]
