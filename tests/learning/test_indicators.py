"""Awareness in the rest of the loop: indicator sources, reports, plan actions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sobrio.core.enums import Role
from sobrio.core.indicators import SOURCES
from sobrio.footprint import services as footprint
from sobrio.learning import paths, workshops
from sobrio.learning.models import Certificate, Module, SurveyAnswer
from tests.factories import (
    ActionFactory,
    InstitutionFactory,
    MembershipFactory,
    PathFactory,
    QuizFactory,
    SessionFactory,
)


@pytest.fixture
def held(db):
    """A session held last week: 3 registered, 2 present, one survey answer of 4."""
    institution = InstitutionFactory(participant_domains="example.org")
    session = SessionFactory(institution=institution, capacity=5)
    people = [MembershipFactory(institution=institution, role=Role.PARTICIPANT).user
              for _ in range(3)]  # fmt: skip
    registrations = [workshops.register(session, u) for u in people]
    for r in registrations[:2]:
        workshops.check_in(r)
    session.starts_at = timezone.now() - datetime.timedelta(days=7)
    session.save()
    SurveyAnswer.objects.create(institution=institution, session=session, rating=4)
    return institution, people


def test_indicator_sources_count_what_happened_and_say_how(held):
    institution, people = held
    today = timezone.localdate()
    read = lambda key: SOURCES[key].read(institution, today)  # noqa: E731
    assert read("awareness_sessions_held").value == 1
    assert read("awareness_attendance").value == pytest.approx(200 / 3)
    assert read("awareness_satisfaction").value == 4
    assert read("awareness_people_trained").value == 2
    share = read("awareness_headcount_trained")
    assert share.value is None and "effectifs" in share.note  # no headcount: no figure
    settings = footprint.settings_for(institution)
    settings.staff_count, settings.student_count = 30, 70
    settings.save()
    assert read("awareness_headcount_trained").value == pytest.approx(2)
    module = Module.objects.create(institution=institution, title="M", validation="decision")
    path = PathFactory(institution=institution)
    path.steps.create(institution=institution, module=module, position=1)
    paths.validate(module, people[2], "decision")
    assert Certificate.objects.count() == 1
    assert read("awareness_people_certified").value == 1
    assert read("awareness_people_trained").value == 3
    assert read("awareness_quiz_pass_rate").value is None  # nobody took a quiz


def test_reports_tell_the_awareness_of_their_period(held, client):
    from sobrio.reports import services as reports

    institution, _people = held
    today = timezone.localdate()
    data = reports.build(institution, today - datetime.timedelta(days=30), today)
    assert data["awareness"] | {} == {
        "sessions": 1, "registered": 3, "present": 2, "attendance": 66.7,
        "satisfaction": 4.0, "survey_answers": 1, "trained": 2, "certificates": 0,
        "campaigns": [], "ideas": {"received": 0, "accepted": 0, "done": 0},
    }  # fmt: skip
    before = reports.build(institution, today - datetime.timedelta(days=90),
                           today - datetime.timedelta(days=60))  # fmt: skip
    assert before["awareness"]["sessions"] == 0


def test_a_plan_action_shows_the_workshops_and_quizzes_that_carry_it_out(db, client):
    action = ActionFactory()
    session = SessionFactory(institution=action.institution, action=action, title="Fresque DSI")
    QuizFactory(institution=action.institution, action=action, name="Quiz des réflexes")
    officer = MembershipFactory(institution=action.institution, role=Role.OFFICER)
    client.force_login(officer.user)
    page = client.get(reverse("plan_action", kwargs={"action_id": action.pk})).content.decode()
    assert "Réalisée par" in page and "Fresque DSI" in page and "Quiz des réflexes" in page
    assert reverse("learning_session", args=[session.pk]) in page
