from django.urls import path

from sobrio.plan import views

urlpatterns = [
    path("", views.home, name="plan"),
    path("tableau/", views.board, name="plan_board"),
    path("calendrier/", views.timeline, name="plan_timeline"),
    path("actions/", views.action_list, name="plan_actions"),
    path("actions/nouvelle/", views.action_create, name="plan_action_create"),
    path("actions/<int:action_id>/", views.action_detail, name="plan_action"),
    path("actions/<int:action_id>/modifier/", views.action_edit, name="plan_action_edit"),
    path("indicateurs/", views.indicator_list, name="plan_indicators"),
    path("indicateurs/nouveau/", views.indicator_create, name="plan_indicator_create"),
    path("indicateurs/pratiques/", views.indicator_adopt, name="plan_indicator_adopt"),
    path("indicateurs/<int:indicator_id>/", views.indicator_detail, name="plan_indicator"),
    path("budget/", views.budget, name="plan_budget"),
    path("plan.xlsx", views.plan_export, name="plan_export"),
    path("importer/", views.plan_import, name="plan_import"),
    path("reglages/", views.plan_settings, name="plan_settings"),
]
