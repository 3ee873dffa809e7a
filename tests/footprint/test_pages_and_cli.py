import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from sobrio.core.enums import Role
from sobrio.footprint.models import FactorSet, Scenario
from sobrio.inventory.models import Asset
from tests.factories import AssetFactory, InstitutionFactory, MembershipFactory


def test_cli_footprint_json_has_the_documented_keys(db, capsys):
    institution = InstitutionFactory()
    AssetFactory(institution=institution, category="laptop")
    AssetFactory(institution=institution, category="printer")
    call_command("footprint", "--institution", institution.slug, "--year", "2025")
    data = json.loads(capsys.readouterr().out)
    assert {
        "institution",
        "year",
        "method",
        "electricity",
        "factor_set",
        "totals",
        "by_category",
    } <= set(data)
    gwp = data["totals"]["gwp"]
    assert set(gwp) >= {"unit", "embodied", "use", "total"}
    # The documented shape, and since issue 10 each phase says what it covers.
    assert set(gwp["total"]) == {"value", "min", "max", "covered", "coverage"}
    assert set(gwp["embodied"]) == {"value", "min", "max", "covered", "coverage"}
    assert data["by_category"]["laptop"]["count"] == 1
    # laptop 181 kg over 4 years (boaviztapi laptop-pro) + printer 130 kg over 5 (Ecodiag)
    assert gwp["embodied"]["value"] == pytest.approx(181 / 4 + 130 / 5, rel=1e-6)
    call_command("footprint", "--institution", institution.slug, "--format", "csv")
    assert capsys.readouterr().out.startswith("regroupement;groupe;nombre;critere")


OLD = datetime.date(2012, 1, 1)


def test_overview_shows_ranges_and_only_the_institution_rows(db, client):
    mine, other = InstitutionFactory(), InstitutionFactory()
    AssetFactory(institution=mine, category="desktop")
    AssetFactory(institution=other, category="desktop", quantity=50)
    member = MembershipFactory(institution=mine, role=Role.VIEWER)
    client.force_login(member.user)
    page = client.get(reverse("measure") + "?year=2025").content.decode()
    assert "1 équipement ou service" in page
    assert "non disponible" in page  # embodied primary energy of a desktop
    csv = client.get(reverse("measure_export_csv") + "?year=2025").content.decode()
    assert ";1;gwp;" in csv


def test_scenario_saved_from_the_form_shows_its_difference(db, client):
    institution = InstitutionFactory()
    for _ in range(3):  # fully amortised: removing two saves their electricity, nothing more
        AssetFactory(institution=institution, category="monitor", purchase_date=OLD)
    member = MembershipFactory(institution=institution, role=Role.OFFICER)
    client.force_login(member.user)
    response = client.post(
        reverse("measure_scenario_create"),
        {"name": "Moins d'écrans", "kind": "screens", "count": 2, "start_year": 2025},
    )
    scenario = Scenario.objects.get()
    assert response.status_code == 302 and scenario.start_year == 2025
    page = client.get(reverse("measure_scenario", args=[scenario.pk]) + "?year=2025")
    rows = page.context["comparison"]["rows"]
    gwp = rows[0]
    assert gwp["after"]["value"] == pytest.approx(gwp["base"]["value"] / 3)
    assert gwp["diff"]["percent"] == pytest.approx(-200 / 3)


def test_factor_set_csv_import_is_all_or_nothing_with_the_line(db, client):
    institution = InstitutionFactory()
    member = MembershipFactory(institution=institution, role=Role.OFFICER)
    client.force_login(member.user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = (
        "categorie;critere;phase;valeur;min;max;unite;source\n"
        "network_switch;gwp;fabrication;300;200;400;kgCO2e;fabricant X\n"
    )
    bad = good + "router;gwp;fabrication;abc;;;kgCO2e;y\n"
    response = client.post(
        reverse("measure_factor_import"),
        {
            "name": "Réseau",
            "version": "1",
            "source": "PCF",
            "file": SimpleUploadedFile("f.csv", bad.encode()),
        },
    )
    assert "ligne 3, colonne value : nombre illisible" in response.content.decode()
    assert not FactorSet.objects.filter(institution=institution).exists()
    client.post(
        reverse("measure_factor_import"),
        {
            "name": "Réseau",
            "version": "1",
            "source": "PCF",
            "file": SimpleUploadedFile("f.csv", good.encode()),
        },
    )
    assert FactorSet.objects.get(institution=institution).factors.count() == 1


def test_a_contributor_edits_only_assets_of_their_units(db, client):
    from tests.factories import UnitFactory

    institution = InstitutionFactory()
    own, other = UnitFactory(institution=institution), UnitFactory(institution=institution)
    member = MembershipFactory(institution=institution, role=Role.CONTRIBUTOR)
    member.units.add(own)
    theirs = AssetFactory(institution=institution, unit=other)
    client.force_login(member.user)
    url = reverse("measure_asset", args=[theirs.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"inventory_number": "hack"}).status_code == 403
    assert Asset.objects.get(pk=theirs.pk).inventory_number != "hack"


def test_cached_footprint_follows_every_change_it_depends_on(db, django_assert_max_num_queries):
    from sobrio.footprint import services
    from sobrio.imports import flow

    institution = InstitutionFactory()
    laptop = AssetFactory(institution=institution, category="laptop")

    def count():
        return services.footprint(institution, year=2025)["rows"]["count"]

    def gwp():
        return services.footprint(institution, year=2025)["totals"]["gwp"]["total"]["value"]

    assert count() == 1
    with django_assert_max_num_queries(3):  # settings, factor set: the result is cached
        assert count() == 1
    laptop.quantity = 4
    laptop.save()
    assert count() == 4
    data = "Numéro d'inventaire;Type\nNEW-1;Portable\nNEW-2;Écran\n".encode()
    flow.run_file(institution, "assets", data, "parc.csv")  # bulk writes, no signal
    assert count() == 6
    before = gwp()
    settings = services.settings_for(institution)
    settings.electricity_gwp = 1.0
    settings.save()
    assert gwp() > before
    Asset.objects.get(pk=laptop.pk).delete()
    assert count() == 2


def test_own_category_is_created_counted_and_flagged_without_factors(db, client):
    institution = InstitutionFactory()
    member = MembershipFactory(institution=institution, role=Role.OFFICER)
    client.force_login(member.user)
    url = reverse("measure_category_create")
    refused = client.post(url, {"label": "Portable", "code": "laptop"})
    assert "celui d&#x27;une catégorie de Sobrio" in refused.content.decode()
    response = client.post(url, {"label": "Borne interactive", "code": "borne"})
    assert response.status_code == 302
    AssetFactory(institution=institution, category="borne", quantity=3)
    page = client.get(reverse("measure_categories")).content.decode()
    assert "Borne interactive" in page and ">3<" in page
    assert "non : empreinte non disponible" in page
    again = client.post(url, {"label": "Autre", "code": "borne"})
    assert "déjà une catégorie de ce code" in again.content.decode()
    data = services_footprint(institution)
    assert data["by_category"]["borne"]["gwp"]["total"]["value"] is None  # never 0
    assert data["by_category"]["borne"]["label"] == "Borne interactive"


def services_footprint(institution):
    from sobrio.footprint import services

    return services.footprint(institution, year=2025)
