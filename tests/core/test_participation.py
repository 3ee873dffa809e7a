"""The « Participer » space: sign-in by one-time link, participants kept apart from the
team, « Mes données » and the purge of inactive participants."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sobrio.core import participation
from sobrio.core.enums import Role
from sobrio.core.models import Invitation, Membership, SignInLink, User
from tests.factories import InstitutionFactory, MembershipFactory


@pytest.fixture
def space(db):
    return InstitutionFactory(slug="univ-x", participant_domains="univ-x.fr\netu.univ-x.fr")


def _ask(client, institution, email, **extra):
    url = reverse("participate_signin", kwargs={"slug": institution.slug})
    return client.post(url, {"email": email}, **extra)


def _link_in_last_mail():
    return re.search(r"https?://\S+", mail.outbox[-1].body)[0]


def test_an_address_of_an_open_domain_signs_in_with_a_link_used_once(space, client):
    answer = _ask(client, space, "Lea.Martin@ETU.univ-x.fr")
    assert answer.status_code == 200 and "un lien de connexion vient" in answer.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lea.martin@etu.univ-x.fr"]
    link = _link_in_last_mail()
    assert "15 minutes" in mail.outbox[0].body
    page = client.get(link)  # a mail scanner opening the link spends nothing
    assert page.status_code == 200 and "Me connecter" in page.content.decode()
    assert not SignInLink.objects.get().used_at
    done = client.post(link)
    assert done.status_code == 302 and done["Location"] == "/participer/univ-x/"
    membership = Membership.objects.get(user__email="lea.martin@etu.univ-x.fr")
    assert membership.role == Role.PARTICIPANT and membership.institution == space
    assert not membership.user.has_usable_password()
    client.logout()
    again = client.post(link)
    assert again.status_code == 400 and "déjà servi" in again.content.decode()


def test_a_link_expires_and_serves_its_own_institution_only(space, client):
    other = InstitutionFactory(slug="autre", participant_domains="univ-x.fr")
    _ask(client, space, "a@univ-x.fr")
    token = _link_in_last_mail().split("/connexion/")[1].split("/")[0]
    elsewhere = reverse("participate_link", kwargs={"slug": other.slug, "token": token})
    assert "pas valable" in client.post(elsewhere).content.decode()
    SignInLink.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    here = reverse("participate_link", kwargs={"slug": space.slug, "token": token})
    assert "a expiré" in client.post(here).content.decode()
    assert not Membership.objects.filter(user__email="a@univ-x.fr").exists()


def test_other_addresses_need_an_invitation_and_learn_nothing(space, client):
    answer = _ask(client, space, "someone@gmail.com").content.decode()
    assert "Si cette adresse est ouverte" in answer and not mail.outbox
    Invitation.objects.create(institution=space, email="guest@gmail.com", role=Role.PARTICIPANT)
    same = _ask(client, space, "guest@gmail.com").content.decode()
    assert "Si cette adresse est ouverte" in same and len(mail.outbox) == 1
    client.post(_link_in_last_mail())
    assert Invitation.objects.get().accepted_at is not None


def test_links_are_rate_limited_per_address_and_per_ip(space, client, settings):
    """Issue 26: every address is counted alike (a stranger's address too), one mail while
    a link is still unused, and a refusal is a 429 that says when to come back."""
    for _ in range(settings.PARTICIPANT_LINKS_PER_EMAIL):
        assert _ask(client, space, "b@univ-x.fr").status_code == 200
    assert len(mail.outbox) == 1  # the first link is still valid: no second mail
    refused = _ask(client, space, "b@univ-x.fr")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Trop de demandes" in refused.content.decode()
    for _ in range(settings.PARTICIPANT_LINKS_PER_EMAIL):  # a stranger: the same answers
        assert _ask(client, space, "nobody@gmail.com", REMOTE_ADDR="10.0.0.8").status_code == 200
    assert _ask(client, space, "nobody@gmail.com", REMOTE_ADDR="10.0.0.8").status_code == 429
    sent = len(mail.outbox)
    for n in range(settings.PARTICIPANT_LINKS_PER_ADDRESS):
        _ask(client, space, f"c{n}@univ-x.fr", REMOTE_ADDR="10.0.0.9")
    refused = _ask(client, space, "late@univ-x.fr", REMOTE_ADDR="10.0.0.9")
    assert refused.status_code == 429 and "Trop de demandes" in refused.content.decode()
    assert len(mail.outbox) - sent == settings.PARTICIPANT_LINKS_PER_ADDRESS
    assert _ask(client, space, "late@univ-x.fr", REMOTE_ADDR="10.0.0.10").status_code == 200


def test_the_sign_in_answer_is_the_same_work_for_members_and_strangers(space, client, settings):
    """Queued (as deployed), the request only counts and queues: the mail is decided by
    the worker, so a known address costs the request no more than an unknown one."""
    from django_tasks_db.models import DBTaskResult

    settings.PARTICIPANT_LINK_QUEUED = True
    known = _ask(client, space, "lea@univ-x.fr").content.decode()
    unknown = _ask(client, space, "nobody@gmail.com").content.decode()
    assert not mail.outbox and DBTaskResult.objects.count() == 2
    strip = lambda page: re.sub(r'value="[^"]+"', "", page)  # noqa: E731 - token, address
    assert strip(known) == strip(unknown)
    for task in DBTaskResult.objects.order_by("enqueued_at"):
        participation.deliver_link(*task.args_kwargs["args"])
    assert [m.to for m in mail.outbox] == [["lea@univ-x.fr"]]


def test_participants_stay_out_of_the_teams_pages_and_lists(space, client):
    participant = MembershipFactory(institution=space, role=Role.PARTICIPANT)
    admin = MembershipFactory(institution=space, role=Role.ADMIN)
    client.force_login(participant.user)
    for name in ("dashboard", "measure", "plan", "member_list"):
        answer = client.get(reverse(name))
        assert answer.status_code == 302 and answer["Location"] == "/participer/univ-x/", name
    home = client.get("/participer/univ-x/").content.decode()
    assert "Mes données" in home and "Tableau de bord" not in home
    client.force_login(admin.user)
    members = client.get(reverse("member_list")).content.decode()
    assert participant.user.email not in members and admin.user.email in members
    form = client.get(reverse("member_add")).content.decode()
    assert 'value="participant"' not in form  # the team's roles only


def test_my_data_is_shown_downloaded_and_erased(space, client):
    participant = MembershipFactory(institution=space, role=Role.PARTICIPANT)
    participant.user.set_unusable_password()  # as the sign-in link creates them
    participant.user.save()
    client.force_login(participant.user)
    url = reverse("participate_data", kwargs={"slug": space.slug})
    page = client.get(url).content.decode()
    assert participant.user.email in page and "730 jours" in page
    download = client.get(url, {"format": "json"})
    assert download["Content-Type"].startswith("application/json")
    assert participant.user.email in download.content.decode()
    erase = reverse("participate_data_erase", kwargs={"slug": space.slug})
    assert client.post(erase).status_code == 302  # not confirmed: nothing happens
    assert User.objects.filter(pk=participant.user.pk).exists()
    client.post(erase, {"confirm": "oui"})
    assert not User.objects.filter(pk=participant.user.pk).exists()
    assert not client.session.get("_auth_user_id")

    officer = MembershipFactory(institution=space, role=Role.OFFICER)
    client.force_login(officer.user)
    client.post(erase, {"confirm": "oui"})
    assert Membership.objects.filter(pk=officer.pk).exists()  # the team keeps its member


def test_inactive_participants_are_purged_after_the_retention(space, settings):
    old = MembershipFactory(institution=space, role=Role.PARTICIPANT)
    recent = MembershipFactory(institution=space, role=Role.PARTICIPANT)
    staff = MembershipFactory(institution=space, role=Role.VIEWER)
    long_ago = timezone.now() - datetime.timedelta(days=settings.PARTICIPANT_RETENTION_DAYS + 1)
    User.objects.filter(pk__in=[old.user_id, staff.user_id]).update(last_login=long_ago)
    User.objects.filter(pk=recent.user_id).update(last_login=timezone.now())
    assert participation.purge(dry_run=True) == [(space, old.user.email)]
    assert Membership.objects.filter(pk=old.pk).exists()
    participation.purge()
    assert not Membership.objects.filter(pk=old.pk).exists()
    assert Membership.objects.filter(pk__in=[recent.pk, staff.pk]).count() == 2


def test_open_domains_are_checked_and_tidied(db):
    institution = InstitutionFactory(participant_domains="@Univ-X.fr, etu.univ-x.fr univ-x.fr")
    institution.full_clean()
    assert institution.domains() == ["univ-x.fr", "etu.univ-x.fr"]
    assert institution.opens_to("Zoe@UNIV-X.FR") and not institution.opens_to("z@x-univ-x.fr")
    institution.participant_domains = "univ x.fr"
    with pytest.raises(ValidationError, match="n'est pas un nom de domaine"):
        institution.full_clean()


def test_a_participant_names_their_unit_and_the_team_invites_others(space, client):
    from sobrio.core.models import Unit

    bu = Unit.objects.create(institution=space, name="Bibliothèque")
    person = MembershipFactory(institution=space, role=Role.PARTICIPANT)
    client.force_login(person.user)
    url = reverse("participate_data", kwargs={"slug": space.slug})
    client.post(url, {"affiliation": bu.pk})
    person.refresh_from_db()
    assert person.affiliation == bu
    assert "Bibliothèque" in client.get(url).content.decode()
    officer = MembershipFactory(institution=space, role=Role.OFFICER)
    client.force_login(officer.user)
    page = reverse("participants")
    refused = client.post(page, {"emails": "pas-une-adresse"}).content.decode()
    assert "Adresses invalides" in refused and not mail.outbox
    client.post(page, {"emails": "ami@gmail.com, collegue@univ-x.fr\nami@gmail.com"})
    assert [m.to for m in mail.outbox] == [["ami@gmail.com"]]  # univ-x.fr is open already
    assert Invitation.objects.filter(email="ami@gmail.com", role=Role.PARTICIPANT).count() == 1
    listing = client.get(page, {"format": "csv"}).content.decode("utf-8-sig")
    assert person.user.email in listing and "Bibliothèque" in listing


def test_erasure_scrubs_the_journal_and_the_sign_in_log_and_addresses_expire(space, client):
    """Issue 26: the erase and the purge left the person's email, address and idea text in
    the journal and the sign-in log, and « Mes données » did not list them."""
    from auditlog.context import set_actor
    from auditlog.models import LogEntry
    from axes.models import AccessLog

    from sobrio.core import traces
    from sobrio.ideas import services as ideas

    participant = MembershipFactory(institution=space, role=Role.PARTICIPANT)
    person = participant.user
    person.set_unusable_password()
    person.save()
    officer = MembershipFactory(institution=space, role=Role.OFFICER).user
    with set_actor(person, remote_addr="10.1.2.3"):
        idea = ideas.propose(space, person, title="Éteindre", text="Secret de Léa", theme="usage")
    with set_actor(officer, remote_addr="10.9.9.9"):
        idea.text = "Secret de Léa, reformulé"
        idea.save()
    AccessLog.objects.create(username=person.email, ip_address="10.1.2.3", user_agent="Firefox",
                             http_accept="*/*", path_info="/")  # fmt: skip

    client.force_login(person)
    page = client.get(reverse("participate_data", kwargs={"slug": space.slug})).content.decode()
    assert "Connexions (adresses gardées 180 jours)" in page and "Firefox" in page
    assert "Vos modifications dans le journal" in page and "10.1.2.3" in page

    client.post(reverse("participate_data_erase", kwargs={"slug": space.slug}), {"confirm": "oui"})
    journal = " ".join(
        f"{e.object_repr} {e.changes} {e.changes_text} {e.remote_addr} {e.serialized_data}"
        for e in LogEntry.objects.all()
    )
    for trace in ("Secret de Léa", person.email, "10.1.2.3", "10.9.9.9"):
        assert trace not in journal, trace
    assert LogEntry.objects.filter(actor=officer).exists()  # the team's record stays
    assert not AccessLog.objects.filter(username=person.email).exists()

    old = timezone.now() - datetime.timedelta(days=181)
    LogEntry.objects.filter(actor=officer).update(remote_addr="10.9.9.8", timestamp=old)
    recent = LogEntry.objects.log_create(officer.memberships.get(), action=LogEntry.Action.UPDATE,
                                         changes={}, force_log=True)  # fmt: skip
    LogEntry.objects.filter(pk=recent.pk).update(remote_addr="10.7.7.7")
    kept = AccessLog.objects.create(username="b@univ-x.fr", ip_address="10.5.5.5",
                                    user_agent="", http_accept="", path_info="/")  # fmt: skip
    gone = AccessLog.objects.create(username="c@univ-x.fr", ip_address="10.6.6.6",
                                    user_agent="", http_accept="", path_info="/")  # fmt: skip
    AccessLog.objects.filter(pk=gone.pk).update(attempt_time=old)
    traces.expire()
    assert not LogEntry.objects.filter(remote_addr="10.9.9.8").exists()
    assert LogEntry.objects.filter(pk=recent.pk, remote_addr="10.7.7.7").exists()
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [kept.pk]
