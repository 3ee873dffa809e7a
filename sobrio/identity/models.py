"""The identity providers of an institution (its CAS server, its SAML identity provider
in the Renater federation, an OpenID provider), the identities they vouched for, and the
unit codes their people came with. A provider signs people into its own institution
only; roles in the team come from Sobrio alone (services.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sobrio.core.models import InstitutionOwned, Unit


class Kind(models.TextChoices):
    CAS = "cas", "CAS"
    SAML = "saml", "SAML 2.0"
    OIDC = "oidc", "OpenID Connect"


class IdentityProvider(InstitutionOwned):
    kind = models.CharField(_("protocole"), max_length=8, choices=Kind)
    name = models.CharField(
        _("libellé"), max_length=80, help_text=_("Montré sur le bouton « Se connecter avec … ».")
    )
    enabled = models.BooleanField(_("actif"), default=True)
    # CAS: the server's address (…/cas/); OIDC: the issuer
    url = models.URLField(_("adresse"), max_length=500, blank=True)
    # SAML: the IdP's metadata (as read, from a file or url) and its entity ID
    metadata = models.TextField(_("métadonnées"), blank=True)
    metadata_url = models.URLField(_("adresse des métadonnées"), max_length=500, blank=True)
    entity_id = models.CharField(_("identifiant d'entité"), max_length=500, blank=True)
    # the federation's metadata signing certificate: when set, metadata read from the
    # address must be signed by it; read again every day (saml.refresh_all)
    metadata_cert = models.TextField(_("certificat de signature des métadonnées"), blank=True)
    metadata_refreshed_at = models.DateTimeField(_("métadonnées relues le"), null=True,
                                                 blank=True)  # fmt: skip
    metadata_problem = models.CharField(_("problème de relecture"), max_length=300, blank=True)
    # OIDC
    client_id = models.CharField(_("identifiant client"), max_length=200, blank=True)
    secret_sealed = models.BinaryField(null=True, blank=True, editable=False)
    attribute_map = models.JSONField(
        _("correspondance des attributs"),
        default=dict,
        blank=True,
        help_text=_('Ce qui change des noms par défaut (attributes.py) : {"mail": "email"}.'),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("fournisseur d'identité")
        verbose_name_plural = _("fournisseurs d'identité")
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="idp_name_unique")
        ]

    def __str__(self):
        return self.name


class ExternalIdentity(InstitutionOwned):
    """A person as a provider knows them (its subject: the CAS user, the SAML NameID or
    eduPersonPrincipalName, the OIDC sub), linked to one Sobrio account."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identities"
    )
    # the affiliation released at the last sign-in made the person one of the community
    community = models.BooleanField(default=False)
    affiliations = models.CharField(max_length=300, blank=True)
    last_seen_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="identity_unique")
        ]


class UnitCode(InstitutionOwned):
    """A supannEntiteAffectation code a provider sent: mapped once by the officer to a
    unit (or to none), then applied to everyone who comes with it."""

    code = models.CharField(_("code"), max_length=200)
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("unité"),
    )  # fmt: skip
    people = models.PositiveIntegerField(_("personnes"), default=0)

    class Meta:
        ordering = ["code"]
        verbose_name = _("code d'unité")
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="unit_code_unique")
        ]

    def __str__(self):
        return self.code


class UsedTicket(models.Model):
    """A ticket, assertion or code already used: a replay signs nobody in. Kept a day."""

    key = models.CharField(max_length=128, unique=True)
    used_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key


class ServiceProviderKey(models.Model):
    """The key and self-signed certificate of Sobrio's SAML service provider (one for the
    instance, as its metadata is): it signs the AuthnRequests and LogoutRequests and
    decrypts the assertions an IdP encrypts for it. Kept in the database, sealed, so every
    server of a cluster signs with the same key; made the first time it is needed."""

    purpose = models.CharField(max_length=40, unique=True, default="saml-sp")
    private_key = models.BinaryField(editable=False)
    certificate = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.purpose} ({self.created_at:%Y-%m-%d})"
