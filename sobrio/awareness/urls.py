from django.urls import path

from sobrio.awareness import badge_views as b
from sobrio.awareness import cleanup_views as c
from sobrio.awareness import idea_views, participant_views, views
from sobrio.awareness import path_views as p
from sobrio.awareness import workshop_views as w

urlpatterns = [
    path("participants/", participant_views.participants, name="awareness_participants"),
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
    path("ateliers/", w.session_list, name="awareness_sessions"),
    path("ateliers/types/", w.kind_list, name="awareness_kinds"),
    path("ateliers/types/<int:workshopkind_id>/", w.kind_edit, name="awareness_kind"),
    path("ateliers/nouvelle/", w.session_create, name="awareness_session_create"),
    path("ateliers/<int:session_id>/", w.session_detail, name="awareness_session"),
    path("ateliers/<int:session_id>/modifier/", w.session_edit, name="awareness_session_edit"),
    path("ateliers/<int:session_id>/pointage/", w.session_checkin, name="awareness_checkin"),
    path("ateliers/<int:session_id>/annuler/", w.session_cancel, name="awareness_session_cancel"),
    path(
        "ateliers/inscriptions/<int:registration_id>/",
        w.registration_decide,
        name="awareness_registration",
    ),
    path("parcours/", p.path_list, name="awareness_paths"),
    path("parcours/nouveau/", p.path_create, name="awareness_path_create"),
    path("parcours/<int:path_id>/", p.path_detail, name="awareness_path"),
    path("parcours/<int:path_id>/modifier/", p.path_edit, name="awareness_path_edit"),
    path("modules/nouveau/", p.module_create, name="awareness_module_create"),
    path("modules/<int:module_id>/", p.module_edit, name="awareness_module"),
    path("modules/<int:module_id>/decision/", p.module_decide, name="awareness_module_decide"),
    path("attestations/<int:certificate_id>/", p.certificate_manage, name="awareness_certificate"),
    path("nettoyage/", c.campaign_list, name="awareness_campaigns"),
    path("nettoyage/nouvelle/", c.campaign_edit, name="awareness_campaign_create"),
    path("nettoyage/<int:cleanupcampaign_id>/", c.campaign_detail, name="awareness_campaign"),
    path(
        "nettoyage/<int:cleanupcampaign_id>/modifier/",
        c.campaign_edit,
        name="awareness_campaign_edit",
    ),
    path(
        "nettoyage/<int:cleanupcampaign_id>/equipes/",
        c.campaign_teams,
        name="awareness_campaign_teams",
    ),
    path(
        "nettoyage/<int:cleanupcampaign_id>/moderation/",
        c.campaign_moderation,
        name="awareness_campaign_moderation",
    ),
    path(
        "nettoyage/<int:cleanupcampaign_id>/declarations.csv",
        c.campaign_export,
        name="awareness_campaign_export",
    ),
    path(
        "nettoyage/<int:cleanupcampaign_id>/bilan.pdf",
        c.campaign_report,
        name="awareness_campaign_pdf",
    ),
    path("idees/", idea_views.idea_list, name="awareness_ideas"),
    path("idees/<int:idea_id>/", idea_views.idea_detail, name="awareness_idea"),
    path("badges/", b.badge_list, name="awareness_badges"),
    path("badges/emetteur/", b.issuer_edit, name="awareness_badge_issuer"),
    path("badges/nouveau/", b.badge_edit, name="awareness_badge_create"),
    path("badges/<int:badgeclass_id>/", b.badge_detail, name="awareness_badge"),
    path("badges/<int:badgeclass_id>/modifier/", b.badge_edit, name="awareness_badge_edit"),
    path("badges/<int:badgeclass_id>/delivrer/", b.badge_award, name="awareness_badge_award"),
    path(
        "badges/<int:badgeclass_id>/delivrer-liste/",
        b.badge_award_list,
        name="awareness_badge_award_list",
    ),
    path("badges/delivres/", b.assertion_list, name="awareness_assertions"),
    path("badges/delivres.csv", b.assertion_export, name="awareness_assertions_export"),
    path(
        "badges/delivres/<int:badgeassertion_id>/",
        b.assertion_detail,
        name="awareness_assertion",
    ),
]
