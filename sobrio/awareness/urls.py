from django.urls import path

from sobrio.awareness import views

urlpatterns = [
    path("quiz/", views.quiz_list, name="awareness_quizzes"),
    path("quiz/importer/", views.quiz_import, name="awareness_quiz_import"),
    path("quiz/<int:quiz_id>/", views.quiz_detail, name="awareness_quiz"),
    path("quiz/<int:quiz_id>/reglages/", views.quiz_settings, name="awareness_quiz_settings"),
    path("quiz/<int:quiz_id>/export.gift", views.quiz_export, name="awareness_quiz_export"),
    path("quiz/<int:quiz_id>/resultats/", views.quiz_results, name="awareness_quiz_results"),
    path("quiz/<int:quiz_id>/a-corriger/", views.quiz_to_grade, name="awareness_quiz_to_grade"),
    path(
        "quiz/reponses/<int:response_id>/noter/",
        views.response_grade,
        name="awareness_response_grade",
    ),
    path("quiz/tentatives/<int:attempt_id>/", views.attempt_review, name="awareness_attempt"),
]
