"""The idea box: propose, vote once (and take it back), comment; moderate, merge, answer;
an accepted idea becomes a plan action, and is done when the action is."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sobrio.core.enums import Role
from sobrio.ideas import services as ideas
from sobrio.ideas.models import Idea, IdeaComment, IdeaVote
from sobrio.ideas.space import ideas_erase
from sobrio.plan import services as plan_services
from sobrio.plan.models import Status
from tests.factories import AxisFactory, IdeaFactory, InstitutionFactory, MembershipFactory


@pytest.fixture
def space(db):
    return InstitutionFactory(slug="univ", participant_domains="example.org")


def _person(space, role=Role.PARTICIPANT):
    return MembershipFactory(institution=space, role=role)


def test_one_vote_each_taken_back_and_closed_once_declined(space):
    idea = IdeaFactory(institution=space)
    a, b = _person(space).user, _person(space).user
    assert ideas.toggle_vote(idea, a) is True and ideas.toggle_vote(idea, b) is True
    assert ideas.toggle_vote(idea, a) is False  # taken back
    assert list(idea.votes.values_list("user", flat=True)) == [b.pk]
    with pytest.raises(ValidationError, match="pourquoi"):
        ideas.set_status(idea, "declined")
    ideas.set_status(idea, "declined", reason="Déjà en place.")
    with pytest.raises(ValidationError, match="clos"):
        ideas.toggle_vote(idea, a)


def test_a_duplicate_merged_brings_its_votes_once_each(space):
    original, duplicate = IdeaFactory(institution=space), IdeaFactory(institution=space)
    a, b, c = (_person(space).user for _ in range(3))
    ideas.toggle_vote(original, a)
    for user in (a, b, c):
        ideas.toggle_vote(duplicate, user)
    assert ideas.merge(duplicate, original) == original
    assert original.votes.count() == 3 and duplicate.votes.count() == 0
    assert duplicate.merged_into == original
    assert original not in ideas.visible(space).filter(pk=duplicate.pk)
    with pytest.raises(ValidationError):
        ideas.merge(original, original)


def test_accepted_becomes_an_action_and_is_done_when_the_action_is(space, client):
    axis = AxisFactory(institution=space)
    officer = _person(space, Role.OFFICER)
    idea = IdeaFactory(institution=space, title="Recto verso par défaut")
    action = ideas.to_action(idea, axis, by=officer.user)
    idea.refresh_from_db()
    assert idea.action == action and idea.status == "accepted" and action.label == idea.title
    with pytest.raises(ValidationError, match="déjà"):
        ideas.to_action(idea, axis, by=officer.user)
    client.force_login(officer.user)
    page = client.get(reverse("plan_action", args=[action.pk])).content.decode()
    assert "Recto verso par défaut" in page and reverse("ideas_detail", args=[idea.pk]) in page
    plan_services.set_status(action, Status.DONE, officer.user)
    idea.refresh_from_db()
    assert idea.status == "done"
    participant = _person(space)
    client.force_login(participant.user)
    shown = client.get(reverse("participate_idea", args=["univ", idea.pk])).content.decode()
    assert "Réalisée" in shown and action.label in shown


def test_an_axis_of_another_institution_is_refused(space):
    with pytest.raises(ValidationError):
        ideas.to_action(IdeaFactory(institution=space), AxisFactory(), by=None)


def test_participants_propose_vote_and_comment_through_the_pages(space, client):
    person = _person(space)
    client.force_login(person.user)
    box = reverse("participate_ideas", args=["univ"])
    answer = client.post(box, {"title": "Éteindre les écrans", "theme": "uses",
                               "text": "Le soir, dans les salles."})  # fmt: skip
    idea = Idea.objects.get()
    assert answer["Location"] == reverse("participate_idea", args=["univ", idea.pk])
    assert idea.author == person.user and idea.institution == space
    page = reverse("participate_idea", args=["univ", idea.pk])
    client.post(page, {"step": "vote"})
    client.post(page, {"step": "comment", "text": "Oui, et les vidéoprojecteurs."})
    assert idea.votes.count() == 1 and idea.comments.count() == 1
    assert "1 vote" in client.get(box).content.decode()
    idea.hidden = True
    idea.save()
    assert client.get(page).status_code == 404
    assert "Éteindre les écrans" not in client.get(box).content.decode()


def test_a_public_sign_up_is_not_of_the_community(space, client):
    outsider = _person(space)
    outsider.user.email = "someone@elsewhere.net"
    outsider.user.save()
    client.force_login(outsider.user)
    assert client.get(reverse("participate_ideas", args=["univ"])).status_code == 403


def test_the_team_moderates_and_exports(space, client):
    idea = IdeaFactory(institution=space, title="Bourse aux écrans", theme="equipment")
    ideas.toggle_vote(idea, _person(space).user)
    officer = _person(space, Role.OFFICER)
    client.force_login(officer.user)
    url = reverse("ideas_detail", args=[idea.pk])
    client.post(url, {"step": "moderate", "status": "studied", "answer": "Nous regardons.",
                      "reason": ""})  # fmt: skip
    idea.refresh_from_db()
    assert idea.status == "studied" and idea.answer == "Nous regardons." and idea.answered_at
    listing = client.get(reverse("ideas_list"), {"theme": "equipment"}).content.decode()
    assert "Bourse aux écrans" in listing
    csv = b"".join(client.get(reverse("ideas_list"), {"format": "csv"})).decode("utf-8-sig")
    assert "Bourse aux écrans;Matériel et réemploi;À l'étude;1;" in csv
    viewer = _person(space, Role.VIEWER)
    client.force_login(viewer.user)
    assert client.post(url, {"step": "moderate", "status": "done"}).status_code == 403
    other = MembershipFactory(institution=InstitutionFactory(), role=Role.OFFICER)
    client.force_login(other.user)
    assert client.get(url).status_code == 404


def test_erasing_a_person_keeps_the_ideas_the_plan_took_up(space):
    person = _person(space).user
    kept = IdeaFactory(institution=space, author=person)
    ideas.to_action(kept, AxisFactory(institution=space), by=None)
    gone = IdeaFactory(institution=space, author=person)
    other = IdeaFactory(institution=space)
    ideas.toggle_vote(other, person)
    ideas.comment(other, person, "D'accord.")
    assert ideas_erase(space, person) == 4
    kept.refresh_from_db()
    assert kept.author is None and not Idea.objects.filter(pk=gone.pk).exists()
    assert not IdeaVote.objects.filter(user=person).exists()
    assert not IdeaComment.objects.filter(user=person).exists()
