"""The default set reproduces boaviztapi's unrounded result within 0.1%."""

import datetime

import pytest

from sobrio.footprint import boavizta, services
from sobrio.footprint.models import FootprintSettings
from tests.factories import AssetFactory, InstitutionFactory

CASES = [(3.0, 0.2, 0.05), (5.0, 8 / 24, 0.098), (7.0, 0.5, 0.4)]


@pytest.mark.parametrize(("lifetime", "ratio", "elec"), CASES)
def test_every_boavizta_category_within_a_tenth_of_a_percent(db, lifetime, ratio, elec):
    institution = InstitutionFactory()
    FootprintSettings.objects.create(
        institution=institution, electricity_gwp=elec, electricity_source="test"
    )
    for category in boavizta.TERMINALS:
        AssetFactory(
            institution=institution,
            category=category,
            lifetime_years=lifetime,
            hours_per_day=round(ratio * 24, 1),
            days_per_year=365,
            purchase_date=datetime.date(2024, 1, 1),
            commissioning_date=datetime.date(2024, 1, 1),
        )
    data = services.footprint(institution, year=2025)  # a 365-day year, fully in service
    for category in boavizta.TERMINALS:
        reference = boavizta.terminal_year(
            category,
            lifetime_years=lifetime,
            use_ratio=round(ratio * 24, 1) / 24,
            elec_gwp=elec,
        )
        ours = data["by_category"][category]
        for criterion in ("gwp", "adpe"):
            expected = reference[criterion]["embodied"][0]
            assert ours[criterion]["embodied"]["value"] == pytest.approx(expected, rel=1e-3)
        assert ours["gwp"]["use"]["value"] == pytest.approx(reference["gwp"]["use"][0], rel=1e-3)
        assert ours["gwp"]["use"]["min"] == pytest.approx(reference["gwp"]["use"][1], rel=1e-3)
        assert ours["gwp"]["use"]["max"] == pytest.approx(reference["gwp"]["use"][2], rel=1e-3)
        # boaviztapi has no embodied primary energy for terminals: unknown, not zero
        assert ours["pe"]["embodied"]["value"] is None


def test_the_default_set_cites_a_source_for_every_factor(db):
    factor_set = services.ensure_default_set()
    factors = list(factor_set.factors.all())
    categories = {f.category for f in factors}
    assert {"laptop", "desktop", "monitor", "printer", "thin_client", "projector"} <= categories
    assert all(f.source and f.min <= f.value <= f.max for f in factors)
    # built once per boaviztapi version
    assert services.ensure_default_set().pk == factor_set.pk
