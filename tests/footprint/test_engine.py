"""The engine on cases computed by hand."""

import datetime

import numpy as np
import pytest

from sobrio.footprint import engine

D = datetime.date


def day(*args):
    return D(*args).toordinal()


def fleet(
    start,
    end=engine.NEVER,
    purchase=None,
    lifetime_years=4.0,
    kwh=0.0,
    pue=1.0,
    quantity=1,
    in_use=True,
):
    return engine.Fleet(
        profile=np.array([0]),
        quantity=np.array([float(quantity)]),
        start=np.array([start]),
        end=np.array([end]),
        purchase=np.array([purchase if purchase is not None else start]),
        lifetime_days=np.array([lifetime_years * 365.0]),
        energy=np.array([[kwh], [kwh * 0.5], [kwh * 2]]),
        pue=np.array([pue]),
        in_use=np.array([in_use]),
    )


def profiles(gwp=(400.0, 300.0, 500.0), adpe=None):
    p = engine.Profiles.empty(1)
    p.embodied["gwp"][:, 0] = gwp
    if adpe:
        p.embodied["adpe"][:, 0] = adpe
    return p


ELEC = {"gwp": (0.1, 0.1, 0.1)}


def gwp(f, year, method="stock", elec=ELEC, p=None):
    result = engine.compute(f, p or profiles(), elec, day(year, 1, 1), day(year + 1, 1, 1), method)
    return result.embodied["gwp"][:, 0], result.use["gwp"][:, 0]


def test_stock_spreads_embodied_over_the_lifetime_and_stops_once_amortised():
    f = fleet(day(2023, 7, 2))  # 4 × 365 days: amortised on 2027-07-01
    assert gwp(f, 2025)[0][0] == pytest.approx(400 * 365 / 1460)
    assert gwp(f, 2023)[0][0] == pytest.approx(400 * 183 / 1460)  # 2 July to 31 December
    assert gwp(f, 2027)[0][0] == pytest.approx(400 * 181 / 1460)  # 1 January to 30 June
    assert gwp(f, 2028)[0][0] == 0
    assert gwp(f, 2022)[0][0] == 0
    # the four years add up to the whole embodied impact, no more
    total = sum(gwp(f, y)[0][0] for y in range(2022, 2029))
    assert total == pytest.approx(400)


def test_stock_range_follows_the_factor_range():
    value, low, high = gwp(fleet(day(2020, 1, 1)), 2021)[0]
    assert (value, low, high) == pytest.approx((100, 75, 125), rel=1e-3)


def test_retirement_ends_amortisation_and_use():
    f = fleet(day(2024, 1, 1), end=day(2025, 7, 2), kwh=100)
    embodied, use = gwp(f, 2025)
    assert embodied[0] == pytest.approx(400 * 182 / 1460)
    assert use[0] == pytest.approx(100 * 182 / 365 * 0.1)


def test_flow_counts_the_whole_embodied_impact_in_the_year_of_purchase_only():
    f = fleet(day(2025, 3, 10), purchase=day(2025, 3, 1))
    assert gwp(f, 2025, "flow")[0][0] == pytest.approx(400)
    assert gwp(f, 2024, "flow")[0][0] == 0
    assert gwp(f, 2026, "flow")[0][0] == 0
    # the last day of the year still counts in that year
    last = fleet(day(2025, 12, 31), purchase=day(2025, 12, 31))
    assert gwp(last, 2025, "flow")[0][0] == pytest.approx(400)
    assert gwp(last, 2026, "flow")[0][0] == 0


def test_use_is_energy_times_share_of_year_times_pue_times_electricity():
    f = fleet(day(2025, 7, 2), kwh=80, pue=1.5, quantity=3)
    use = gwp(f, 2025)[1]
    share = 183 / 365
    assert use[0] == pytest.approx(80 * share * 1.5 * 3 * 0.1)
    assert use[1] == pytest.approx(40 * share * 1.5 * 3 * 0.1)
    assert use[2] == pytest.approx(160 * share * 1.5 * 3 * 0.1)


def test_a_device_in_stock_uses_no_electricity_but_is_still_amortised():
    embodied, use = gwp(fleet(day(2024, 1, 1), kwh=80, in_use=False), 2025)
    assert use[0] == 0
    assert embodied[0] == pytest.approx(100)


def test_missing_factors_stay_unknown_never_zero():
    f = fleet(day(2024, 1, 1), kwh=80)
    result = engine.compute(f, profiles(), {}, day(2025, 1, 1), day(2026, 1, 1))
    assert np.isnan(result.use["gwp"]).all()
    assert np.isnan(result.embodied["pe"]).all()
    # total keeps the known part
    assert result.total("gwp")[0, 0] == pytest.approx(100)
    assert np.isnan(result.total("pe")[0, 0])


def test_aggregate_sums_known_rows_and_reports_coverage():
    two = engine.Fleet(
        profile=np.array([0, 1]),
        quantity=np.array([2.0, 5.0]),
        start=np.array([day(2024, 1, 1)] * 2),
        end=np.array([engine.NEVER] * 2),
        purchase=np.array([day(2024, 1, 1)] * 2),
        lifetime_days=np.array([4 * 365.0] * 2),
        energy=np.zeros((3, 2)),
        pue=np.ones(2),
        in_use=np.array([True, True]),
    )
    p = engine.Profiles.empty(2)
    p.embodied["gwp"][:, 0] = (400, 400, 400)  # profile 1 has no factor
    result = engine.compute(two, p, ELEC, day(2025, 1, 1), day(2026, 1, 1))
    sums = engine.aggregate(result, np.array([0, 0]), 1, two.quantity)
    gwp_sums = sums["criteria"]["gwp"]
    assert sums["count"][0] == 7
    assert gwp_sums["embodied"][0, 0] == pytest.approx(200)
    assert gwp_sums["embodied_coverage"][0] == 2
    assert np.isnan(sums["criteria"]["adpe"]["total"][0, 0])
