"""The « Participer » space of an institution: who takes part, how they sign in, and what
Sobrio keeps on them.

Participants are people of the community (staff, students) who take part in what the
programme offers (quizzes, training paths, workshops, the cleanup day, the idea box)
without being part of the team that runs it. Identity stays here, in core: one User per
person and one Membership (role participant) per institution, so that single sign-on can
come later on the same accounts. A member of the team takes part with their own
membership.

Apps add their sections to the space (register_section) and declare the personal data
they keep on a participant (register_data): the participant's « Mes données » page shows
all of it, deleting it calls every app, and the purge of inactive participants too.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sobrio.core import limits, queue, traces
from sobrio.core.enums import Role
from sobrio.core.models import Invitation, Membership, SignInLink

TOKEN = "SOBRIO-LINK-TOKEN"  # noqa: S105 - not a secret: where the token goes in a link template (request_link)


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    template: str
    build: object  # (request, institution, membership or None) -> context dict, or None


@dataclass(frozen=True)
class PersonalData:
    key: str
    label: object
    collect: object  # (institution, user) -> list of {label: value} dicts
    erase: object  # (institution, user) -> number of rows deleted


SECTIONS, DATA = [], []
# (institution, request parameters) -> True when the sign-in is asked for something open
# to the public (a workshop session): any address may then sign in, as a participant who
# is not of the community (is_community) and reaches public things only.
OPEN_TO_ALL = []
# (institution, user) -> True when something else vouches that the person is one of the
# community: their institution's identity provider (sobrio.identity) by their affiliation.
COMMUNITY = []


def register_section(section):
    SECTIONS.append(section)


def register_data(data):
    DATA.append(data)


def sections(request, institution, membership):
    out = []
    for section in sorted(SECTIONS, key=lambda s: s.order):
        context = section.build(request, institution, membership)
        if context is not None:
            out.append((section.template, context))
    return out


def personal_data(institution, user):
    """[(label, rows)] of everything Sobrio keeps on this person in this institution."""
    membership = Membership.objects.filter(institution=institution, user=user).first()
    identity = {
        _("Adresse électronique"): user.email,
        _("Nom"): user.full_name,
        _("Rôle"): membership.get_role_display() if membership else "",
        _("Unité"): str(membership.affiliation or "") if membership else "",
        _("Inscrit·e le"): user.date_joined.date().isoformat(),
        _("Dernière connexion"): user.last_login.date().isoformat() if user.last_login else "",
    }
    out = [(_("Identité"), [identity])]
    for data in DATA:
        rows = data.collect(institution, user)
        if rows:
            out.append((data.label, rows))
    sign_ins = traces.sign_ins(user)
    if sign_ins:
        label = _("Connexions (adresses gardées %(n)s jours)") % {"n": settings.TRACE_ADDRESS_DAYS}
        out.append((label, sign_ins))
    changes = traces.journal(institution, user)
    if changes:
        out.append((_("Vos modifications dans le journal de l'établissement"), changes))
    return out


class SignInRefused(Exception):
    """A sign-in link that cannot be sent or used, with the reason to show."""


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _normal(email):
    return (email or "").strip().lower()


def may_take_part(institution, email):
    """An address of the domains the admin opened, an invitation, or a member already."""
    email = _normal(email)
    return (
        institution.opens_to(email)
        or Invitation.objects.filter(
            institution=institution,
            email__iexact=email,
            role=Role.PARTICIPANT,
            accepted_at=None,
        ).exists()
        or Membership.objects.filter(institution=institution, user__email__iexact=email).exists()
    )


def is_community(institution, user):
    """The team, and the people of the domains the admin opened or invited: those who may
    take the institution's quizzes and paths and its internal workshops."""
    membership = Membership.objects.filter(institution=institution, user=user).first()
    if membership is not None and membership.role != Role.PARTICIPANT:
        return True
    return (
        institution.opens_to(user.email)
        or Invitation.objects.filter(
            institution=institution, email__iexact=user.email, role=Role.PARTICIPANT
        ).exists()
        or any(check(institution, user) for check in COMMUNITY)
    )


def asks_open_to_all(institution, params):
    return any(check(institution, params) for check in OPEN_TO_ALL)


def request_link(institution, email, *, address, link_template, open_to_all=False):
    """Ask for a one-time sign-in link for email; the answer is the same, and as quick,
    whoever asks for whatever address: the limits below count every request alike
    (known addresses or not), and whether a link goes out is decided by deliver_link,
    in the worker (SOBRIO_PARTICIPANT_LINK_QUEUED), so no timing tells a member from a
    stranger. Limits (core/limits.py, shared by every server): per email address, per
    requester (IP) and a cap for the whole instance; Limited says how long to wait.
    link_template: the link's absolute URL with TOKEN where the token goes."""
    email = _normal(email)
    window = settings.PARTICIPANT_LINK_MINUTES * 60
    limits.hit("signin-email", hashlib.sha256(email.encode()).hexdigest()[:32],
               settings.PARTICIPANT_LINKS_PER_EMAIL, window)  # fmt: skip
    if address:
        limits.hit("signin-address", address, settings.PARTICIPANT_LINKS_PER_ADDRESS, window)
    limits.hit("signin-all", "all", settings.PARTICIPANT_LINKS_PER_WINDOW, window)
    args = (institution.pk, email, address or "", link_template, bool(open_to_all))
    if settings.PARTICIPANT_LINK_QUEUED:
        queue.enqueue("participation.deliver_link", *args)
    else:
        deliver_link(*args)


def deliver_link(institution_id, email, address, link_template, open_to_all, now=None):
    """Create and mail the link if the address may take part and has no unused link still
    valid (a stranger asking again and again sends one mail, and the person's own
    request finds that link in their mailbox); True when a mail went out."""
    from sobrio.core.models import Institution

    institution = Institution.objects.filter(pk=institution_id).first()
    if institution is None:
        return False
    now = now or timezone.now()
    minutes = settings.PARTICIPANT_LINK_MINUTES
    since = now - datetime.timedelta(minutes=minutes)
    if not open_to_all and not may_take_part(institution, email):
        return False
    if SignInLink.objects.filter(
        institution=institution, email=email, used_at=None, created_at__gte=since,
        open_to_all=open_to_all,
    ).exists():  # fmt: skip
        return False
    token = secrets.token_urlsafe(32)
    SignInLink.objects.create(
        institution=institution,
        email=email,
        token_hash=_hash(token),
        address=address or None,
        open_to_all=open_to_all,
    )
    body = "\n".join(
        [
            _("Bonjour,"),
            "",
            _("Voici votre lien de connexion à l'espace « Participer » de %(name)s sur Sobrio :")
            % {"name": institution.name},
            link_template.replace(TOKEN, token),
            "",
            ngettext(
                "Il sert une seule fois et pendant %(n)s minute.",
                "Il sert une seule fois et pendant %(n)s minutes.",
                minutes,
            )
            % {"n": minutes},
            _("Si vous n'avez rien demandé, ignorez ce message."),
        ]
    )
    send_mail(
        _("Sobrio : votre lien de connexion (%(name)s)") % {"name": institution},
        body,
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )
    return True


@transaction.atomic
def consume(institution, token, *, now=None):
    """The person a link signs in, with their membership (created as participant when
    they had none); the link then serves no more."""
    now = now or timezone.now()
    link = (
        SignInLink.objects.select_for_update()
        .filter(institution=institution, token_hash=_hash(token or ""))
        .first()
    )
    if link is None:
        raise SignInRefused(_("Ce lien n'est pas valable : demandez-en un nouveau."))
    if link.used_at is not None:
        raise SignInRefused(_("Ce lien a déjà servi : demandez-en un nouveau."))
    if link.created_at < now - datetime.timedelta(minutes=settings.PARTICIPANT_LINK_MINUTES):
        raise SignInRefused(_("Ce lien a expiré : demandez-en un nouveau."))
    if not link.open_to_all and not may_take_part(institution, link.email):  # closed since
        raise SignInRefused(_("Cette adresse n'est plus ouverte aux participant·es."))
    link.used_at = now
    link.save(update_fields=["used_at", "updated_at"])
    users = get_user_model().objects
    user = users.filter(email__iexact=link.email).first() or users.create_user(link.email)
    membership, _created = Membership.objects.get_or_create(
        institution=institution, user=user, defaults={"role": Role.PARTICIPANT}
    )
    Invitation.objects.filter(
        institution=institution, email__iexact=link.email, accepted_at=None
    ).update(accepted_at=now)
    return user, membership


# Listeners of a person's new name: (user, old public name, new public name), so that
# what was issued under the old one (certificates) follows.
RENAMED = []


@transaction.atomic
def rename(user, full_name):
    """The name the person chose (empty: back to their provider's, or initials)."""
    full_name = " ".join((full_name or "").split())[:150]
    if "@" in full_name:
        full_name = ""  # a name, not an address: pages others read never show one
    before = user.public_name
    if full_name == user.full_name and user.name_chosen == bool(full_name):
        return
    user.full_name = full_name
    user.name_chosen = bool(full_name)
    user.save(update_fields=["full_name", "name_chosen"])
    for listener in RENAMED:
        listener(user, before, user.public_name)


@transaction.atomic
def erase(institution, user):
    """Delete what Sobrio keeps on a participant in this institution; returns the rows
    deleted. A member of the team keeps their membership (the admin removes it); a
    participant's goes, and their account with it once they belong nowhere."""
    membership = Membership.objects.filter(institution=institution, user=user).first()
    participant = membership is not None and membership.role == Role.PARTICIPANT
    with traces.collecting() as rows:
        deleted = sum(data.erase(institution, user) for data in DATA)
        if participant:
            membership.delete()
            deleted += 1
        SignInLink.objects.filter(institution=institution, email__iexact=user.email).delete()
        account_gone = (
            not Membership.objects.filter(user=user).exists() and not user.has_usable_password()
        )
        traces.forget_person(institution, user, participant=participant, account_gone=account_gone)
        if account_gone:
            user.delete()
    traces.scrub_rows(rows)
    return deleted


def purge(*, now=None, dry_run=False):
    """Participants inactive for PARTICIPANT_RETENTION_DAYS, erased; spent links, deleted.
    Returns the participants concerned, as (institution, email)."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.PARTICIPANT_RETENTION_DAYS)
    unseen = Q(user__last_login__lt=limit) | Q(
        user__last_login__isnull=True, user__date_joined__lt=limit
    )
    stale = (
        Membership.objects.filter(role=Role.PARTICIPANT)
        .filter(unseen)
        .select_related("institution", "user")
    )
    concerned = [(m.institution, m.user.email) for m in stale]
    if not dry_run:
        for membership in list(stale):
            erase(membership.institution, membership.user)
        SignInLink.objects.filter(created_at__lt=now - datetime.timedelta(days=1)).delete()
    return concerned
