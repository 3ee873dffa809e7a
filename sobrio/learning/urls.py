"""The team's pages of learning, under /agir/: quizzes, workshops, paths."""

from django.urls import path

from sobrio.learning.views import paths as p
from sobrio.learning.views import quizzes as q
from sobrio.learning.views import workshops as w

urlpatterns = [
    path("quiz/", q.quiz_list, name="learning_quizzes"),
    path("quiz/importer/", q.quiz_import, name="learning_quiz_import"),
    path("quiz/<int:quiz_id>/", q.quiz_detail, name="learning_quiz"),
    path("quiz/<int:quiz_id>/reglages/", q.quiz_settings, name="learning_quiz_settings"),
    path("quiz/<int:quiz_id>/export.gift", q.quiz_export, name="learning_quiz_export"),
    path("quiz/<int:quiz_id>/resultats/", q.quiz_results, name="learning_quiz_results"),
    path("quiz/<int:quiz_id>/a-corriger/", q.quiz_to_grade, name="learning_quiz_to_grade"),
    path(
        "quiz/reponses/<int:response_id>/noter/",
        q.response_grade,
        name="learning_response_grade",
    ),
    path("quiz/tentatives/<int:attempt_id>/", q.attempt_review, name="learning_attempt"),
    path("ateliers/", w.session_list, name="learning_sessions"),
    path("ateliers/types/", w.kind_list, name="learning_kinds"),
    path("ateliers/types/<int:workshopkind_id>/", w.kind_edit, name="learning_kind"),
    path("ateliers/nouvelle/", w.session_create, name="learning_session_create"),
    path("ateliers/<int:session_id>/", w.session_detail, name="learning_session"),
    path("ateliers/<int:session_id>/modifier/", w.session_edit, name="learning_session_edit"),
    path("ateliers/<int:session_id>/pointage/", w.session_checkin, name="learning_checkin"),
    path("ateliers/<int:session_id>/annuler/", w.session_cancel, name="learning_session_cancel"),
    path(
        "ateliers/inscriptions/<int:registration_id>/",
        w.registration_decide,
        name="learning_registration",
    ),
    path("parcours/", p.path_list, name="learning_paths"),
    path("parcours/nouveau/", p.path_create, name="learning_path_create"),
    path("parcours/<int:path_id>/", p.path_detail, name="learning_path"),
    path("parcours/<int:path_id>/modifier/", p.path_edit, name="learning_path_edit"),
    path("modules/nouveau/", p.module_create, name="learning_module_create"),
    path("modules/<int:module_id>/", p.module_edit, name="learning_module"),
    path("modules/<int:module_id>/decision/", p.module_decide, name="learning_module_decide"),
    path("attestations/<int:certificate_id>/", p.certificate_manage, name="learning_certificate"),
]
