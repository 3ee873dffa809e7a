"""The cockpit is kept as HTML, and never shown out of date (core/freshness.py)."""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sobrio.assessment import services as assessment
from sobrio.assessment.models import Answer
from sobrio.core import freshness
from sobrio.core.enums import Role
from sobrio.inventory import signals as inventory_signals
from sobrio.inventory.models import Asset
from tests.factories import (
    ActionFactory,
    AssetFactory,
    CampaignFactory,
    MembershipFactory,
)


def _dashboard(client):
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("dashboard")).content.decode()
    return body, len(queries)


def _main(page):
    return page[page.index("<main") : page.index("</main>")]


def test_the_cockpit_is_read_from_the_cache_until_a_row_changes(db, client):
    officer = MembershipFactory(role=Role.OFFICER)
    client.force_login(officer.user)
    _dashboard(client)  # the first visit creates the footprint settings: a change
    first, cold = _dashboard(client)
    again, warm = _dashboard(client)
    assert _main(again) == _main(first)  # the header's forms carry a fresh CSRF token
    assert warm <= 4 < cold  # session, user, membership, (institution): no card query
    AssetFactory(institution=officer.institution)  # one save: a signal
    after, _ = _dashboard(client)
    assert "Fait :</span> Importer l&#x27;inventaire" in after
    assert "Fait :" not in first


def test_writes_without_a_signal_renew_it_too(db, client):
    officer = MembershipFactory(role=Role.OFFICER)
    client.force_login(officer.user)
    _dashboard(client)
    assert "Fait :" not in _dashboard(client)[0]
    # what every bulk writer does (imports, the demo): rows without a signal, then one call
    Asset.objects.bulk_create([Asset(institution=officer.institution, inventory_number="B-1")])
    inventory_signals.changed(officer.institution.pk)
    assert "Fait :</span> Importer" in _dashboard(client)[0]

    contributor = MembershipFactory(institution=officer.institution, role=Role.CONTRIBUTOR)
    campaign = CampaignFactory(institution=officer.institution)
    client.force_login(contributor.user)
    assert "Mes éléments à évaluer" not in _dashboard(client)[0]
    assessment.answers_assign(  # one UPDATE of many answers
        campaign=campaign, answers=Answer.objects.filter(campaign=campaign), assignee=contributor
    )
    assert "Mes éléments à évaluer" in _dashboard(client)[0]


def test_each_member_and_language_has_its_own_copy(db, client):
    officer = MembershipFactory(role=Role.OFFICER)
    pilot = MembershipFactory(institution=officer.institution, role=Role.CONTRIBUTOR)
    ActionFactory(institution=officer.institution, pilot=pilot, status="doing")
    client.force_login(officer.user)
    assert "Mes actions" not in _dashboard(client)[0]
    client.force_login(pilot.user)
    assert "Mes actions" in _dashboard(client)[0]
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        english, _ = _dashboard(client)
    assert "My actions" in english


def test_a_rolled_back_change_leaves_renewals_working(db, client):
    officer = MembershipFactory(role=Role.OFFICER)
    client.force_login(officer.user)
    before = freshness.version(officer.institution.pk)
    try:
        with transaction.atomic():
            AssetFactory(institution=officer.institution)
            raise RuntimeError
    except RuntimeError:
        pass
    assert "Fait :" not in _dashboard(client)[0]  # the rolled-back asset is not shown
    AssetFactory(institution=officer.institution)
    assert freshness.version(officer.institution.pk) != before
    assert "Fait :</span> Importer" in _dashboard(client)[0]


def test_provisional_figures_are_shown_but_not_kept(db, client, monkeypatch):
    from sobrio.core import dashboard

    built = []

    def provisional(request):
        built.append(1)
        return {"stale": True}

    card = dashboard.Card("test", 99, "includes/messages.html", provisional)
    monkeypatch.setattr(dashboard, "CARDS", [*dashboard.CARDS, card])
    officer = MembershipFactory(role=Role.OFFICER)
    client.force_login(officer.user)
    for _ in range(3):
        _dashboard(client)
    assert len(built) == 3  # built on every visit while the figures are provisional


def test_a_change_builds_again_only_the_cards_that_read_its_app(db, client, monkeypatch):
    """Issue 26: just after a change the dashboard served a fifth of its warm rate, every
    card being built again. A card names the apps it reads: a new action builds the plan's
    cards again, not the footprint's."""
    import dataclasses

    from sobrio.core import dashboard

    built = []

    def counted(card):
        def build(request):
            built.append(card.key)
            return card.build(request)

        return dataclasses.replace(card, build=build)

    monkeypatch.setattr(dashboard, "CARDS", [counted(c) for c in dashboard.CARDS])
    officer = MembershipFactory(role=Role.OFFICER)
    AssetFactory(institution=officer.institution)
    ActionFactory(institution=officer.institution)
    client.force_login(officer.user)
    _dashboard(client)
    _dashboard(client)
    built.clear()
    _dashboard(client)
    assert built == []  # all kept
    ActionFactory(institution=officer.institution)
    page, _ = _dashboard(client)
    assert "plan" in built and "footprint" not in built, built
    assert "indicators" in built  # reads any app: built again
    AssetFactory(institution=officer.institution)
    built.clear()
    _dashboard(client)
    assert "footprint" in built and "plan" not in built, built
    assert "Empreinte du parc" in page
