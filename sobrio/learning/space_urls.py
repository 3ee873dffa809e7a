"""Learning in an institution's « Participer » space (/participer/<slug>/…)."""

from django.urls import path

from sobrio.learning.space import paths, quizzes, workshops

urlpatterns = [
    path("quiz/<int:quiz_id>/", quizzes.quiz_page, name="participate_quiz"),
    path("quiz/<int:quiz_id>/commencer/", quizzes.quiz_start, name="participate_quiz_start"),
    path("tentative/<int:attempt_id>/", quizzes.attempt_page, name="participate_attempt"),
    path(
        "tentative/<int:attempt_id>/bilan/",
        quizzes.attempt_review,
        name="participate_attempt_review",
    ),
    path("ateliers/<int:session_id>/", workshops.session_page, name="participate_session"),
    path("ateliers.ics", workshops.sessions_ics, name="participate_sessions_ics"),
    path("parcours/<int:path_id>/", paths.space_path, name="participate_path"),
    path("modules/<int:module_id>/", paths.space_module, name="participate_module"),
    path(
        "attestations/<int:certificate_id>/attestation.pdf",
        paths.space_certificate,
        name="participate_certificate",
    ),
]
