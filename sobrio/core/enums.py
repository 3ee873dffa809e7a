from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of a member in one institution (see DESIGN.md, "Users and roles")."""

    ADMIN = "admin", _("Administrateur·rice")
    OFFICER = "officer", _("Référent·e numérique responsable")
    CONTRIBUTOR = "contributor", _("Contributeur·rice")
    VIEWER = "viewer", _("Lecteur·rice")
    PARTICIPANT = "participant", _("Participant·e")


# The roles of the team that runs the programme; a participant only takes part (quizzes,
# workshops, cleanup day, ideas) in the institution's « Participer » space.
STAFF_ROLES = (Role.ADMIN, Role.OFFICER, Role.CONTRIBUTOR, Role.VIEWER)


class UnitKind(models.TextChoices):
    DIRECTION = "direction", _("Direction")
    SERVICE = "service", _("Service")
    COMPONENT = "component", _("Composante")
    LABORATORY = "laboratory", _("Laboratoire")
    OTHER = "other", _("Autre")
