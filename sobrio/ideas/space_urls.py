"""The idea box in an institution's « Participer » space."""

from django.urls import path

from sobrio.ideas import space

urlpatterns = [
    path("idees/", space.idea_box, name="participate_ideas"),
    path("idees/<int:idea_id>/", space.idea_page, name="participate_idea"),
]
