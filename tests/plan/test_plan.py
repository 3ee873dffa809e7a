import datetime

import pytest
from django.urls import reverse

from sobrio.assessment.services import campaign_data
from sobrio.core.enums import Role
from sobrio.footprint import services as footprint
from sobrio.plan import services
from sobrio.plan.models import Action, ActionComment, BudgetLine, Indicator, Status
from tests.factories import (
    ActionFactory,
    AnswerFactory,
    AssetFactory,
    AxisFactory,
    CampaignFactory,
    InstitutionFactory,
    MembershipFactory,
    ScenarioFactory,
)

TODAY = datetime.date(2026, 9, 30)


def test_status_changes_are_dated_and_written_in_the_history(db):
    action = ActionFactory()
    member = MembershipFactory(institution=action.institution, role=Role.OFFICER)
    services.set_status(action, Status.DOING, member.user, on=datetime.date(2026, 2, 1))
    services.set_status(action, Status.DONE, member.user, on=datetime.date(2026, 9, 30))
    action.refresh_from_db()
    assert (action.started_on, action.done_on) == (datetime.date(2026, 2, 1), TODAY)
    history = list(ActionComment.objects.filter(action=action).values_list("text", flat=True))
    assert history[0].startswith("Statut : En cours → Fini (30/09/2026)")
    with pytest.raises(ValueError, match="pourquoi"):
        services.set_status(action, Status.ABANDONED, member.user, reason="  ")


def test_late_means_open_past_its_planned_end(db):
    axis = AxisFactory()
    late = ActionFactory(axis=axis, institution=axis.institution, planned_end=TODAY)
    ActionFactory(axis=axis, institution=axis.institution, planned_end=TODAY, status=Status.DONE)
    ActionFactory(
        axis=axis, institution=axis.institution, planned_end=TODAY + datetime.timedelta(days=30)
    )
    actions = Action.objects.for_institution(axis.institution)
    assert list(services.late(actions, today=TODAY + datetime.timedelta(days=1))) == [late]
    assert not services.late(actions, today=TODAY).exists()


def test_an_unmet_assessment_item_becomes_an_action_in_one_step(db, client):
    answer = AnswerFactory()
    AxisFactory(institution=answer.institution)
    member = MembershipFactory(institution=answer.institution, role=Role.OFFICER)
    client.force_login(member.user)
    url = reverse("plan_action_create")
    page = client.get(url, {"answer": answer.pk}).content.decode()
    assert answer.item.code in page
    form = {
        "answer": answer.pk,
        "label": f"{answer.item.code} — à faire",
        "axis": AxisFactory._meta.model.objects.get(institution=answer.institution).pk,
        "level": "reflexion",
        "identified_on": "2026-09-01",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    action = Action.objects.get(institution=answer.institution)
    assert list(action.answers.all()) == [answer]


def test_an_action_from_a_scenario_keeps_its_computed_impact(db, client):
    institution = InstitutionFactory()
    axis = AxisFactory(institution=institution)
    for _ in range(3):  # fully amortised, so the year's difference is the electricity saved
        AssetFactory(
            institution=institution, category="monitor", purchase_date=datetime.date(2012, 1, 1)
        )
    scenario = ScenarioFactory(institution=institution, kind="screens", params={"count": 2})
    member = MembershipFactory(institution=institution, role=Role.OFFICER)
    client.force_login(member.user)
    page = client.get(reverse("plan_action_create"), {"scenario": scenario.pk}).content.decode()
    assert "D&#x27;après le scénario" in page
    response = client.post(
        reverse("plan_action_create"),
        {
            "scenario": scenario.pk,
            "label": scenario.name,
            "axis": axis.pk,
            "level": "experimentation",
            "identified_on": "2026-09-01",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(institution=institution)
    expected = services.impact_json(services.scenario_impact(scenario))
    assert action.scenario == scenario
    assert action.impact["gwp"]["value"] == pytest.approx(expected["gwp"]["value"])
    assert action.impact["gwp"]["value"] < 0  # two screens fewer


def test_computed_indicators_match_the_data_they_read(db):
    institution = InstitutionFactory()
    AssetFactory(
        institution=institution, category="laptop", purchase_date=datetime.date(2018, 1, 1)
    )
    AssetFactory(
        institution=institution,
        category="desktop",
        purchase_date=datetime.date(2019, 6, 1),
        quantity=2,
    )
    AssetFactory(
        institution=institution, category="laptop", purchase_date=datetime.date(2025, 1, 1)
    )
    AssetFactory(institution=institution, category="laptop", status="retired")
    campaign = CampaignFactory(institution=institution)

    def indicator(source, params):
        return Indicator(institution=institution, source=source, params=params)

    old = services.read(indicator("old_devices_share", {"years": 5}), TODAY)
    assert old.value == pytest.approx(100 * 3 / 4)
    total = services.read(indicator("footprint_total", {"criterion": "gwp"}), TODAY)
    data = footprint.footprint(institution, year=2026)
    assert total.value == pytest.approx(data["totals"]["gwp"]["total"]["value"])
    settings = footprint.settings_for(institution)
    settings.staff_count, settings.student_count = 10, 30
    settings.save()
    per_person = services.read(indicator("footprint_per_person", {"criterion": "gwp"}), TODAY)
    assert per_person.value == pytest.approx(total.value / 40)
    before = services.read(indicator("assessment_score", {}), datetime.date(2000, 1, 1))
    assert before.value is None and "aucune campagne" in before.note
    score = services.read(indicator("assessment_score", {}), datetime.date.today())
    assert score.value == pytest.approx(campaign_data(campaign)["results"]["score"])


def test_budget_totals_by_axis_year_and_source(db):
    action = ActionFactory()
    for year, source, planned, spent in ((2026, "Budget propre", 100, 40), (2027, "ANR", 50, 0)):
        BudgetLine.objects.create(
            institution=action.institution,
            action=action,
            year=year,
            source=source,
            planned=planned,
            spent=spent,
        )
    totals = services.budget_totals(action.plan)
    assert totals["total"]["planned"] == 150 and totals["total"]["spent"] == 40
    assert [r["year"] for r in totals["by_year"]] == [2026, 2027]
    assert totals["by_source"][0]["source"] == "Budget propre"


def test_a_pilot_moves_their_own_action_but_not_another(db, client):
    action = ActionFactory()
    pilot = MembershipFactory(institution=action.institution, role=Role.CONTRIBUTOR)
    action.pilot = pilot
    action.save()
    other = ActionFactory(institution=action.institution, axis=action.axis)
    client.force_login(pilot.user)
    move = {"form": "status", "status": "doing", "on": "2026-03-01"}
    assert client.post(reverse("plan_action", args=[action.pk]), move).status_code == 302
    assert client.post(reverse("plan_action", args=[other.pk]), move).status_code == 403
    other.refresh_from_db()
    assert other.status == Status.TODO


def test_plan_pages_show_the_plan(db, client):
    action = ActionFactory(label="Atelier de réparation", planned_end=datetime.date(2020, 1, 1))
    member = MembershipFactory(institution=action.institution, role=Role.VIEWER)
    client.force_login(member.user)
    home = client.get(reverse("plan")).content.decode()
    assert "1 action en retard" in home
    board = client.get(reverse("plan_board")).content.decode()
    assert "Atelier de réparation" in board and "en retard" in board
    assert client.get(reverse("plan_budget")).status_code == 200
    assert client.get(reverse("plan_settings")).status_code == 403


def test_timeline_places_actions_within_the_plan_horizon(db, client):
    action = ActionFactory(
        planned_start=datetime.date(2025, 6, 1),  # before the plan: clipped to its start
        planned_end=datetime.date(2027, 7, 1),
    )
    chart = services.timeline(action.plan, [action], today=datetime.date(2026, 1, 1))
    row = chart["rows"][0]
    assert row["x"] == services.TIMELINE_LABEL
    span = (action.plan.ends_on - action.plan.starts_on).days + 1
    inner = services.TIMELINE_WIDTH - services.TIMELINE_LABEL
    expected_end = (
        services.TIMELINE_LABEL
        + (datetime.date(2027, 7, 1) - action.plan.starts_on).days / span * inner
    )
    assert row["x"] + row["width"] == pytest.approx(expected_end, abs=0.2)
    assert [y["year"] for y in chart["years"]] == [2026, 2027, 2028]
    member = MembershipFactory(institution=action.institution, role=Role.VIEWER)
    client.force_login(member.user)
    page = client.get(reverse("plan_timeline")).content.decode()
    assert action.label in page and "sobrio-timeline__bar--todo" in page


def test_timeline_svg_numbers_are_not_localised(db, client):
    action = ActionFactory(
        planned_start=datetime.date(2026, 3, 3), planned_end=datetime.date(2026, 5, 5)
    )
    member = MembershipFactory(institution=action.institution, role=Role.VIEWER)
    client.force_login(member.user)
    page = client.get(reverse("plan_timeline")).content.decode()
    svg = page[page.index('<svg class="sobrio-timeline"') : page.index("</svg>")]
    assert "," not in svg.replace(", ", "")  # French decimal commas break SVG lengths


def test_a_practice_indicator_is_adopted_in_one_click(db, client):
    from tests.factories import ReferentialFactory

    axis = AxisFactory()
    institution = axis.institution
    referential = ReferentialFactory(institution=institution)
    item = referential.items.first()
    item.indicators = ["Part des équipements reconditionnés (%)", "Charte signée : oui / non"]
    item.save()
    member = MembershipFactory(institution=institution, role=Role.OFFICER)
    client.force_login(member.user)
    url = reverse("plan_indicator_adopt")
    assert "Charte signée" in client.get(url).content.decode()
    response = client.post(url, {"item": item.pk, "name": "Charte signée : oui / non"})
    assert response.status_code == 302
    indicator = Indicator.objects.get(institution=institution)
    assert (indicator.kind, indicator.practice) == ("boolean", item)
    offered = client.get(url).content.decode()
    assert 'value="Charte signée : oui / non"' not in offered  # adopted: no longer offered
    assert 'value="Part des équipements reconditionnés (%)"' in offered
    assert client.post(url, {"item": item.pk, "name": "inventé"}).status_code == 404


def test_the_assessment_score_indicator_reads_its_own_referential(db):
    from sobrio.assessment import services as assessment
    from sobrio.assessment.indicators import latest_score
    from sobrio.referentials import scales
    from tests.factories import ReferentialFactory

    institution = InstitutionFactory()
    grid = ReferentialFactory(institution=institution, key="grille")
    audit = ReferentialFactory(institution=institution, key="audit", scale=scales.RGESN)
    first = assessment.campaign_create(
        institution=institution, referential=grid, name="Auto", starts_on=datetime.date(2026, 1, 1)
    )
    assessment.campaign_create(
        institution=institution,
        referential=audit,
        name="Audit ENT",
        starts_on=datetime.date(2026, 6, 1),
    )
    on = datetime.date(2026, 9, 1)
    assert "Auto" in latest_score(institution, on).note  # not the later eco-design audit
    assert "Audit ENT" in latest_score(institution, on, referential="audit").note
    del first


def test_an_action_from_a_scenario_survives_the_creation_of_the_plan(db, client):
    institution = InstitutionFactory()
    scenario = ScenarioFactory(institution=institution, kind="screens", params={"count": 1})
    member = MembershipFactory(institution=institution, role=Role.OFFICER)
    client.force_login(member.user)
    wanted = reverse("plan_action_create") + f"?scenario={scenario.pk}&year=2025&method=stock"
    page = client.get(wanted).content.decode()
    assert "next=" in page  # the "create the plan" link carries the way back
    settings_url = reverse("plan_settings")
    response = client.post(
        settings_url,
        {
            "form": "plan",
            "next": wanted,
            "title": "Plan",
            "starts_on": "2025-01-01",
            "ends_on": "2028-12-31",
        },
    )
    assert response.status_code == 302 and "next=" in response["Location"]  # an axis is needed
    response = client.post(
        settings_url, {"form": "axis", "next": wanted, "name": "Axe 1", "position": 1}
    )
    assert response["Location"] == wanted
    assert "D&#x27;après le scénario" in client.get(wanted).content.decode()
