"""Writes on institutions, units and members: called alike by views, the CLI and the demo."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sobrio.core.enums import Role
from sobrio.core.models import Institution, Membership


@transaction.atomic
def institution_create(*, slug, name, short_name="", country="FRA", national_identifier=""):
    institution = Institution(
        slug=slugify(slug),
        name=name.strip(),
        short_name=short_name.strip(),
        country=country,
        national_identifier=national_identifier.strip(),
    )
    if not institution.slug:
        raise ValidationError({"slug": _("L'identifiant ne peut pas être vide.")})
    institution.full_clean()
    institution.save()
    return institution


@transaction.atomic
def unit_save(*, unit):
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_delete(*, unit):
    if unit.children.exists():
        raise ValidationError(_("Cette unité contient d'autres unités : déplacez-les d'abord."))
    unit.delete()


def _admin_count(institution):
    """Admins of the institution, their rows locked: two admins demoting each other at the
    same instant are served one after the other, and the second is refused."""
    rows = Membership.objects.select_for_update().filter(institution=institution, role=Role.ADMIN)
    return len(list(rows.values_list("pk", flat=True)))


class Invite(Exception):
    """The address belongs to an existing account: an invitation is sent instead."""

    def __init__(self, email):
        self.email = email
        super().__init__(email)


@transaction.atomic
def invitation_create(*, institution, email, role, invited_by):
    from sobrio.core.models import Invitation

    if role not in Role.values:
        raise ValidationError({"role": _("Rôle inconnu : %(role)s.") % {"role": role}})
    invitation, _created = Invitation.objects.update_or_create(
        institution=institution,
        email=email,
        accepted_at=None,
        defaults={"role": role, "invited_by": invited_by},
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation, user):
    """The invited person joins, with the role offered (once)."""
    from django.utils import timezone

    if invitation.accepted_at is not None or invitation.email.lower() != user.email.lower():
        raise ValidationError(_("Cette invitation n'est pas (ou plus) pour vous."))
    membership, _created = Membership.objects.get_or_create(
        institution=invitation.institution, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    return membership


@transaction.atomic
def member_add(*, institution, email, role, units=(), full_name=""):
    """Add a person to an institution (creating their account if needed).

    Returns (membership, created_user): a new user has no password yet, and is
    sent a link to choose one by the caller.
    """
    if role not in Role.values:
        raise ValidationError({"role": _("Rôle inconnu : %(role)s.") % {"role": role}})
    User = get_user_model()
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email=email).first()
    if (
        user is not None
        and not Membership.objects.filter(institution=institution, user=user).exists()
    ):
        # Someone else's member: invite, never attach (nor say who the account is).
        raise Invite(email)
    created = user is None
    if created:
        user = User(email=email, full_name=full_name.strip())
        user.set_unusable_password()
        user.full_clean()
        user.save()
    if Membership.objects.filter(institution=institution, user=user).exists():
        raise ValidationError(
            {"email": _("%(email)s est déjà membre de cet établissement.") % {"email": email}}
        )
    membership = Membership.objects.create(institution=institution, user=user, role=role)
    _set_units(membership, units)
    return membership, created


@transaction.atomic
def member_update(*, membership, role, units=()):
    if (
        membership.role == Role.ADMIN
        and role != Role.ADMIN
        and _admin_count(membership.institution) <= 1
    ):
        raise ValidationError({"role": _("L'établissement doit garder au moins un·e admin.")})
    membership.role = role
    membership.full_clean()
    membership.save()
    _set_units(membership, units)
    return membership


@transaction.atomic
def member_remove(*, membership):
    if membership.role == Role.ADMIN and _admin_count(membership.institution) <= 1:
        raise ValidationError(_("L'établissement doit garder au moins un·e admin."))
    membership.delete()


def _set_units(membership, units):
    units = list(units)
    if any(u.institution_id != membership.institution_id for u in units):
        raise ValidationError({"units": _("Ces unités ne sont pas de cet établissement.")})
    membership.units.set(units if membership.role == Role.CONTRIBUTOR else [])
