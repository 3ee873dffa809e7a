"""The asset list people work in: filters, sorting, exports and the change of a selection."""

import datetime
import io

import openpyxl
from django.urls import reverse

from sobrio.core.enums import Role
from sobrio.inventory.models import Asset
from tests.factories import (
    AssetFactory,
    InstitutionFactory,
    MembershipFactory,
    ServerRoomFactory,
    UnitFactory,
)


def _officer(client, institution=None):
    member = MembershipFactory(institution=institution or InstitutionFactory(), role=Role.OFFICER)
    client.force_login(member.user)
    return member


def _numbers(page):
    return [n for n in ("A-1", "A-2", "A-3", "A-4") if f">{n}</a>" in page]


def _fleet(institution):
    dsi = UnitFactory(institution=institution, name="DSI")
    AssetFactory(
        institution=institution,
        inventory_number="A-1",
        category="laptop",
        unit=dsi,
        purchase_date=datetime.date(2021, 3, 1),
        model="Latitude 5420",
    )
    AssetFactory(
        institution=institution,
        inventory_number="A-2",
        category="monitor",
        purchase_date=datetime.date(2023, 5, 1),
        site="Campus Nord",
    )
    AssetFactory(institution=institution, inventory_number="A-3", category="laptop",
                 status="retired", retirement_date=datetime.date(2024, 1, 1),
                 purchase_date=datetime.date(2019, 1, 1))  # fmt: skip
    return dsi


def test_filters_combine_and_say_how_many_rows_match(db, client):
    member = _officer(client)
    dsi = _fleet(member.institution)
    AssetFactory(inventory_number="A-4")  # another institution's: never listed
    url = reverse("measure_assets")
    assert _numbers(client.get(url).content.decode()) == ["A-1", "A-2", "A-3"]
    page = client.get(url, {"category": "laptop"}).content.decode()
    assert _numbers(page) == ["A-1", "A-3"] and "2 lignes" in page
    assert _numbers(client.get(url, {"unit": dsi.pk}).content.decode()) == ["A-1"]
    assert _numbers(client.get(url, {"unit": "-"}).content.decode()) == ["A-2", "A-3"]
    assert _numbers(client.get(url, {"status": "retired"}).content.decode()) == ["A-3"]
    assert _numbers(client.get(url, {"year": "2023"}).content.decode()) == ["A-2"]
    assert _numbers(client.get(url, {"site": "Campus Nord"}).content.decode()) == ["A-2"]
    assert _numbers(client.get(url, {"q": "latitude"}).content.decode()) == ["A-1"]
    assert _numbers(client.get(url, {"category": "laptop", "year": "2019"}).content.decode()) == [
        "A-3"
    ]
    nothing = client.get(url, {"q": "zzz"}).content.decode()
    assert "Aucun équipement ne correspond." in nothing


def test_sorting_by_a_column_and_back(db, client):
    member = _officer(client)
    _fleet(member.institution)
    url = reverse("measure_assets")
    page = client.get(url, {"sort": "achat"}).content.decode()
    order = sorted(["A-1", "A-2", "A-3"], key=page.index)
    assert order == ["A-3", "A-1", "A-2"]
    assert 'aria-sort="ascending"' in page and "sort=-achat" in page
    page = client.get(url, {"sort": "-achat"}).content.decode()
    assert sorted(["A-1", "A-2", "A-3"], key=page.index) == ["A-2", "A-1", "A-3"]
    assert 'aria-sort="descending"' in page


def test_exports_hold_the_filtered_rows_and_no_formula(db, client):
    member = _officer(client)
    _fleet(member.institution)
    AssetFactory(institution=member.institution, inventory_number="=HYPERLINK(1)",
                 category="laptop")  # fmt: skip
    text = b"".join(
        client.get(reverse("measure_assets_csv"), {"category": "laptop"}).streaming_content
    ).decode("utf-8-sig")
    assert "A-1" in text and "A-3" in text and "A-2" not in text
    assert "'=HYPERLINK(1)" in text
    data = client.get(reverse("measure_assets_xlsx"), {"category": "monitor"}).content
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == ["A-2"]


def test_a_selection_is_changed_in_two_steps_without_javascript(db, client):
    member = _officer(client)
    _fleet(member.institution)
    room = ServerRoomFactory(institution=member.institution, name="Salle B")
    theirs = AssetFactory(inventory_number="A-9")
    ids = [a.pk for a in Asset.objects.filter(inventory_number__in=["A-1", "A-2"])]
    url = reverse("measure_assets_bulk")
    chosen = client.post(url, {"selected": [*ids, theirs.pk], "back": "category=laptop"})
    page = chosen.content.decode()
    assert chosen.status_code == 200 and "2 équipements sélectionnés" in page
    assert "A-9" not in page  # another institution's id is dropped, never shown
    refused = client.post(url, {"selected": ids, "apply": "1"}).content.decode()
    assert "Choisissez ce qui change" in refused
    done = client.post(
        url, {"selected": [*ids, theirs.pk], "apply": "1", "server_room": room.pk,
              "status": "retired", "back": "category=laptop"},
    )  # fmt: skip
    assert done.status_code == 302 and done["Location"].endswith("?category=laptop")
    changed = Asset.objects.filter(pk__in=ids)
    assert {a.server_room_id for a in changed} == {room.pk}
    assert {a.status for a in changed} == {"retired"}
    assert {a.retirement_date for a in changed} == {datetime.date.today()}
    theirs.refresh_from_db()
    assert theirs.status != "retired" and theirs.server_room_id is None
    empty = client.post(url, {"selected": [theirs.pk]}, follow=True).content.decode()
    assert "Cochez au moins un équipement" in empty


def test_a_contributor_changes_only_the_assets_of_their_units(db, client):
    institution = InstitutionFactory()
    mine, other = UnitFactory(institution=institution), UnitFactory(institution=institution)
    member = MembershipFactory(institution=institution, role=Role.CONTRIBUTOR)
    member.units.add(mine)
    client.force_login(member.user)
    a = AssetFactory(institution=institution, unit=mine)
    b = AssetFactory(institution=institution, unit=other)
    client.post(
        reverse("measure_assets_bulk"),
        {"selected": [a.pk, b.pk], "apply": "1", "status": "in_repair"},
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == "in_repair" and b.status != "in_repair"


def test_a_viewer_cannot_change_a_selection(db, client):
    institution = InstitutionFactory()
    viewer = MembershipFactory(institution=institution, role=Role.VIEWER)
    client.force_login(viewer.user)
    a = AssetFactory(institution=institution)
    answer = client.post(
        reverse("measure_assets_bulk"), {"selected": [a.pk], "apply": "1", "status": "in_repair"}
    )
    assert answer.status_code == 403
    a.refresh_from_db()
    assert a.status != "in_repair"
    assert (
        "Modifier les équipements cochés"
        not in client.get(reverse("measure_assets")).content.decode()
    )


def test_each_template_imports_as_it_is_downloaded(db, client):
    from sobrio.imports import flow
    from sobrio.inventory.models import CloudInstance, DataStore

    member = _officer(client)
    page = client.get(reverse("measure_import")).content.decode()
    for kind, model in (("assets", Asset), ("cloud", CloudInstance), ("stores", DataStore)):
        assert f"?type={kind}" in page
        content = client.get(reverse("measure_template"), {"type": kind}).content
        report, _resolution = flow.run_file(member.institution, kind, content, f"modele-{kind}.csv")
        assert report["created"] == 1, (kind, report)
        assert model.objects.filter(institution=member.institution).count() == 1
