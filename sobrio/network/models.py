"""Réseau: networks of institutions that compare and consolidate what each member chose
to share — aggregates, never rows. A network spans institutions, so its rows are not
InstitutionOwned; access goes through network.access."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GROUPS = (
    ("footprint", _("Empreinte (totale et par personne)")),
    ("assessment", _("Scores d'autoévaluation")),
    ("plan", _("Actions du plan réalisées")),
    ("awareness", _("Personnes formées")),
    ("reuse", _("Taux de réemploi")),
)


class Network(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("réseau")

    def __str__(self):
        return self.name


class MemberState(models.TextChoices):
    INVITED = "invited", _("Invité")
    MEMBER = "member", _("Membre")
    WITHDRAWN = "withdrawn", _("Retiré")


class NetworkMember(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    institution = models.ForeignKey(
        "core.Institution", on_delete=models.CASCADE, related_name="network_memberships"
    )
    state = models.CharField(max_length=10, choices=MemberState, default=MemberState.INVITED)
    figures = models.JSONField(_("chiffres partagés"), default=list)  # GROUPS codes
    anonymous = models.BooleanField(_("partager sans être nommé"), default=False)
    remote = models.BooleanField(default=False)  # on another server: shares by signed file
    invited_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["institution__name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "institution"], name="network_member_once")
        ]

    def __str__(self):
        return f"{self.network} — {self.institution}"


class NetworkViewer(models.Model):
    """Someone who reads a network's aggregates (a consortium's steering committee)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="viewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_views"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="network_viewer_once")
        ]

    def __str__(self):
        return f"{self.user} — {self.network}"


class InstitutionKey(models.Model):
    """An institution's Ed25519 key for signed exports; the public key is published."""

    institution = models.OneToOneField(
        "core.Institution", on_delete=models.CASCADE, related_name="network_key"
    )
    public_key = models.CharField(max_length=64)  # raw, base64url
    private_key = models.BinaryField()  # sealed (core.sealing)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.institution} (Ed25519)"


class SharedValue(models.Model):
    """A figure a remote member sent in a signed file (local members are read live)."""

    member = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="values")
    figure = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    referential = models.CharField(max_length=200, blank=True)
    value = models.FloatField(null=True)
    basis = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "figure", "year", "referential"], name="shared_value_once"
            )
        ]

    def __str__(self):
        return f"{self.member} {self.figure} {self.year}"


class ReceivedExport(models.Model):
    """Each accepted file once: a replayed file is refused."""

    member = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="exports")
    export_id = models.UUIDField(unique=True)
    generated_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.export_id)


class SharedAction(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="actions")
    member = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="actions")
    action = models.ForeignKey(
        "plan.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("titre"), max_length=300)
    theme = models.CharField(_("thème"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    results = models.TextField(_("résultats"), blank=True)
    indicators = models.TextField(_("indicateurs"), blank=True)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme", "-published_at"]

    def __str__(self):
        return self.title
