"""« Mes badges » in an institution's « Participer » space."""

from django.urls import path

from sobrio.badges import space

urlpatterns = [
    path("badges/", space.my_badges, name="participate_badges"),
]
