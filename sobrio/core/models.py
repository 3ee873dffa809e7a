import re

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sobrio.core.enums import Role, UnitKind

DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person; what they may do depends on their membership in each institution."""

    email = models.EmailField(_("adresse électronique"), unique=True)
    full_name = models.CharField(_("nom complet"), max_length=150, blank=True)
    # the person chose the name shown (« Mes données »): a provider no longer replaces it
    name_chosen = models.BooleanField(_("nom choisi"), default=False)
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("équipe technique"), default=False)
    date_joined = models.DateTimeField(_("inscription"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return str(self)

    @property
    def public_name(self):
        """What a page others read shows: the name, or initials (never the address)."""
        from sobrio.core import names

        return names.public(self.full_name, self.email)

    def get_short_name(self):
        return str(self)


class Institution(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("nom court"), max_length=40, blank=True)
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    country = models.CharField(
        _("pays"),
        max_length=3,
        default="FRA",
        help_text=_("Code ISO 3166-1 alpha-3, par exemple FRA."),
    )
    national_identifier = models.CharField(
        _("identifiant national"),
        max_length=40,
        blank=True,
        help_text=_("UAI, SIREN ou SIRET, si l'établissement en a un."),
    )
    participant_domains = models.TextField(
        _("domaines ouverts aux participant·es"),
        blank=True,
        help_text=_(
            "Les domaines des adresses du personnel et des étudiant·es (univ-x.fr, "
            "etu.univ-x.fr), un par ligne : une personne dont l'adresse en fait partie se "
            "connecte à l'espace « Participer » par un lien reçu par courriel ; toute autre "
            "doit être invitée."
        ),
    )
    passwords_admins_only = models.BooleanField(
        _("mots de passe réservés aux admins"),
        default=False,
        help_text=_(
            "Les autres membres de l'équipe se connectent avec le compte de l'établissement "
            "(CAS, SAML ou OpenID Connect)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")

    def __str__(self):
        return self.short_name or self.name

    def clean(self):
        self.country = (self.country or "").upper()
        if len(self.country) != 3 or not self.country.isalpha():
            raise ValidationError({"country": _("Indiquez un code de pays à trois lettres (FRA).")})
        domains = []
        for word in self.participant_domains.replace(",", " ").split():
            domain = word.strip().lower().lstrip("@")
            if not DOMAIN.fullmatch(domain):
                message = _("« %(d)s » n'est pas un nom de domaine.") % {"d": word}
                raise ValidationError({"participant_domains": message})
            domains.append(domain)
        self.participant_domains = "\n".join(dict.fromkeys(domains))

    def domains(self):
        return self.participant_domains.split()

    def opens_to(self, email):
        """True when the address's domain is one the admin opened to participants."""
        domain = email.rpartition("@")[2].lower()
        return domain in self.domains()

    def get_additional_data(self):
        return {"institution_id": self.pk}


class ScopedQuerySet(models.QuerySet):
    def for_institution(self, institution):
        """The only way views reach domain rows: those of the current institution."""
        if institution is None:
            return self.none()
        return self.filter(institution=institution)


class InstitutionOwned(models.Model):
    """Base of every domain row: it belongs to exactly one institution."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="+", verbose_name=_("établissement")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_additional_data(self):
        # Lets the audit trail be filtered per institution.
        return {"institution_id": self.institution_id}


class Unit(InstitutionOwned):
    """A direction, service, composante or laboratory, possibly inside another."""

    name = models.CharField(_("nom"), max_length=200)
    code = models.CharField(_("code"), max_length=200, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=UnitKind, default=UnitKind.SERVICE)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("rattachée à"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("unité")
        verbose_name_plural = _("unités")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"],
                name="unit_name_unique",
                violation_error_message=_("Une unité porte déjà ce nom dans l'établissement."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent.institution_id != self.institution_id:
            raise ValidationError({"parent": _("L'unité parente doit être du même établissement.")})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("Une unité ne peut pas être dans elle-même.")})
            ancestor = ancestor.parent


class MembershipQuerySet(ScopedQuerySet):
    def staff(self):
        """The team (admins, officers, contributors, viewers), not the participants."""
        return self.exclude(role=Role.PARTICIPANT)


class Membership(InstitutionOwned):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("personne"),
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role)
    units = models.ManyToManyField(
        Unit,
        blank=True,
        related_name="members",
        verbose_name=_("unités"),
        help_text=_("Pour un·e contributeur·rice : les unités dont il ou elle édite les données."),
    )
    affiliation = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliated",
        verbose_name=_("unité de rattachement"),
        help_text=_(
            "Où la personne travaille ou étudie : pour suivre la sensibilisation par unité."
        ),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__email"]
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        constraints = [
            models.UniqueConstraint(fields=["institution", "user"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class Invitation(InstitutionOwned):
    """An invitation to join, for a person who already has an account elsewhere: they
    accept it themselves, so an admin learns nothing of another institution's members."""

    email = models.EmailField(_("adresse électronique"))
    role = models.CharField(_("rôle"), max_length=20, choices=Role)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")

    def __str__(self):
        return self.email


class SignInLink(InstitutionOwned):
    """A one-time link that signs a participant in (core/participation.py): only the hash
    of its token is kept, it lasts PARTICIPANT_LINK_MINUTES and serves once."""

    email = models.EmailField(_("adresse électronique"))
    token_hash = models.CharField(max_length=64, unique=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    # asked to register to a session open to the public: any address may sign in
    open_to_all = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("lien de connexion")
        indexes = [models.Index(fields=["email", "created_at"]), models.Index(fields=["address"])]

    def __str__(self):
        return self.email


class Chore(models.Model):
    """When a periodic chore (core/housekeeping.py) last ran, for the whole cluster: every
    `sobrio worker` of every server looks here, and the one whose update claims the
    period runs it; the others skip it."""

    name = models.CharField(max_length=200, primary_key=True)
    last_run_at = models.DateTimeField()
    holder = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("tâche périodique")

    def __str__(self):
        return self.name
