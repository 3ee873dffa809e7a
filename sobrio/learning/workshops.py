"""Workshops and webinars: registration, the waiting list, emails with iCalendar, check-in
and the anonymous survey.

Places are counted under a lock on the session's row, so two people taking the last
place at once get one place and one spot on the waiting list. A place that frees up is
offered to the first in line for a limited time (the session's offer_hours, shorter close
to the date); an offer not confirmed in time passes to the next one.
"""

import datetime
import zoneinfo

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrio.learning.models import Audience, Registration, RegistrationState, Session, SurveyAnswer

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
HOLDING = (RegistrationState.CONFIRMED, RegistrationState.OFFERED)  # states holding a place
ACTIVE = (*HOLDING, RegistrationState.PENDING, RegistrationState.WAITING)
MIN_OFFER = datetime.timedelta(hours=2)


def ends_at(session):
    return session.starts_at + datetime.timedelta(minutes=session.duration_minutes)


def taken(session):
    return session.registrations.filter(state__in=HOLDING).count()


def free_places(session):
    return max(0, session.capacity - taken(session))


def is_open_for_registration(session, now=None):
    now = now or timezone.now()
    return session.cancelled_at is None and now < session.starts_at


def _locked(session):
    return Session.objects.select_for_update().get(pk=session.pk)


def _waiting(session):
    return session.registrations.filter(state=RegistrationState.WAITING).order_by("queued_at", "pk")


def register(session, user, answers=(), *, may_take_part=None, link_for=None, now=None):
    """The person's registration: confirmed while there is a place (or pending when the
    team approves registrations), else on the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked(session)
        if not is_open_for_registration(session, now):
            raise ValidationError(_("Les inscriptions à cette séance sont closes."))
        internal = session.audience == Audience.INTERNAL and may_take_part is not None
        if internal and not may_take_part(session.institution, user.email):
            message = _("Cette séance est réservée à la communauté de l'établissement.")
            raise ValidationError(message)
        registration = Registration.objects.filter(session=session, user=user).first()
        if registration is not None and registration.state in ACTIVE:
            return registration
        if registration is None:
            registration = Registration(institution=session.institution, session=session, user=user)
        registration.answers = [str(a)[:500] for a in answers][:3]
        registration.queued_at = now  # back in line, as anyone arriving now
        registration.checked_in_at = None
        if session.approval:
            registration.state = RegistrationState.PENDING
        elif free_places(session) > 0:
            registration.state = RegistrationState.CONFIRMED
        else:
            registration.state = RegistrationState.WAITING
        registration.save()
    notify(registration, link_for)
    return registration


def approve(registration, *, link_for=None, now=None):
    with transaction.atomic():
        session = _locked(registration.session)
        registration.refresh_from_db()
        if registration.state != RegistrationState.PENDING:
            return registration
        registration.state = (
            RegistrationState.CONFIRMED if free_places(session) > 0 else RegistrationState.WAITING
        )
        registration.queued_at = now or timezone.now()
        registration.save(update_fields=["state", "queued_at", "updated_at"])
    notify(registration, link_for)
    return registration


def reject(registration):
    if registration.state == RegistrationState.PENDING:
        registration.state = RegistrationState.REJECTED
        registration.save(update_fields=["state", "updated_at"])
        notify(registration)
    return registration


def withdraw(registration, *, link_for=None, now=None):
    """The person leaves; the place they held goes to the first in line."""
    with transaction.atomic():
        session = _locked(registration.session)
        registration.refresh_from_db()
        if registration.state not in ACTIVE:
            return registration
        registration.state = RegistrationState.WITHDRAWN
        registration.save(update_fields=["state", "updated_at"])
        offered = _promote(session, now)
    for other in offered:
        notify(other, link_for)
    return registration


def offer_length(session, now):
    """How long an offered place waits: offer_hours, never past half the time left before
    the session, and two hours at least when there is time."""
    before = session.starts_at - now
    wanted = datetime.timedelta(hours=session.offer_hours)
    return max(min(wanted, before / 2), min(MIN_OFFER, before))


def _promote(session, now=None):
    """Offer each free place to the next in line; returns the registrations offered."""
    now = now or timezone.now()
    if not is_open_for_registration(session, now):
        return []
    offered = []
    places = free_places(session)
    for registration in _waiting(session)[:places]:
        registration.state = RegistrationState.OFFERED
        registration.offer_expires_at = now + offer_length(session, now)
        registration.save(update_fields=["state", "offer_expires_at", "updated_at"])
        offered.append(registration)
    return offered


def confirm_offer(registration, *, link_for=None, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        _locked(registration.session)
        registration.refresh_from_db()
        if registration.state != RegistrationState.OFFERED:
            raise ValidationError(_("Aucune place ne vous est proposée pour cette séance."))
        if registration.offer_expires_at and registration.offer_expires_at <= now:
            raise ValidationError(_("Le délai pour accepter cette place est passé."))
        registration.state = RegistrationState.CONFIRMED
        registration.offer_expires_at = None
        registration.save(update_fields=["state", "offer_expires_at", "updated_at"])
    notify(registration, link_for)
    return registration


def expire_offers(session=None, *, link_for=None, now=None):
    """Offers not confirmed in time: lost, and the place goes to the next in line."""
    now = now or timezone.now()
    late = Registration.objects.filter(
        state=RegistrationState.OFFERED, offer_expires_at__lte=now
    ).select_related("session")
    if session is not None:
        late = late.filter(session=session)
    sessions = {r.session_id: r.session for r in late}
    offered = []
    for current in sessions.values():
        with transaction.atomic():
            locked = _locked(current)
            for registration in locked.registrations.filter(
                state=RegistrationState.OFFERED, offer_expires_at__lte=now
            ):
                registration.state = RegistrationState.EXPIRED
                registration.save(update_fields=["state", "updated_at"])
            offered += _promote(locked, now)
    for registration in offered:
        notify(registration, link_for)
    return offered


def cancel(session, *, now=None):
    session.cancelled_at = now or timezone.now()
    session.save(update_fields=["cancelled_at", "updated_at"])
    for registration in session.registrations.filter(state__in=ACTIVE):
        notify(registration)


def check_in(registration, present=True, now=None):
    if registration.state != RegistrationState.CONFIRMED:
        raise ValidationError(_("Seules les personnes inscrites sont pointées."))
    registration.checked_in_at = (now or timezone.now()) if present else None
    registration.save(update_fields=["checked_in_at", "updated_at"])
    if present:
        for listener in ATTENDED:
            listener(registration)
    return registration


# Listeners of an attendance (modules validated by a workshop, badges to come).
ATTENDED = []


@transaction.atomic
def answer_survey(registration, rating, comment=""):
    """One anonymous answer per attendee: the answer keeps no link to the person."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.checked_in_at is None:
        raise ValidationError(_("Le questionnaire est pour les personnes présentes."))
    if registration.surveyed:
        raise ValidationError(_("Vous avez déjà donné votre avis sur cette séance."))
    if rating not in range(1, 6):
        raise ValidationError(_("Une note de 1 à 5."))
    SurveyAnswer.objects.create(
        institution=registration.institution,
        session=registration.session,
        rating=rating,
        comment=comment[:2000],
    )
    registration.surveyed = True
    registration.save(update_fields=["surveyed", "updated_at"])


# --- emails and calendars ---------------------------------------------------------------


def calendar(sessions, *, with_link_for=None):
    """An iCalendar (RFC 5545) of sessions, times in Europe/Paris with their time zone;
    the online link only in with_link_for's registrations."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Sobrio//Sensibilisation//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-timezone", "Europe/Paris")
    cal.add_missing_timezones()
    for session in sessions:
        event = icalendar.Event()
        event.add("uid", f"session-{session.pk}@sobrio")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", session.starts_at.astimezone(PARIS))
        event.add("dtend", ends_at(session).astimezone(PARIS))
        event.add("summary", str(session))
        if session.place:
            event.add("location", session.place)
        description = session.kind.description
        if with_link_for and session.link:
            description = f"{description}\n{session.link}".strip()
        if description:
            event.add("description", description)
        if session.cancelled_at:
            event.add("status", "CANCELLED")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _when(session):
    start = timezone.localtime(session.starts_at, PARIS)
    return start.strftime("%d/%m/%Y %H:%M")


def notify(registration, link_for=None):
    """The email that goes with the registration's state (confirmation with an .ics,
    waiting list, offer, refusal, cancellation)."""
    session = registration.session
    state = registration.state
    where = session.place or (_("à distance") if session.link else "")
    lines = [_("Bonjour,"), ""]
    attach = False
    if session.cancelled_at:
        subject = _("Séance annulée : %(s)s") % {"s": session}
        lines.append(
            _("La séance « %(s)s » du %(when)s est annulée. Nous vous prions de nous en excuser.")
            % {"s": session, "when": _when(session)}
        )
    elif state == RegistrationState.CONFIRMED:
        subject = _("Inscription confirmée : %(s)s") % {"s": session}
        lines.append(
            _("Votre place est confirmée pour « %(s)s », le %(when)s (heure de Paris), %(where)s.")
            % {"s": session, "when": _when(session), "where": where}
        )
        if session.link:
            lines.append(_("Lien de connexion : %(link)s") % {"link": session.link})
        lines.append(_("L'invitation de calendrier est jointe."))
        attach = True
    elif state == RegistrationState.WAITING:
        subject = _("Liste d'attente : %(s)s") % {"s": session}
        lines.append(
            _(
                "La séance est complète : vous êtes sur la liste d'attente. Si une place se "
                "libère, elle vous sera proposée par courriel."
            )  # fmt: skip
        )
    elif state == RegistrationState.PENDING:
        subject = _("Demande d'inscription reçue : %(s)s") % {"s": session}
        lines.append(_("L'équipe validera votre inscription et vous écrira."))
    elif state == RegistrationState.OFFERED:
        subject = _("Une place s'est libérée : %(s)s") % {"s": session}
        expires = timezone.localtime(registration.offer_expires_at, PARIS)
        lines.append(
            _(
                "Une place vous est proposée. Confirmez-la avant le %(when)s, sans quoi elle "
                "passera à la personne suivante."
            )  # fmt: skip
            % {"when": expires.strftime("%d/%m/%Y %H:%M")}
        )
    elif state == RegistrationState.REJECTED:
        subject = _("Inscription non retenue : %(s)s") % {"s": session}
        lines.append(_("Votre inscription n'a pas pu être retenue pour cette séance."))
    else:
        return
    if link_for:
        lines += ["", link_for(registration)]
    message = EmailMessage(
        subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [registration.user.email]
    )
    if attach:
        message.attach("seance.ics", calendar([session], with_link_for=True), "text/calendar")
    message.send()


def email_link(registration):
    """The session's page for emails sent without a request (the worker): from BASE_URL."""
    from django.urls import reverse

    path = reverse(
        "participate_session",
        kwargs={"slug": registration.institution.slug, "session_id": registration.session_id},
    )
    return f"{settings.BASE_URL}{path}" if settings.BASE_URL else path


def send_reminders(now=None, link_for=None):
    """The day before: a reminder to everyone confirmed (once)."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        state=RegistrationState.CONFIRMED,
        reminded_at=None,
        session__cancelled_at=None,
        session__starts_at__gt=now,
        session__starts_at__lte=now + datetime.timedelta(hours=24),
    ).select_related("session__kind", "user")
    sent = 0
    for registration in due:
        session = registration.session
        body = "\n".join(
            [
                _("Bonjour,"),
                "",
                _("Rappel : « %(s)s » a lieu le %(when)s (heure de Paris), %(where)s.")
                % {"s": session, "when": _when(session), "where": session.place or session.link},
                _(
                    "Si vous ne pouvez plus venir, désinscrivez-vous : la place ira à une autre "
                    "personne."
                ),  # fmt: skip
                *([link_for(registration)] if link_for else []),
            ]
        )
        EmailMessage(
            _("Rappel : %(s)s demain") % {"s": session},
            body,
            settings.DEFAULT_FROM_EMAIL,
            [registration.user.email],
        ).send()
        registration.reminded_at = now
        registration.save(update_fields=["reminded_at", "updated_at"])
        sent += 1
    return sent
