"""The cockpit and the first run: first steps, cards equal to their pages, small fixes."""

import datetime
import logging

from django.core import mail
from django.urls import reverse

from sobrio.core.enums import Role
from sobrio.footprint import services as footprint
from sobrio.footprint.forms import default_year
from tests.factories import AssetFactory, InstitutionFactory, MembershipFactory


def _card(client, key):
    """The context a dashboard card is built from, for the member the client is."""
    from sobrio.core import dashboard

    request = client.get(reverse("dashboard")).wsgi_request
    return next(c for c in dashboard.CARDS if c.key == key).build(request)


def test_an_empty_institution_is_guided_through_its_first_steps(db, client):
    officer = MembershipFactory(role=Role.OFFICER)
    client.force_login(officer.user)
    page = client.get(reverse("dashboard"))
    steps = {s["step"].key: s for s in page.context["steps"]}
    assert set(steps) >= {"inventory", "referential", "plan", "members", "campaign"}
    assert not any(s["done"] for s in steps.values())
    body = page.content.decode()
    assert "Premiers pas" in body and reverse("measure_import") in body
    assert "RGESN" in body  # where to get the official files
    AssetFactory(institution=officer.institution)
    steps = {s["step"].key: s for s in client.get(reverse("dashboard")).context["steps"]}
    assert steps["inventory"]["done"] and not steps["plan"]["done"]
    assert not steps["members"]["allowed"]  # an officer does not manage members


def test_the_footprint_card_equals_the_footprint_page(db, client):
    officer = MembershipFactory(role=Role.OFFICER)
    institution = officer.institution
    year = default_year()
    AssetFactory(
        institution=institution, category="laptop", purchase_date=datetime.date(year - 2, 1, 1)
    )
    AssetFactory(
        institution=institution, category="desktop", purchase_date=datetime.date(year, 3, 1)
    )
    client.force_login(officer.user)
    card = _card(client, "footprint")
    page = client.get(reverse("measure") + f"?year={year}").context
    assert card["total"] == page["data"]["totals"]["gwp"]["total"]
    before = footprint.footprint(institution, year=year - 1)["totals"]["gwp"]["total"]["value"]
    assert card["change"] == 100 * (card["total"]["value"] - before) / before


def test_the_plan_card_equals_the_plan_overview(db, client):
    from tests.factories import ActionFactory

    officer = MembershipFactory(role=Role.OFFICER)
    for status in ("done", "done", "doing", "todo"):
        ActionFactory(institution=officer.institution, status=status)
    client.force_login(officer.user)
    card = _card(client, "plan")
    home = client.get(reverse("plan")).context
    statuses = dict(zip([s for s, _ in home["statuses"]], home["totals"], strict=True))
    assert (card["done"], card["doing"], card["todo"]) == (
        statuses["done"], statuses["doing"], statuses["todo"],
    )  # fmt: skip
    assert card["late"] == home["late"]
    assert card["budget"] == home["budget"]


def test_switching_institution_by_get_shows_a_page_not_an_empty_405(db, client):
    member = MembershipFactory(role=Role.VIEWER)
    client.force_login(member.user)
    response = client.get(reverse("institution_switch"))
    assert response.status_code == 200 and "Changer d’établissement" in response.content.decode()


def test_a_refused_page_is_logged_without_a_traceback(db, client, caplog):
    viewer = MembershipFactory(role=Role.VIEWER)
    client.force_login(viewer.user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("measure_import")).status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records
    from sobrio.core.logs import QuietForbidden

    for record in records:
        QuietForbidden().filter(record)
        assert record.exc_info is None


def test_the_login_error_reads_well_in_french(db, client):
    response = client.post(reverse("login"), {"username": "x@y.fr", "password": "nope"})
    body = response.content.decode()
    assert "un adresse" not in body and "Adresse électronique ou mot de passe incorrect" in body


def test_the_invitation_names_the_institution_and_the_role(db, client):
    admin = MembershipFactory(role=Role.ADMIN)
    client.force_login(admin.user)
    client.post(
        reverse("member_add"),
        {"email": "new@example.org", "full_name": "Noé Nouveau", "role": "officer"},
    )
    message = mail.outbox[-1]
    assert admin.institution.name in message.subject
    assert admin.institution.name in message.body and "Référent" in message.body
    listing = client.get(reverse("member_list")).content.decode()
    assert "Noé Nouveau" in listing


def test_agir_and_reseau_say_what_they_will_hold(db, client):
    member = MembershipFactory(role=Role.VIEWER)
    client.force_login(member.user)
    act = client.get(reverse("act")).content.decode()
    assert "réemploi" in act and "Aucune donnée" not in act
    assert "secret statistique" in client.get(reverse("network")).content.decode()


def test_units_are_the_officers_data(db, client):
    officer = MembershipFactory(role=Role.OFFICER)
    client.force_login(officer.user)
    response = client.post(reverse("unit_create"), {"name": "DSI", "kind": "service"})
    assert response.status_code == 302
    again = client.post(reverse("unit_create"), {"name": "DSI", "kind": "service"})
    assert again.status_code == 200 and "porte déjà ce nom" in again.content.decode()


def test_a_contributor_picks_only_their_own_units(db, client, members):
    from tests.factories import UnitFactory

    UnitFactory(institution=members[Role.CONTRIBUTOR].institution, name="Autre service")
    client.force_login(members[Role.CONTRIBUTOR].user)
    form = client.get(reverse("measure_asset_create")).context["form"]
    assert [u.name for u in form.fields["unit"].queryset] == ["DSI"]
    other = InstitutionFactory()
    del other
