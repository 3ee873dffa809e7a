"""Issue 11's list of bugs found on the way: each one a test that failed before."""

import datetime

from django.urls import reverse
from django.utils import translation

from sobrio.core.enums import Role
from sobrio.footprint.models import Scenario
from sobrio.footprint.templatetags.figures import num
from tests.factories import AssetFactory, MembershipFactory


def test_numbers_have_no_trailing_zero_and_no_minus_zero():
    assert num(60) == "60"
    assert num(5.0) == "5"
    assert num(53.1) == "53,1"
    assert num(-0.0) == "0"
    assert num(1234.5).replace("\xa0", " ").replace("\u202f", " ") == "1 234"


def test_the_footprint_csv_reads_as_numbers_in_a_french_spreadsheet(db, client):
    member = MembershipFactory(role=Role.VIEWER)
    AssetFactory(institution=member.institution, category="laptop")
    client.force_login(member.user)
    text = client.get(reverse("measure_export_csv") + "?year=2025").content.decode()
    line = next(row for row in text.splitlines() if row.startswith("total;total;1;gwp;"))
    cells = line.split(";")
    assert "," in cells[5] and "." not in cells[5]  # a decimal comma
    assert len(cells[5].replace(",", "").lstrip("0")) <= 5  # sensible precision, not 15 digits


def test_breakdown_tabs_are_tags_and_translated_when_shown(db, client):
    member = MembershipFactory(role=Role.VIEWER)
    AssetFactory(institution=member.institution)
    client.force_login(member.user)
    page = client.get(reverse("measure_breakdown") + "?year=2025").content.decode()
    assert 'class="fr-tags-group"' in page
    with translation.override("en"):
        from sobrio.footprint.views import BREAKDOWNS

        assert str(BREAKDOWNS["category"]) == "category"


def test_the_year_selector_shows_the_year_shown(db, client):
    member = MembershipFactory(role=Role.VIEWER)
    client.force_login(member.user)
    page = client.get(reverse("measure")).content.decode()
    year = datetime.date.today().year - 1
    assert f'<option value="{year}" selected>' in page


def test_a_scenario_form_shows_its_lever_only_and_optional_fields_are_optional(db, client):
    member = MembershipFactory(role=Role.OFFICER)
    client.force_login(member.user)
    assert "levier=" in client.get(reverse("measure_scenario_create")).content.decode()
    form = client.get(reverse("measure_scenario_create") + "?levier=vdi").context["form"]
    assert set(form.fields) == {"name", "kind", "count", "vms_per_server", "room", "start_year"}
    assert not form.fields["room"].required
    response = client.post(
        reverse("measure_scenario_create"),
        {"name": "VDI", "kind": "vdi", "count": 10, "vms_per_server": 40},
    )
    assert response.status_code == 302  # the optional room is not reported as required
    assert Scenario.objects.get().start_year == datetime.date.today().year  # empty: this year


def test_the_indicator_trend_writes_its_lowest_and_highest_values():
    from sobrio.plan import services

    chart = services.trend(
        [(datetime.date(2026, 1, 1), 226759), (datetime.date(2026, 4, 1), 226899)]
    )
    assert chart["low"]["label"] == num(226759) and chart["high"]["label"] == num(226899)


def test_comparisons_mark_every_move_up_and_down_in_the_synthesis_order(db):
    from sobrio.assessment import services
    from sobrio.assessment.models import Answer
    from tests.factories import CampaignFactory

    before = CampaignFactory()
    after = CampaignFactory(institution=before.institution, referential=before.referential)
    codes = list(Answer.objects.filter(campaign=before).values_list("item__code", flat=True))
    Answer.objects.filter(campaign=before, item__code=codes[0]).update(status="reflexion")
    Answer.objects.filter(campaign=after, item__code=codes[0]).update(status="experimentation")
    Answer.objects.filter(campaign=before, item__code=codes[1]).update(status="experimentation")
    Answer.objects.filter(campaign=after, item__code=codes[1]).update(status="reflexion")
    trends = {i.code: i.trend for i in services.compare(before, after)["items"]}
    assert trends[codes[0]] == "up" and trends[codes[1]] == "down"


def test_families_without_a_title_say_so_on_the_radar():
    from sobrio.assessment.selectors import family_label

    assert family_label("1", "1") == "Famille 1 (sans nom)"
    assert family_label("A", "Stratégie et gouvernance") == "Stratégie et gouvernance"


def test_scale_terms_are_translated_where_they_are_shown():
    from sobrio.referentials.templatetags.referentials import term

    with translation.override("en"):
        assert term("Réalisé") != "Réalisé"
        assert term("Prioritaire") != "Prioritaire"
    assert term("Réalisé") == "Réalisé"


def test_the_odt_report_is_styled_with_french_dates(db):
    import io
    import zipfile

    from sobrio.reports import render, services
    from sobrio.reports.models import Kind
    from tests.factories import ActionFactory

    action = ActionFactory()
    report = services.create(action.institution, Kind.QUARTERLY, "2026-T3")
    content = render.odt(report, services.data_for(report))
    xml = zipfile.ZipFile(io.BytesIO(content)).read("content.xml").decode()
    assert "fo:border" in xml and "#eeeeee" in xml  # bordered cells, a shaded header row
    assert "01/07/2026" in xml and "2026-07-01" not in xml
