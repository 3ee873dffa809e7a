"""The team's pages of the idea box, under /agir/idees/."""

from django.urls import path

from sobrio.ideas import views

urlpatterns = [
    path("idees/", views.idea_list, name="ideas_list"),
    path("idees/<int:idea_id>/", views.idea_detail, name="ideas_detail"),
]
