from django.urls import path

from sobrio.core import participant_views, space_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agir/", views.act_home, name="act"),
    path("agir/participants/", participant_views.participants, name="participants"),
    path("etablissement/changer/", views.institution_switch, name="institution_switch"),
    path("etablissement/", views.institution_edit, name="institution_edit"),
    path("etablissement/journal/", views.audit_log, name="audit_log"),
    path("etablissement/unites/", views.unit_list, name="unit_list"),
    path("etablissement/unites/ajouter/", views.unit_create, name="unit_create"),
    path("etablissement/unites/<int:unit_id>/", views.unit_update, name="unit_update"),
    path("etablissement/unites/<int:unit_id>/supprimer/", views.unit_delete, name="unit_delete"),
    path("etablissement/membres/", views.member_list, name="member_list"),
    path("invitation/<int:invitation_id>/", views.invitation_accept, name="invitation_accept"),
    path("etablissement/membres/ajouter/", views.member_add, name="member_add"),
    path("etablissement/membres/<int:membership_id>/", views.member_update, name="member_update"),
    path(
        "etablissement/membres/<int:membership_id>/retirer/",
        views.member_remove,
        name="member_remove",
    ),
    path("participer/<slug:slug>/", space_views.home, name="participate_home"),
    path("participer/<slug:slug>/connexion/", space_views.signin, name="participate_signin"),
    path(
        "participer/<slug:slug>/connexion/<str:token>/",
        space_views.link,
        name="participate_link",
    ),
    path("participer/<slug:slug>/mes-donnees/", space_views.my_data, name="participate_data"),
    path(
        "participer/<slug:slug>/mes-donnees/supprimer/",
        space_views.my_data_erase,
        name="participate_data_erase",
    ),
]
