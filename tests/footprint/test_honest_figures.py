"""Issue 10: unknown never becomes 0, accounting that does not flatter, sound scenarios."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sobrio.footprint import services
from sobrio.footprint.models import Scenario, ScenarioKind
from sobrio.imports import flow
from sobrio.imports.problems import ImportFailure
from sobrio.inventory.models import Asset, CloudInstance
from tests.factories import AssetFactory, CloudInstanceFactory, InstitutionFactory

D = datetime.date


def test_categories_without_factors_stay_unknown_beside_a_cloud_instance(db):
    institution = InstitutionFactory()
    AssetFactory(institution=institution, category="network_switch", quantity=4)
    AssetFactory(institution=institution, category="laptop")
    CloudInstanceFactory(institution=institution, provider="scaleway", instance_type="pro2-s",
                         region="FRA", hours_per_year=100)  # fmt: skip
    data = services.footprint(institution, year=2025)
    switch = data["by_category"]["network_switch"]["gwp"]
    assert switch["use"]["value"] is None and switch["total"]["value"] is None
    assert switch["total"]["coverage"] == 0
    totals = data["totals"]["gwp"]["total"]
    assert totals["covered"] == 2 and totals["coverage"] == pytest.approx(2 / 6)


def test_a_cloud_instance_boaviztapi_does_not_know_is_unknown_not_zero(db):
    institution = InstitutionFactory()
    CloudInstanceFactory(institution=institution, provider="other", instance_type="x",
                         region="FRA")  # fmt: skip
    cloud = services.footprint(institution, year=2025)["by_category"]["cloud"]
    assert cloud["gwp"]["use"]["value"] is None and cloud["gwp"]["total"]["coverage"] == 0


def test_cloud_entries_are_checked_against_boaviztapi_at_entry(db):
    institution = InstitutionFactory()
    bad = CloudInstance(institution=institution, name="a", provider="aws", instance_type="a1.large",
                        region="XXX", hours_per_year=10)  # fmt: skip
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "Région inconnue" in str(error.value)
    bad.region, bad.instance_type = "eu-west-3", "nonexistent.type"
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "Type d'instance inconnu" in str(error.value)
    bad.instance_type = "a1.large"
    bad.full_clean()  # a provider region name is a place boaviztapi knows


def test_primary_energy_says_what_each_phase_covers(db):
    institution = InstitutionFactory()
    AssetFactory(institution=institution, category="laptop", quantity=3)
    pe = services.footprint(institution, year=2025)["totals"]["pe"]
    assert pe["embodied"]["coverage"] == 0 and pe["use"]["coverage"] == 1
    assert pe["total"]["value"] is None  # a total whose manufacturing is missing is missing


def test_a_retired_asset_without_its_date_counts_until_its_status_changed(db):
    institution = InstitutionFactory()
    asset = AssetFactory(institution=institution, category="laptop", purchase_date=D(2022, 1, 1))
    asset.status = "retired"
    asset.save()
    Asset.objects.filter(pk=asset.pk).update(status_changed_on=D(2024, 7, 2))
    data = services.footprint(institution, year=2024)
    assert data["rows"]["retired_undated"] == 1
    laptop = data["by_category"]["laptop"]["gwp"]["embodied"]["value"]
    assert laptop > 0  # its years of service count; the rest is charged at retirement
    assert (
        services.footprint(institution, year=2023)["by_category"]["laptop"]["gwp"]["embodied"][
            "value"
        ]
        > 0
    )


def test_the_form_asks_for_the_retirement_date(db):
    asset = Asset(institution=InstitutionFactory(), inventory_number="A", category="laptop",
                  status="retired")  # fmt: skip
    with pytest.raises(ValidationError) as error:
        asset.full_clean()
    assert "retirement_date" in error.value.message_dict


def test_retiring_early_charges_the_rest_of_the_manufacturing(db):
    institution = InstitutionFactory()
    AssetFactory(institution=institution, category="laptop", purchase_date=D(2024, 1, 1),
                 status="retired", retirement_date=D(2025, 1, 1))  # fmt: skip
    kept = InstitutionFactory()
    AssetFactory(institution=kept, category="laptop", purchase_date=D(2024, 1, 1))
    early = services.footprint(institution, year=2025)["totals"]["gwp"]["embodied"]["value"]
    normal = services.footprint(kept, year=2025)["totals"]["gwp"]["embodied"]["value"]
    assert early == pytest.approx(3 * normal)  # 3 of 4 years left, all charged in 2025


def _scenario(institution, kind, start_year=2025, **params):
    return Scenario.objects.create(institution=institution, name=kind, kind=kind, params=params,
                                   start_year=start_year)  # fmt: skip


def test_refurbished_purchases_change_only_the_purchases_of_the_year(db):
    institution = InstitutionFactory()
    AssetFactory(institution=institution, category="laptop", quantity=10,
                 purchase_date=D(2022, 1, 1))  # fmt: skip
    scenario = _scenario(institution, ScenarioKind.REFURBISHED, category="laptop", share=1.0)
    comparison = services.scenario_comparison(institution, scenario, 2025, "stock")
    assert comparison["rows"][0]["diff"]["value"] == pytest.approx(0)  # bought new already
    AssetFactory(institution=institution, category="laptop", quantity=4,
                 purchase_date=D(2025, 3, 1))  # fmt: skip
    comparison = services.scenario_comparison(institution, scenario, 2025, "stock")
    diff = comparison["rows"][0]["diff"]
    assert diff["value"] < 0 and diff["min"] <= diff["value"] <= diff["max"]
    assert any("ADEME" in line for line in comparison["assumptions"])


def test_a_refurbished_asset_carries_the_refurbishment_impact(db):
    new, second = InstitutionFactory(), InstitutionFactory()
    AssetFactory(institution=new, category="laptop", purchase_date=D(2024, 1, 1))
    AssetFactory(institution=second, category="laptop", purchase_date=D(2024, 1, 1),
                 refurbished=True)  # fmt: skip
    a = services.footprint(new, year=2025)["totals"]["gwp"]["embodied"]
    b = services.footprint(second, year=2025)["totals"]["gwp"]["embodied"]
    assert b["value"] == pytest.approx(a["value"] * (1 - 0.70))
    assert b["min"] == pytest.approx(a["min"] * (1 - 0.97))
    assert b["max"] == pytest.approx(a["max"] * (1 - 0.43))


def test_vdi_charges_the_remaining_amortisation_of_the_replaced_desktops(db):
    institution = InstitutionFactory()
    AssetFactory(institution=institution, category="desktop", quantity=10,
                 purchase_date=D(2024, 1, 1))  # fmt: skip
    scenario = _scenario(institution, ScenarioKind.VDI, count=10, vms_per_server=40)
    comparison = services.scenario_comparison(institution, scenario, 2025, "stock")
    base = comparison["base"]["by_category"]["desktop"]["gwp"]["embodied"]["value"]
    after = comparison["after"]["by_category"]["desktop"]["gwp"]["embodied"]["value"]
    assert after == pytest.approx(base * (6 - 1))  # 5 of 6 years left, charged now


def test_a_longer_life_does_not_amortise_again_what_is_amortised(db):
    institution = InstitutionFactory()
    AssetFactory(institution=institution, category="laptop", purchase_date=D(2015, 1, 1))
    AssetFactory(institution=institution, category="laptop", purchase_date=D(2024, 1, 1),
                 lifetime_years=4)  # fmt: skip
    scenario = _scenario(institution, ScenarioKind.LIFETIME, category="laptop", years=2)
    comparison = services.scenario_comparison(institution, scenario, 2025, "stock")
    by = comparison["after"]["by_category"]["laptop"]["gwp"]["embodied"]["value"]
    base = comparison["base"]["by_category"]["laptop"]["gwp"]["embodied"]["value"]
    # the 2024 laptop: 3/4 left on 1 January 2025, spread over 3 + 2 years; the 2015 one: 0
    assert by == pytest.approx(base * (3 / 4 / 5) / (1 / 4))


def test_scenario_ranges_hold_their_value(db):
    institution = InstitutionFactory()
    AssetFactory(institution=institution, category="desktop", quantity=30,
                 purchase_date=D(2019, 1, 1))  # fmt: skip
    scenario = _scenario(institution, ScenarioKind.VDI, count=30, vms_per_server=10)
    for row in services.scenario_comparison(institution, scenario, 2025, "stock")["rows"]:
        if row["diff"]:
            assert row["diff"]["min"] <= row["diff"]["value"] <= row["diff"]["max"]


GLPI = (
    "Numéro d'inventaire;Type;Date d'achat;Date de réforme;Heures par jour;Statut\n"
    "A-1;Portable;01/01/2052;;;En service\n"
    "A-2;Portable;01/01/2020;01/01/2019;;Réformé\n"
    "A-3;Imprimante;01/01/2020;;8;En service\n"
    "A-4;Portable;01/01/1975;;;Réformé\n"
)


def test_imports_refuse_impossible_dates_and_say_what_is_ignored(db):
    institution = InstitutionFactory()
    problems = []
    with pytest.raises(ImportFailure):
        flow.run_file(institution, "assets", GLPI.encode(), "p.csv", sink=problems.append)
    text = [(p.line, p.column, p.reason, p.warning) for p in problems]
    assert (2, "Date d'achat", "date dans le futur (01/01/2052)", False) in text
    assert (3, "Date de réforme", "réforme avant l'achat", False) in text
    assert any(line == 5 and warning and "vraisemblable" in r for line, _c, r, warning in text)
    problems.clear()
    flow.run_file(institution, "assets", GLPI.encode(), "p.csv", valid_only=True,
                  sink=problems.append)  # fmt: skip
    assert Asset.objects.filter(institution=institution).count() == 2


def test_hours_for_a_yearly_energy_category_and_a_retirement_without_date_are_warned(db):
    from sobrio.imports import spec
    from sobrio.imports.reading import read_table
    from sobrio.inventory import importers
    from sobrio.inventory.services import asset_resolvers

    institution = InstitutionFactory()
    table = read_table(GLPI.encode(), "p.csv")
    specification = importers.asset_spec(services.energy_categories(institution))
    columns = specification.guess_columns(table.header)
    summary, arrays = spec.analyse(specification, table, columns)
    res = spec.resolve(specification, summary, arrays, asset_resolvers(institution, {}))
    warnings = {c["reason"]: c for c in res.causes if c["warning"]}
    hours = next(c for r, c in warnings.items() if r.startswith("heures par jour ignorées"))
    assert hours["count"] == 1 and hours["lines"] == "4"
    undated = next(c for r, c in warnings.items() if r.startswith("réformé sans date"))
    assert undated["lines"] == "5"


def test_right_after_a_change_a_page_shows_the_last_result_while_the_worker_computes(db, settings):
    from django_tasks_db.models import DBTaskResult

    settings.FOOTPRINT_BACKGROUND = True
    institution = InstitutionFactory()
    AssetFactory(institution=institution, category="laptop")
    first = services.footprint(institution, year=2025, stale_ok=True)
    assert first["rows"]["count"] == 1 and "stale" not in first
    AssetFactory(institution=institution, category="laptop")
    stale = services.footprint(institution, year=2025, stale_ok=True)
    assert stale["stale"] and stale["rows"]["count"] == 1  # at once, with its date
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("recompute")
    services.recompute(*task.args_kwargs["args"])  # what the worker does
    fresh = services.footprint(institution, year=2025, stale_ok=True)
    assert fresh["rows"]["count"] == 2 and "stale" not in fresh


def test_every_figure_a_scenario_uses_is_shown_with_its_source(db, client):
    from tests.factories import MembershipFactory, ServerRoomFactory

    institution = InstitutionFactory()
    room = ServerRoomFactory(institution=institution, name="Salle A", pue=1.6)
    AssetFactory(institution=institution, category="desktop", quantity=10,
                 purchase_date=D(2024, 1, 1))  # fmt: skip
    vdi = _scenario(institution, ScenarioKind.VDI, count=10, vms_per_server=40, room=room.pk)
    lines = services.scenario_comparison(institution, vdi, 2025, "stock")["assumptions"]
    text = " ".join(lines)
    assert "Client léger : durée de vie" in text and "Serveur VDI : puissance" in text
    assert "PUE de la salle « Salle A » : 1,6" in text
    assert "non disponible" not in text.split("Client léger")[1].split(";")[0]  # a lifetime
    longer = _scenario(institution, ScenarioKind.LIFETIME, category="desktop", years=2)
    lines = services.scenario_comparison(institution, longer, 2025, "stock")["assumptions"]
    assert any("durée de vie du jeu de facteurs" in line and "(" in line for line in lines)
    refurbished = _scenario(institution, ScenarioKind.REFURBISHED, category="laptop", share=0.5,
                            second_life_years=4)  # fmt: skip
    lines = services.scenario_comparison(institution, refurbished, 2025, "stock")["assumptions"]
    assert any("Seconde vie retenue : 4 ans" in line and "saisie" in line for line in lines)
    officer = MembershipFactory(institution=institution, role="officer").user
    client.force_login(officer)
    page = client.get(reverse("measure_scenario", args=[vdi.pk]), {"year": 2025}).content.decode()
    assert "Électricité : " in page and "kgCO2e/kWh" in page


def test_a_scenario_action_never_says_zero_for_what_is_unknown(db):
    from sobrio.plan import services as plan_services

    institution = InstitutionFactory()
    AssetFactory(institution=institution, category="desktop", quantity=10,
                 purchase_date=D(2024, 1, 1))  # fmt: skip
    vdi = _scenario(institution, ScenarioKind.VDI, count=10, vms_per_server=40)
    comparison = services.scenario_comparison(institution, vdi, 2025, "stock")
    for row in comparison["rows"]:
        assert row["diff"] is None or 0 <= row["diff"]["coverage"] <= 1, row
    text = plan_services.initial_from_scenario(vdi, comparison["rows"], 2025)["expected_impact"]
    assert " 0 MJ/an" not in text and "Énergie primaire" in text
    pe = next(r for r in comparison["rows"] if r["criterion"] == "pe")
    assert pe["diff"] is None or pe["diff"]["coverage"] < 1  # thin clients have no pe factor


def test_the_scenario_page_looks_at_this_year_and_refuses_a_year_not_offered(db, client):
    from tests.factories import MembershipFactory

    institution = InstitutionFactory()
    AssetFactory(institution=institution, category="laptop", purchase_date=D(2024, 1, 1))
    scenario = _scenario(institution, ScenarioKind.LIFETIME, category="laptop", years=1)
    client.force_login(MembershipFactory(institution=institution, role="viewer").user)
    url = reverse("measure_scenario", args=[scenario.pk])
    page = client.get(url)
    this_year = datetime.date.today().year
    assert page.status_code == 200 and f"Changement climatique sur {this_year}" in (
        page.content.decode()
    )
    refused = client.get(url, {"year": "1990"})
    assert refused.status_code == 400 and "n'est pas proposée" in refused.content.decode()
    assert "Changement climatique sur" not in refused.content.decode()


def test_a_refurbished_share_of_one_row_keeps_the_range_its_bounds_give(db):
    """Issue 27: half of a row of ten bought refurbished splits the row in two; the parts
    share the laptop's factors, so the difference's ends are the footprint at min factors
    and at max factors, after minus before (docs/empreinte.md, « Plages »), not the sum of
    the parts' ranges taken apart."""
    institution = InstitutionFactory()
    AssetFactory(institution=institution, category="laptop", quantity=10,
                 purchase_date=D(2025, 3, 1))  # fmt: skip
    scenario = _scenario(institution, ScenarioKind.REFURBISHED, category="laptop", share=0.5)
    comparison = services.scenario_comparison(institution, scenario, 2025, "stock")
    row = comparison["rows"][0]
    before, after, diff = row["base"], row["after"], row["diff"]
    at_min, at_max = after["min"] - before["min"], after["max"] - before["max"]
    assert diff["min"] == pytest.approx(min(at_min, at_max), rel=1e-2)
    assert diff["max"] == pytest.approx(max(at_min, at_max), rel=1e-2)
    assert diff["min"] <= diff["value"] <= diff["max"]


def test_a_scenario_starts_in_its_year_and_later_years_follow_from_it(db):
    """Issue 27: « from 2026 » must still mean 2026 when the page shows 2027."""
    institution = InstitutionFactory()
    AssetFactory(institution=institution, category="laptop", quantity=4,
                 purchase_date=D(2026, 3, 1))  # fmt: skip
    AssetFactory(institution=institution, category="laptop", quantity=4,
                 purchase_date=D(2027, 3, 1))  # fmt: skip

    def gwp(start, year):
        scenario = _scenario(institution, ScenarioKind.REFURBISHED, start_year=start,
                             category="laptop", share=1.0)  # fmt: skip
        comparison = services.scenario_comparison(institution, scenario, year, "stock")
        return comparison["rows"][0]["diff"]["value"], comparison["assumptions"]

    not_yet, lines = gwp(2028, 2027)
    assert not_yet == 0 and "En 2027, il n'a pas encore commencé : il ne change rien." in lines
    both, lines = gwp(2026, 2027)  # the purchases of 2026 and of 2027
    only_2027, _lines = gwp(2027, 2027)
    assert both < only_2027 < 0
    assert any("suit de ce qui a été fait en 2026" in line for line in lines)

    AssetFactory(institution=institution, category="desktop", quantity=10,
                 purchase_date=D(2024, 1, 1))  # fmt: skip
    vdi = _scenario(institution, ScenarioKind.VDI, start_year=2026, count=10, vms_per_server=40)

    def phases(year):
        comparison = services.scenario_comparison(institution, vdi, year, "stock")
        base, after = comparison["base"]["totals"]["gwp"], comparison["after"]["totals"]["gwp"]
        return {p: after[p]["value"] - base[p]["value"] for p in ("embodied", "use")}

    started, next_year = phases(2026), phases(2027)
    # 2026: the desktops' remaining amortisation is charged; 2027 has only the thin clients
    # and the servers in their place, and the same electricity saved (365 days both years)
    assert started["embodied"] > 0 > next_year["embodied"]
    assert next_year["use"] == pytest.approx(started["use"])
