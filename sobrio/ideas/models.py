"""The idea box (Agir): ideas, votes and comments.

People are core.User rows reached through their membership of the institution (a
participant, or a member of the team taking part): identity stays in core.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sobrio.core.models import InstitutionOwned


class IdeaTheme(models.TextChoices):
    EQUIPMENT = "equipment", _("Matériel et réemploi")
    USES = "uses", _("Usages et bonnes pratiques")
    DATA = "data", _("Données et stockage")
    PURCHASING = "purchasing", _("Achats")
    SERVICES = "services", _("Services numériques")
    TRAINING = "training", _("Sensibilisation et formation")
    OTHER = "other", _("Autre")


class IdeaStatus(models.TextChoices):
    RECEIVED = "received", _("Reçue")
    STUDIED = "studied", _("À l'étude")
    ACCEPTED = "accepted", _("Retenue")
    DONE = "done", _("Réalisée")
    DECLINED = "declined", _("Non retenue")


class Idea(InstitutionOwned):
    title = models.CharField(_("titre"), max_length=150)
    text = models.TextField(_("description"), max_length=4000)
    theme = models.CharField(_("thème"), max_length=12, choices=IdeaTheme)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="ideas",
    )  # fmt: skip
    status = models.CharField(
        _("statut"), max_length=10, choices=IdeaStatus, default=IdeaStatus.RECEIVED
    )
    reason = models.TextField(_("motif"), blank=True)  # why declined
    answer = models.TextField(_("réponse de l'équipe"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(_("masquée"), default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged",
        verbose_name=_("fusionnée avec"),
    )  # fmt: skip
    action = models.ForeignKey(
        "plan.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("action du plan"),
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("idée")

    def __str__(self):
        return self.title


class IdeaVote(InstitutionOwned):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_votes"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="idea_vote_unique")]


class IdeaComment(InstitutionOwned):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_comments"
    )
    text = models.TextField(_("commentaire"), max_length=2000)
    hidden = models.BooleanField(_("masqué"), default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("commentaire")
