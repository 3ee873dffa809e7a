"""Workshops and webinars: places, the waiting list, emails and calendars, check-in, survey."""

import datetime
import re
import threading

import icalendar
import pytest
from django.core import mail
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from sobrio.core.enums import Role
from sobrio.core.models import Membership, User
from sobrio.learning import workshops
from sobrio.learning.models import Registration, SurveyAnswer
from tests.factories import InstitutionFactory, MembershipFactory, SessionFactory, UserFactory


@pytest.fixture
def space(db):
    return InstitutionFactory(slug="univ", participant_domains="example.org")


def _people(institution, n):
    return [
        MembershipFactory(institution=institution, role=Role.PARTICIPANT).user for _ in range(n)
    ]


def _state(registration):
    registration.refresh_from_db()
    return registration.state


def test_places_then_the_waiting_list_then_an_offer_when_someone_withdraws(space):
    session = SessionFactory(institution=space, capacity=2)
    a, b, c, d = _people(space, 4)
    ra, rb, rc, rd = (workshops.register(session, u) for u in (a, b, c, d))
    assert [r.state for r in (ra, rb, rc, rd)] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert "Inscription confirmée" in mail.outbox[0].subject
    assert "Liste d'attente" in mail.outbox[2].subject
    mail.outbox.clear()
    workshops.withdraw(ra)
    assert _state(rc) == "offered" and _state(rd) == "waiting"  # the first in line
    assert mail.outbox[0].to == [a.email] and "Désinscription" in mail.outbox[0].subject
    assert mail.outbox[1].to == [c.email] and "Une place s'est libérée" in mail.outbox[1].subject
    rc.refresh_from_db()
    left = rc.offer_expires_at - timezone.now()
    assert datetime.timedelta(hours=47) < left <= datetime.timedelta(hours=48)
    workshops.confirm_offer(rc)
    assert _state(rc) == "confirmed" and workshops.free_places(session) == 0


def test_an_offer_not_confirmed_in_time_goes_to_the_next_in_line(space):
    session = SessionFactory(institution=space, capacity=1)
    a, b, c = _people(space, 3)
    ra, rb, rc = (workshops.register(session, u) for u in (a, b, c))
    workshops.withdraw(ra)
    rb.refresh_from_db()
    later = rb.offer_expires_at + datetime.timedelta(minutes=1)
    with pytest.raises(Exception, match="délai pour accepter"):
        workshops.confirm_offer(rb, now=later)
    workshops.expire_offers(now=later)
    assert _state(rb) == "expired" and _state(rc) == "offered"


def test_offers_are_shorter_close_to_the_date():
    now = timezone.now()
    session = SessionFactory.build(starts_at=now + datetime.timedelta(hours=10), offer_hours=48)
    assert workshops.offer_length(session, now) == datetime.timedelta(hours=5)
    session.starts_at = now + datetime.timedelta(hours=3)
    assert workshops.offer_length(session, now) == datetime.timedelta(hours=2)


@pytest.mark.django_db(transaction=True)
def test_ten_people_for_the_last_two_places_at_once_get_two_places():
    institution = InstitutionFactory(participant_domains="example.org")
    session = SessionFactory(institution=institution, capacity=2)
    users = [UserFactory() for _ in range(10 if connection.vendor == "postgresql" else 5)]
    errors = []

    def take(user):
        try:
            workshops.register(session, user)
        except Exception as error:  # noqa: BLE001 - the test counts them
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    states = list(Registration.objects.filter(session=session).values_list("state", flat=True))
    assert states.count("confirmed") == 2 and states.count("waiting") == len(users) - 2


def _invitation(message):
    """The text/calendar part of an email: (its method parameter, the calendar)."""
    (part,) = [a for a in message.attachments if a.get_content_type() == "text/calendar"]
    return part.get_param("method"), icalendar.Calendar.from_ical(part.get_payload(decode=True))


def test_the_confirmation_carries_an_invitation_in_paris_time(space, settings):
    settings.BASE_URL = "https://sobrio.univ-essai.fr"
    settings.DEFAULT_FROM_EMAIL = "nr@univ-essai.fr"
    starts = datetime.datetime(2027, 3, 20, 14, 0, tzinfo=workshops.PARIS)
    session = SessionFactory(institution=space, starts_at=starts, duration_minutes=180,
                             link="https://visio.example.org/fresque")  # fmt: skip
    person = _people(space, 1)[0]
    workshops.register(session, person)
    method, cal = _invitation(mail.outbox[0])
    assert method == "REQUEST" and cal["method"] == "REQUEST"  # RFC 5546 / 6047
    event = next(iter(cal.walk("VEVENT")))
    assert event.decoded("dtstart") == starts
    assert str(event["dtstart"].params["TZID"]) == "Europe/Paris"
    assert event.decoded("dtend") == starts + datetime.timedelta(hours=3)
    assert any(tz["TZID"] == "Europe/Paris" for tz in cal.walk("VTIMEZONE"))
    assert "visio.example.org" in str(event["description"])  # the link, to the registered
    assert str(event["uid"]) == f"session-{session.pk}@sobrio.univ-essai.fr"  # this server's
    assert str(event["organizer"]) == "mailto:nr@univ-essai.fr"
    assert str(event["attendee"]) == f"mailto:{person.email}" and event["sequence"] == 0


def test_a_moved_session_updates_and_a_cancelled_one_removes_the_invitation(space, client):
    session = SessionFactory(institution=space, capacity=5)
    stays, leaves = _people(space, 2)
    for person in (stays, leaves):
        workshops.register(session, person)
    officer = MembershipFactory(institution=space, role=Role.OFFICER).user
    client.force_login(officer)
    mail.outbox.clear()
    moved = timezone.localtime(session.starts_at + datetime.timedelta(days=1), workshops.PARIS)
    moved = moved.replace(second=0, microsecond=0)
    client.post(reverse("learning_session_edit", args=[session.pk]), {
        "kind": session.kind_id, "starts_at": moved.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": session.duration_minutes, "place": "Salle B", "capacity": 5,
        "audience": session.audience, "language": "fr", "offer_hours": session.offer_hours,
    })  # fmt: skip
    assert sorted(m.to[0] for m in mail.outbox) == sorted([stays.email, leaves.email])
    method, cal = _invitation(mail.outbox[0])
    event = next(iter(cal.walk("VEVENT")))
    assert method == "REQUEST" and event["sequence"] == 1 and str(event["location"]) == "Salle B"
    assert event.decoded("dtstart") == moved

    mail.outbox.clear()
    workshops.withdraw(Registration.objects.get(session=session, user=leaves))
    method, cal = _invitation(mail.outbox[0])
    assert mail.outbox[0].to == [leaves.email] and method == "CANCEL"
    mail.outbox.clear()
    workshops.cancel(session)
    method, cal = _invitation(mail.outbox[0])
    event = next(iter(cal.walk("VEVENT")))
    assert mail.outbox[0].to == [stays.email] and method == "CANCEL"
    assert str(event["status"]) == "CANCELLED" and event["sequence"] == 2


SWITCHES = [  # instants around both switches, this year and after 2038 (UTC)
    datetime.datetime(year, month, day, hour, minute, tzinfo=datetime.UTC)
    for year, month, day in ((2026, 3, 29), (2026, 10, 25), (2041, 3, 31), (2041, 10, 27))
    for hour, minute in ((0, 59), (1, 0), (1, 1))
] + [datetime.datetime(2026, 7, 14, 12, tzinfo=datetime.UTC),
     datetime.datetime(2040, 1, 10, 12, tzinfo=datetime.UTC)]  # fmt: skip


def test_the_time_zone_sent_agrees_with_zoneinfo_around_every_switch():
    cal = icalendar.Calendar.from_ical(workshops.calendar([]))
    (zone,) = cal.walk("VTIMEZONE")
    sent = zone.to_tz()  # the VTIMEZONE as a client builds it
    for instant in SWITCHES:
        assert instant.astimezone(sent).utcoffset() == (
            instant.astimezone(workshops.PARIS).utcoffset()
        ), instant


def test_ical_js_reads_the_sessions_at_the_right_instants(space, tmp_path):
    """npm's ical.js (as Thunderbird and many web calendars use it), installed by
    scripts/test.sh, converts each session's local time to UTC with the VTIMEZONE sent."""
    import json
    import os
    import shutil
    import subprocess

    modules = os.environ.get("ICALJS_DIR")
    if not modules or not shutil.which("node"):
        pytest.fail("ical.js is installed by scripts/test.sh (ICALJS_DIR): run the suite there")
    sessions = [
        SessionFactory(institution=space, starts_at=instant + datetime.timedelta(hours=1))
        for instant in SWITCHES
    ]
    ics = tmp_path / "seances.ics"
    ics.write_bytes(workshops.calendar(sessions))
    script = tmp_path / "read.mjs"
    script.write_text(
        f"import ICAL from {json.dumps(os.path.join(modules, 'ical.js/dist/ical.js'))};\n"
        "import { readFileSync } from 'node:fs';\n"
        f"const text = readFileSync({json.dumps(str(ics))}, 'utf8');\n"
        "const cal = new ICAL.Component(ICAL.parse(text));\n"
        "for (const z of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(z);\n"
        "const out = {};\n"
        "for (const v of cal.getAllSubcomponents('vevent')) {\n"
        "  const e = new ICAL.Event(v); out[e.uid] = e.startDate.toJSDate().toISOString(); }\n"
        "console.log(JSON.stringify(out));\n"
    )
    done = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    read = json.loads(done.stdout)
    for session in sessions:
        expected = session.starts_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        assert read[workshops.event_uid(session)] == expected, session.starts_at


def test_the_public_feed_lists_sessions_to_come_without_their_links(space, client):
    SessionFactory(institution=space, title="Fresque", link="https://secret.example.org/x")
    SessionFactory(institution=space, title="Annulée", cancelled_at=timezone.now())
    SessionFactory(institution=space, title="Passée",
                   starts_at=timezone.now() - datetime.timedelta(days=2))  # fmt: skip
    feed = client.get(reverse("participate_sessions_ics", kwargs={"slug": "univ"}))
    text = feed.content.decode()
    assert feed["Content-Type"] == "text/calendar" and "Fresque" in text
    assert "Annulée" not in text and "Passée" not in text and "secret.example.org" not in text


def test_approval_then_a_place_or_the_list(space):
    session = SessionFactory(institution=space, capacity=1, approval=True)
    a, b = _people(space, 2)
    ra, rb = workshops.register(session, a), workshops.register(session, b)
    assert (ra.state, rb.state) == ("pending", "pending")
    workshops.approve(ra)
    workshops.approve(rb)
    assert (_state(ra), _state(rb)) == ("confirmed", "waiting")
    rc = workshops.register(session, _people(space, 1)[0])
    workshops.reject(rc)
    assert _state(rc) == "rejected"


def test_a_participant_registers_without_javascript_and_sees_the_link_once_confirmed(space, client):
    session = SessionFactory(institution=space, capacity=1, link="https://visio.example.org/w",
                             questions=["Votre service ?"])  # fmt: skip
    person = _people(space, 1)[0]
    client.force_login(person)
    url = reverse("participate_session", kwargs={"slug": "univ", "session_id": session.pk})
    page = client.get(url).content.decode()
    assert "Votre service ?" in page and "visio.example.org" not in page
    client.post(url, {"action": "register", "answer_0": "DSI"})
    registration = Registration.objects.get()
    assert registration.state == "confirmed" and registration.answers == ["DSI"]
    assert "visio.example.org/w" in client.get(url).content.decode()
    client.post(url, {"action": "withdraw"})
    assert _state(registration) == "withdrawn"


def test_internal_sessions_are_for_the_community_public_ones_for_anyone(space, client):
    internal = SessionFactory(institution=space)
    public = SessionFactory(institution=space, audience="public")
    signin = reverse("participate_signin", kwargs={"slug": "univ"})
    client.post(signin, {"email": "visiteur@gmail.com", "seance": str(internal.pk)})
    assert not mail.outbox  # not open to the public: no link
    client.post(signin, {"email": "visiteur@gmail.com", "seance": str(public.pk)})
    link = re.search(r"https?://\S+", mail.outbox[-1].body)[0]
    client.post(link)
    visitor = User.objects.get(email="visiteur@gmail.com")
    assert Membership.objects.get(user=visitor).role == Role.PARTICIPANT
    page = lambda s: reverse("participate_session", kwargs={"slug": "univ", "session_id": s.pk})  # noqa: E731
    client.post(page(internal), {"action": "register"})
    assert not Registration.objects.filter(session=internal).exists()
    client.post(page(public), {"action": "register"})
    assert Registration.objects.get(session=public).user == visitor


def test_check_in_from_the_list_then_one_anonymous_survey_answer(space, client):
    session = SessionFactory(institution=space, capacity=5)
    people = _people(space, 2)
    registrations = [workshops.register(session, u) for u in people]
    officer = MembershipFactory(institution=space, role=Role.OFFICER)
    client.force_login(officer.user)
    checkin = reverse("learning_checkin", kwargs={"session_id": session.pk})
    assert people[0].full_name in client.get(checkin).content.decode()
    client.post(checkin, {"registration": registrations[0].pk, "present": "1"})
    registrations[0].refresh_from_db()
    assert registrations[0].checked_in_at is not None
    session.starts_at = timezone.now() - datetime.timedelta(hours=5)
    session.save()
    client.force_login(people[0])
    url = reverse("participate_session", kwargs={"slug": "univ", "session_id": session.pk})
    assert "Votre avis (anonyme)" in client.get(url).content.decode()
    client.post(url, {"action": "survey", "rating": "4", "comment": "Très utile"})
    client.post(url, {"action": "survey", "rating": "1", "comment": "Deuxième fois"})
    answers = list(SurveyAnswer.objects.values("rating", "comment"))
    assert answers == [{"rating": 4, "comment": "Très utile"}]
    assert not [f for f in SurveyAnswer._meta.get_fields() if f.name == "user"]  # anonymous
    client.force_login(people[1])  # registered but absent: no survey
    client.post(url, {"action": "survey", "rating": "5"})
    assert SurveyAnswer.objects.count() == 1


def test_reminders_the_day_before_once_and_cancellation_notices(space):
    session = SessionFactory(institution=space,
                             starts_at=timezone.now() + datetime.timedelta(hours=20))  # fmt: skip
    workshops.register(session, _people(space, 1)[0])
    mail.outbox.clear()
    assert workshops.send_reminders() == 1 and workshops.send_reminders() == 0
    assert "Rappel" in mail.outbox[0].subject
    mail.outbox.clear()
    workshops.cancel(session)
    assert len(mail.outbox) == 1 and "annulée" in mail.outbox[0].subject


def test_my_data_lists_registrations_and_erasing_frees_the_place(space, client):
    session = SessionFactory(institution=space, capacity=1)
    first, second = _people(space, 2)
    workshops.register(session, first)
    waiting = workshops.register(session, second)
    first.set_unusable_password()
    first.save()
    client.force_login(first)
    page = client.get(reverse("participate_data", kwargs={"slug": "univ"})).content.decode()
    assert "Inscriptions aux ateliers" in page
    client.post(reverse("participate_data_erase", kwargs={"slug": "univ"}), {"confirm": "oui"})
    assert _state(waiting) == "offered"  # the place went to the next one
    assert not Registration.objects.filter(user_id=first.pk).exists()
