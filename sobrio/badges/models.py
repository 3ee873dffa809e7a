"""Open Badges (Agir): the institution as issuer, its keys, badge classes and the
badges awarded.

People are core.User rows reached through their membership of the institution (a
participant, or a member of the team taking part): identity stays in core.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sobrio.core.models import InstitutionOwned


class BadgeIssuer(InstitutionOwned):
    """The institution as an Open Badges issuer: its public profile (one per institution)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nom de l'émetteur"), max_length=200)
    url = models.URLField(
        _("site web"), max_length=300, blank=True,
        help_text=_("Vide : la page « Participer » de l'établissement sur ce serveur."),
    )  # fmt: skip
    email = models.EmailField(_("adresse de contact"))
    description = models.TextField(_("présentation"), max_length=2000, blank=True)
    image = models.BinaryField(_("logo (PNG)"), null=True, blank=True)

    class Meta:
        verbose_name = _("émetteur de badges")
        constraints = [models.UniqueConstraint(fields=["institution"], name="badge_issuer_unique")]

    def __str__(self):
        return self.name


class BadgeKey(InstitutionOwned):
    """An RS256 key pair of an issuer for Open Badges 3.0. The private key is kept
    encrypted (badges/keys.py); a rotated key stops signing and keeps being published, so
    the credentials it signed still verify."""

    issuer = models.ForeignKey(BadgeIssuer, on_delete=models.CASCADE, related_name="keys")
    kid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    public_jwk = models.JSONField()
    private_key = models.BinaryField()  # Fernet token of the PKCS#8 PEM
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class BadgeRule(models.TextChoices):
    MANUAL = "manual", _("À la main (une personne, ou une liste d'adresses)")
    QUIZ = "quiz", _("Quiz réussi")
    MODULE = "module", _("Module validé")
    PATH = "path", _("Parcours validé (avec son attestation)")
    WORKSHOP = "workshop", _("Atelier suivi (présence pointée)")
    CLEANUP = "cleanup", _("Déclaration de nettoyage acceptée")
    IDEA = "idea", _("Idée retenue")


class BadgeClass(InstitutionOwned):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("identifiant court"), max_length=60)
    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("description"), max_length=2000)
    criteria = models.TextField(_("critères d'obtention"), max_length=4000)
    tags = models.CharField(_("mots-clés"), max_length=300, blank=True)  # comma-separated
    image_png = models.BinaryField(_("image PNG"), null=True, blank=True)
    image_svg = models.TextField(_("image SVG"), blank=True)
    alignment_name = models.CharField(_("compétence visée"), max_length=200, blank=True)
    alignment_url = models.URLField(_("adresse de la compétence"), max_length=300, blank=True)
    alignment_framework = models.CharField(_("référentiel"), max_length=200, blank=True)
    alignment_code = models.CharField(_("code dans le référentiel"), max_length=60, blank=True)
    valid_days = models.PositiveIntegerField(_("validité (jours)"), null=True, blank=True)
    rule = models.CharField(
        _("délivré quand"), max_length=10, choices=BadgeRule, default=BadgeRule.MANUAL
    )
    quiz = models.ForeignKey(
        "learning.Quiz", on_delete=models.PROTECT, null=True, blank=True, related_name="badges",
        verbose_name=_("quiz"),
    )  # fmt: skip
    min_score = models.PositiveSmallIntegerField(
        _("note minimale (%)"), null=True, blank=True,
        help_text=_("Vide : le seuil de réussite du quiz."),
    )  # fmt: skip
    module = models.ForeignKey(
        "learning.Module", on_delete=models.PROTECT, null=True, blank=True, related_name="badges",
        verbose_name=_("module"),
    )  # fmt: skip
    path = models.ForeignKey(
        "learning.Path", on_delete=models.PROTECT, null=True, blank=True, related_name="badges",
        verbose_name=_("parcours"),
    )  # fmt: skip
    workshop_kind = models.ForeignKey(
        "learning.WorkshopKind", on_delete=models.PROTECT, null=True, blank=True,
        related_name="badges",
        verbose_name=_("atelier"), help_text=_("Vide : tout atelier."),
    )  # fmt: skip
    campaign = models.ForeignKey(
        "cleanup.CleanupCampaign", on_delete=models.PROTECT, null=True, blank=True,
        related_name="badges",
        verbose_name=_("campagne"), help_text=_("Vide : toute campagne."),
    )  # fmt: skip
    archived = models.BooleanField(_("archivé (plus délivré)"), default=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("badge")
        constraints = [
            models.UniqueConstraint(fields=["institution", "slug"], name="badge_class_slug")
        ]

    def __str__(self):
        return self.name

    def tag_list(self):
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class BadgeAssertion(InstitutionOwned):
    """A badge awarded to one person (an email address), once per badge."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    badge = models.ForeignKey(BadgeClass, on_delete=models.PROTECT, related_name="assertions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="badges",
    )  # fmt: skip
    email = models.EmailField(_("adresse du titulaire"))
    holder_name = models.CharField(_("titulaire"), max_length=150, blank=True)
    salt = models.CharField(max_length=32)
    identity = models.CharField(max_length=80)  # "sha256$" + hex(sha256(email + salt))
    issued_at = models.DateTimeField(_("délivré le"))
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    evidence_url = models.URLField(_("preuve (adresse)"), max_length=500, blank=True)
    narrative = models.TextField(_("commentaire"), max_length=2000, blank=True)
    source = models.CharField(_("délivré par"), max_length=10, choices=BadgeRule)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    status_index = models.PositiveIntegerField()  # its bit in the issuer's status list
    revoked_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    revocation_reason = models.CharField(_("motif du retrait"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("badge délivré")
        constraints = [
            models.UniqueConstraint(fields=["badge", "email"], name="badge_once_per_person"),
            models.UniqueConstraint(
                fields=["institution", "status_index"], name="badge_status_index"
            ),
        ]

    def __str__(self):
        return f"{self.badge} — {self.holder_name or self.email}"

    @property
    def public_holder(self):
        """The holder as the public verification page shows them: a name or initials."""
        from sobrio.core import names

        return names.public(self.holder_name, self.email)
