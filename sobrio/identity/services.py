"""Signing a person in from what their institution's provider vouched for.

What a provider may give: an account (found by the identity it already linked, else by
the email or eduPersonPrincipalName of an account or an invitation, else created), a
name, a place in the community (eduPersonAffiliation) and a unit (supannEntiteAffectation,
through the codes the officer mapped). What it never gives: a role in the team. Those
come from Sobrio alone: a membership that exists, or an invitation the identity matches.
"""

import datetime
import hashlib
import logging
import re

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrio.core import sealing
from sobrio.core.enums import Role
from sobrio.core.models import Invitation, Membership, Unit
from sobrio.identity.attributes import person as read_person
from sobrio.identity.models import ExternalIdentity, IdentityProvider, Kind, UnitCode, UsedTicket

logger = logging.getLogger("sobrio.identity")
SECRET_PURPOSE = "sobrio-identity-client-secret"  # noqa: S105 - a key-derivation label
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Refused(Exception):
    """A sign-in refused, with the French reason to show (and to log)."""


def refuse(provider, reason, detail=""):
    logger.warning("sso refused: provider %s (%s, institution %s): %s %s",
                   provider.pk, provider.kind, provider.institution_id, reason, detail)  # fmt: skip
    raise Refused(reason)


def providers_of(institution):
    return IdentityProvider.objects.filter(institution=institution, enabled=True)


def seal_secret(provider, secret):
    provider.secret_sealed = sealing.seal(secret.encode(), SECRET_PURPOSE) if secret else None


def secret_of(provider):
    if not provider.secret_sealed:
        return ""
    return sealing.unseal(provider.secret_sealed, SECRET_PURPOSE).decode()


def use_once(provider, value):
    """Record a ticket, assertion ID or code as used; Refused when it was already."""
    key = hashlib.sha256(f"{provider.pk}:{value}".encode()).hexdigest()
    try:
        with transaction.atomic():
            UsedTicket.objects.create(key=key)
    except IntegrityError:
        refuse(provider, _("Cette connexion a déjà servi : recommencez depuis Sobrio."), "replay")


def purge_used(now=None):
    limit = (now or timezone.now()) - datetime.timedelta(days=1)
    return UsedTicket.objects.filter(used_at__lt=limit).delete()[0]


def _check(provider, found):
    if not found.subject:
        refuse(provider, _("Le fournisseur d'identité n'a pas dit qui vous êtes."), "no subject")
    if not found.email or not EMAIL.match(found.email):
        refuse(provider, _("Le fournisseur d'identité n'a pas transmis votre adresse "
                           "électronique (attribut mail) : Sobrio ne peut pas vous connecter. "
                           "Signalez-le au service informatique."), "no mail")  # fmt: skip
    if not found.name:
        refuse(provider, _("Le fournisseur d'identité n'a transmis ni votre nom affiché "
                           "(displayName) ni vos prénom et nom (givenName, sn) : Sobrio ne "
                           "peut pas vous connecter. Signalez-le au service informatique."),
               "no name")  # fmt: skip
    code = (provider.institution.national_identifier or "").strip().upper()
    if (
        code
        and found.establishments
        and not any(e.upper().endswith(code) for e in found.establishments)
    ):  # supannEtablissement reads {UAI}0751717J
        refuse(provider, _("Ce compte est celui d'un autre établissement : connectez-vous "
                           "avec le fournisseur de votre établissement."),
               f"supannEtablissement {found.establishments}")  # fmt: skip


def _unit(institution, codes):
    """The first code the officer mapped to a unit; unknown codes are recorded for them."""
    chosen = None
    for code in codes[:10]:
        row, created = UnitCode.objects.get_or_create(institution=institution, code=code)
        UnitCode.objects.filter(pk=row.pk).update(people=F("people") + 1)
        if chosen is None and row.unit_id:
            chosen = row.unit_id
        if chosen is None and created:  # a unit with that very code maps itself
            unit = Unit.objects.for_institution(institution).filter(code=code).first()
            if unit is not None:
                UnitCode.objects.filter(pk=row.pk).update(unit=unit)
                chosen = unit.pk
    return chosen


@transaction.atomic
def sign_in(provider, subject, raw, *, now=None):
    """(user, membership) for the person the provider vouched for, in the provider's
    institution only; Refused (nothing written) when what it sent is not enough."""
    now = now or timezone.now()
    institution = provider.institution
    found = read_person(provider.kind, subject, raw, provider.attribute_map)
    _check(provider, found)
    users = get_user_model().objects
    link = (ExternalIdentity.objects.select_related("user")
            .filter(provider=provider, subject=found.subject).first())  # fmt: skip
    addresses = {a for a in (found.email, found.principal) if a and EMAIL.match(a)}
    user = link.user if link is not None else None
    if user is None:
        user = users.filter(email__in=addresses).order_by("pk").first()
    if user is None:
        user = users.create_user(found.email)
    if not user.name_chosen and found.name and user.full_name != found.name:
        user.full_name = found.name
        user.save(update_fields=["full_name"])
    if link is None:
        link = ExternalIdentity(institution=institution, provider=provider,
                                subject=found.subject, user=user)  # fmt: skip
    link.community = found.community
    link.affiliations = ",".join(found.affiliations)[:300]
    link.last_seen_at = now
    link.save()
    membership = Membership.objects.filter(institution=institution, user=user).first()
    invitation = (Invitation.objects.filter(institution=institution, accepted_at=None,
                                            email__in=addresses | {user.email})
                  .order_by("-created_at").first())  # fmt: skip
    if membership is None and invitation is not None:
        membership = Membership.objects.create(institution=institution, user=user,
                                               role=invitation.role)  # fmt: skip
    if invitation is not None:
        Invitation.objects.filter(
            institution=institution, accepted_at=None, email__in=addresses | {user.email}
        ).update(accepted_at=now)
    if membership is None:
        # the community takes part; anyone else the provider knows (an alum, an
        # affiliate) signs in as an outside participant: public things only
        membership = Membership.objects.create(
            institution=institution, user=user, role=Role.PARTICIPANT
        )
    unit_id = _unit(institution, found.unit_codes)
    if unit_id and membership.affiliation_id is None:
        membership.affiliation_id = unit_id
        membership.save(update_fields=["affiliation", "updated_at"])
    logger.info("sso sign-in: provider %s, institution %s, user %s, community %s",
                provider.pk, institution.pk, user.pk, found.community)  # fmt: skip
    return user, membership


def is_community(institution, user):
    """The provider's last word on the person: one of the community (participation.py
    asks it too)."""
    return ExternalIdentity.objects.filter(
        institution=institution, user=user, community=True
    ).exists()


def identities_data(institution, user):
    """« Mes données »: the provider accounts linked to this person here."""
    rows = ExternalIdentity.objects.filter(institution=institution, user=user)
    return [{_("Fournisseur"): i.provider.name, _("Identifiant"): i.subject,
             _("Affiliations"): i.affiliations,
             _("Dernière connexion"): i.last_seen_at.date().isoformat() if i.last_seen_at else ""}
            for i in rows.select_related("provider")]  # fmt: skip


def identities_erase(institution, user):
    return ExternalIdentity.objects.filter(institution=institution, user=user).delete()[0]


def describe(provider):
    """The provider as `sobrio sso list --format json` shows it (a contract)."""
    return {
        "id": provider.pk,
        "institution": provider.institution.slug,
        "kind": provider.kind,
        "name": provider.name,
        "enabled": provider.enabled,
        "url": provider.url if provider.kind != Kind.SAML else provider.metadata_url,
        "entity_id": provider.entity_id,
        "client_id": provider.client_id,
        "attribute_map": provider.attribute_map,
        "metadata_signed_by_cert": bool(provider.metadata_cert),
        "metadata_refreshed_at": provider.metadata_refreshed_at.isoformat()
        if provider.metadata_refreshed_at
        else None,
        "metadata_problem": provider.metadata_problem,
    }
