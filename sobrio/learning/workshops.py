"""Workshops and webinars: registration, the waiting list, emails with iCalendar, check-in
and the anonymous survey.

Places are counted under a lock on the session's row, so two people taking the last
place at once get one place and one spot on the waiting list. A place that frees up is
offered to the first in line for a limited time (the session's offer_hours, shorter close
to the date); an offer not confirmed in time passes to the next one.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
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
        was_confirmed = registration.state == RegistrationState.CONFIRMED
        registration.state = RegistrationState.WITHDRAWN
        registration.save(update_fields=["state", "updated_at"])
        offered = _promote(session, now)
    if was_confirmed:
        notify_change(registration, withdrawn=True)
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
    Session.objects.filter(pk=session.pk).update(
        cancelled_at=now or timezone.now(), sequence=models.F("sequence") + 1,
        updated_at=timezone.now(),
    )  # fmt: skip
    session.refresh_from_db(fields=["cancelled_at", "sequence", "updated_at"])
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


def _host():
    """This instance's name, so that two Sobrio servers never give the same UID."""
    from urllib.parse import urlsplit

    host = urlsplit(settings.BASE_URL).hostname if settings.BASE_URL else None
    names = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*" and ":" not in h]
    return host or next(iter(names), "localhost")


def event_uid(session):
    return f"session-{session.pk}@{_host()}"


def paris_timezone():
    """Europe/Paris as a VTIMEZONE written from its rules, valid for every year since 1996:
    UTC+1 (CET), summer time UTC+2 (CEST) from the last Sunday of March at 02:00 local to
    the last Sunday of October at 03:00 local (both at 01:00 UTC, directive 2000/84/CE).
    Recurrence rules, not a list of dates: no end year, and a client that reads only the
    first rule still gets the right one."""
    import icalendar  # when a calendar is made, not at start-up

    zone = icalendar.Timezone()
    zone.add("tzid", "Europe/Paris")
    for part, starts, month, before, after, name in (
        (icalendar.TimezoneDaylight(), datetime.datetime(1996, 3, 31, 2), 3, 1, 2, "CEST"),
        (icalendar.TimezoneStandard(), datetime.datetime(1996, 10, 27, 3), 10, 2, 1, "CET"),
    ):
        part.add("dtstart", starts)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        part.add("tzoffsetfrom", datetime.timedelta(hours=before))
        part.add("tzoffsetto", datetime.timedelta(hours=after))
        part.add("tzname", name)
        zone.add_component(part)
    return zone


def calendar(sessions, *, with_link_for=None, method=None, attendee=None):
    """An iCalendar (RFC 5545) of sessions, times in Europe/Paris with their time zone;
    the online link only in with_link_for's registrations. With a method (RFC 5546:
    REQUEST, CANCEL) it is an invitation to attendee (a user), sent by the institution."""
    import icalendar  # when a calendar is made, not at start-up

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Sobrio//Sensibilisation//FR")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    cal.add("x-wr-timezone", "Europe/Paris")
    cal.add_component(paris_timezone())
    for session in sessions:
        event = icalendar.Event()
        event.add("uid", event_uid(session))
        event.add("sequence", session.sequence)
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
        if session.cancelled_at or method == "CANCEL":
            event.add("status", "CANCELLED")
        if method:
            organizer = icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
            organizer.params["cn"] = session.institution.name
            event.add("organizer", organizer)
            person = icalendar.vCalAddress(f"mailto:{attendee.email}")
            person.params.update(
                {"cn": attendee.full_name or attendee.email, "role": "REQ-PARTICIPANT",
                 "partstat": "DECLINED" if method == "CANCEL" else "ACCEPTED"}
            )  # fmt: skip
            event.add("attendee", person)
        cal.add_component(event)
    return cal.to_ical()


def _attach_invitation(message, registration, method):
    """The calendar part as mail clients take an invitation (RFC 6047): text/calendar with
    its method, beside the text."""
    from email.mime.text import MIMEText

    ics = calendar(
        [registration.session], with_link_for=True, method=method, attendee=registration.user
    )
    part = MIMEText(ics.decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="seance.ics")
    message.attach(part)


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
    attach = None
    if session.cancelled_at:
        subject = _("Séance annulée : %(s)s") % {"s": session}
        lines.append(
            _("La séance « %(s)s » du %(when)s est annulée. Nous vous prions de nous en excuser.")
            % {"s": session, "when": _when(session)}
        )
        if state == RegistrationState.CONFIRMED:  # it is in their calendar: take it out
            attach = "CANCEL"
    elif state == RegistrationState.CONFIRMED:
        subject = _("Inscription confirmée : %(s)s") % {"s": session}
        lines.append(
            _("Votre place est confirmée pour « %(s)s », le %(when)s (heure de Paris), %(where)s.")
            % {"s": session, "when": _when(session), "where": where}
        )
        if session.link:
            lines.append(_("Lien de connexion : %(link)s") % {"link": session.link})
        lines.append(_("L'invitation de calendrier est jointe."))
        attach = "REQUEST"
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
        _attach_invitation(message, registration, attach)
    message.send()


def notify_change(registration, *, withdrawn=False, link_for=None):
    """To a confirmed person, when the session moved (the invitation updated, a higher
    SEQUENCE) or when they left it (the invitation cancelled)."""
    session = registration.session
    if withdrawn:
        subject = _("Désinscription enregistrée : %(s)s") % {"s": session}
        text = _("Votre inscription à « %(s)s » du %(when)s est annulée, à votre demande.")
    else:
        subject = _("Séance modifiée : %(s)s") % {"s": session}
        text = _(
            "La séance « %(s)s » a changé : elle a lieu le %(when)s (heure de Paris), "
            "%(where)s. L'invitation de calendrier jointe remplace la précédente."
        )
    where = session.place or (_("à distance") if session.link else "")
    lines = [_("Bonjour,"), "", text % {"s": session, "when": _when(session), "where": where}]
    if link_for:
        lines += ["", link_for(registration)]
    message = EmailMessage(
        subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [registration.user.email]
    )
    _attach_invitation(message, registration, "CANCEL" if withdrawn else "REQUEST")
    message.send()


MOVES = ("starts_at", "duration_minutes", "place", "link")  # what changes an invitation


def session_changed(session, changed, *, link_for=None):
    """After the team edited a session: if it moved, a new SEQUENCE and the updated
    invitation to everyone confirmed. Returns how many were told."""
    if not set(changed) & set(MOVES) or session.cancelled_at:
        return 0
    Session.objects.filter(pk=session.pk).update(sequence=models.F("sequence") + 1)
    session.refresh_from_db(fields=["sequence"])
    told = 0
    for registration in session.registrations.filter(
        state=RegistrationState.CONFIRMED
    ).select_related("user", "session__kind", "session__institution"):
        notify_change(registration, link_for=link_for)
        told += 1
    return told


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
