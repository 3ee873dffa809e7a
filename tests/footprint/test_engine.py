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
        lifetime=np.array([lifetime_years]),
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
    f = fleet(day(2023, 7, 2))  # 4 calendar years: amortised on 2027-07-02
    assert gwp(f, 2025)[0][0] == pytest.approx(400 / 4)
    assert gwp(f, 2024)[0][0] == pytest.approx(400 / 4)  # a leap year is one year, as boaviztapi
    assert gwp(f, 2023)[0][0] == pytest.approx(400 / 4 * 183 / 365)  # 2 July to 31 December
    assert gwp(f, 2027)[0][0] == pytest.approx(400 / 4 * 182 / 365)  # 1 January to 1 July
    assert gwp(f, 2028)[0][0] == 0
    assert gwp(f, 2022)[0][0] == 0
    # the four years add up to the whole embodied impact, no more
    total = sum(gwp(f, y)[0][0] for y in range(2022, 2029))
    assert total == pytest.approx(400)


def test_stock_range_follows_the_factor_range():
    value, low, high = gwp(fleet(day(2020, 1, 1)), 2021)[0]
    assert (value, low, high) == pytest.approx((100, 75, 125), rel=1e-3)


def test_early_retirement_charges_what_is_left_to_amortise_in_its_year():
    f = fleet(day(2024, 1, 1), end=day(2025, 7, 2), kwh=100)
    embodied, use = gwp(f, 2025)
    # 2024 was charged 1/4; 2025 gets the 182 days served and the rest of the 400 (ADEME)
    assert gwp(f, 2024)[0][0] == pytest.approx(100)
    assert embodied[0] == pytest.approx(300)
    assert gwp(f, 2026)[0][0] == 0
    assert use[0] == pytest.approx(100 * 182 / 365 * 0.1)
    # a device retired after its lifetime owes nothing more
    old = fleet(day(2015, 1, 1), end=day(2025, 3, 1))
    assert gwp(old, 2025)[0][0] == 0


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
    assert result.embodied["gwp"][0, 0] == pytest.approx(100)
    # a total with a missing phase is missing: unknown never becomes 0
    assert np.isnan(result.total("gwp")[0, 0])
    assert np.isnan(result.total("pe")[0, 0])


def test_aggregate_sums_known_rows_and_reports_coverage():
    two = engine.Fleet(
        profile=np.array([0, 1]),
        quantity=np.array([2.0, 5.0]),
        start=np.array([day(2024, 1, 1)] * 2),
        end=np.array([engine.NEVER] * 2),
        purchase=np.array([day(2024, 1, 1)] * 2),
        lifetime=np.array([4.0] * 2),
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


def test_calendar_year_positions_round_trip():
    days = [day(2024, 2, 29), day(2023, 12, 31), day(2025, 1, 1)]
    back = engine.from_year_position(engine.year_position(days))
    assert back.tolist() == days
    assert engine.year_position([day(2024, 7, 2)])[0] == pytest.approx(2024.5)


def test_calendar_positions_by_table_equal_the_calendar_arithmetic():
    """year_position looks days up in a table of the span when it is short; the figures
    must be those of the day-by-day arithmetic, NEVER and far dates included."""
    rng = np.random.default_rng(3)
    days = rng.integers(day(1999, 1, 1), day(2031, 1, 1), 50_000)
    days[::97] = engine.NEVER
    expected = engine._calendar_position(np.where(days < engine.NEVER, days, 0))
    expected = np.where(days < engine.NEVER, expected, np.inf)
    assert np.array_equal(engine.year_position(days), expected)  # the table path
    wide = np.array([day(1, 1, 1), day(2024, 3, 1), engine.NEVER])
    assert engine.year_position(wide)[1] == pytest.approx(2024 + 60 / 366)  # direct path
    real = days < engine.NEVER
    back = engine.from_year_position(engine.year_position(days))
    assert np.array_equal(back[real], days[real])


def test_a_restarted_amortisation_spreads_only_what_is_left():
    f = fleet(day(2022, 1, 1))  # 4 years: 2022-2025, 100 a year
    f.amort_start = np.array([day(2025, 1, 1)])
    f.amort_years = np.array([3.0])  # 1 year left + 2 more
    f.amort_share = np.array([0.25])
    assert gwp(f, 2025)[0][0] == pytest.approx(400 * 0.25 / 3)
    assert gwp(f, 2027)[0][0] == pytest.approx(400 * 0.25 / 3)
    assert gwp(f, 2028)[0][0] == 0


def test_aggregate_coverage_is_per_phase():
    two = engine.Fleet(
        profile=np.array([0, 1]),
        quantity=np.array([2.0, 5.0]),
        start=np.array([day(2024, 1, 1)] * 2),
        end=np.array([engine.NEVER] * 2),
        purchase=np.array([day(2024, 1, 1)] * 2),
        lifetime=np.array([4.0] * 2),
        energy=np.full((3, 2), 100.0),
        pue=np.ones(2),
        in_use=np.array([True, True]),
    )
    p = engine.Profiles.empty(2)
    p.embodied["gwp"][:, 0] = (400, 400, 400)  # profile 1: no manufacturing figure
    result = engine.compute(two, p, ELEC, day(2025, 1, 1), day(2026, 1, 1))
    gwp_sums = engine.aggregate(result, np.array([0, 0]), 1, two.quantity)["criteria"]["gwp"]
    assert gwp_sums["use_coverage"][0] == 7  # every device uses electricity
    assert gwp_sums["embodied_coverage"][0] == 2
    assert gwp_sums["total_coverage"][0] == 2  # a total is known where both phases are
    assert gwp_sums["total"][0, 0] == pytest.approx(2 * (100 + 10))


def test_given_use_replaces_the_computed_one_only_where_given():
    two = engine.Fleet(
        profile=np.array([0, 0]),
        quantity=np.array([1.0, 1.0]),
        start=np.array([day(2025, 1, 1)] * 2),
        end=np.array([engine.NEVER] * 2),
        purchase=np.array([day(2025, 1, 1)] * 2),
        lifetime=np.array([1.0] * 2),
        energy=np.full((3, 2), 100.0),
        pue=np.ones(2),
        in_use=np.array([True, True]),
        use_given={c: np.array([[np.nan, 7.0]] * 3) for c in engine.CRITERIA},
        given_use=np.array([False, True]),
    )
    result = engine.compute(two, profiles(), ELEC, day(2025, 1, 1), day(2026, 1, 1))
    assert result.use["gwp"][0].tolist() == pytest.approx([10.0, 7.0])
    # a given use that is unknown stays unknown, it is never the other row's 0
    two.use_given["gwp"][:, 1] = np.nan
    result = engine.compute(two, profiles(), ELEC, day(2025, 1, 1), day(2026, 1, 1))
    assert np.isnan(result.use["gwp"][0, 1])


def test_a_difference_range_holds_its_value():
    base = fleet(day(2022, 1, 1), quantity=3, kwh=100)
    p = engine.Profiles.empty(2)
    p.embodied["gwp"][:, 0] = (400, 100, 1000)
    p.embodied["gwp"][:, 1] = (40, 35, 60)
    before = engine.compute(base, p, ELEC, day(2025, 1, 1), day(2026, 1, 1))
    after_fleet = engine.Fleet(
        profile=np.array([0, 1]),
        quantity=np.array([1.0, 2.0]),
        start=np.array([day(2022, 1, 1), day(2025, 1, 1)]),
        end=np.array([engine.NEVER] * 2),
        purchase=np.array([day(2022, 1, 1), day(2025, 1, 1)]),
        lifetime=np.array([4.0, 6.0]),
        energy=np.array([[100.0, 30.0], [50.0, 20.0], [200.0, 50.0]]),
        pue=np.ones(2),
        in_use=np.array([True, True]),
    )
    after = engine.compute(after_fleet, p, ELEC, day(2025, 1, 1), day(2026, 1, 1))
    value, low, high = engine.difference(before, after, 1)["gwp"]["total"]
    assert low <= value <= high
    expected = (1 * 100 + 2 * 40 / 6 + 10 + 2 * 3) - (3 * 100 + 30)
    assert value == pytest.approx(expected)


def test_a_leap_year_in_service_counts_its_8784_hours_of_use():
    f = fleet(day(2020, 1, 1), kwh=87.6)  # 10 W around the clock: 87.6 kWh a 365-day year
    embodied_2024, use_2024 = gwp(f, 2024)
    embodied_2025, use_2025 = gwp(f, 2025)
    assert use_2024[0] == pytest.approx(10 * 8784 / 1000 * 0.1)
    assert use_2025[0] == pytest.approx(10 * 8760 / 1000 * 0.1)
    assert embodied_2024[0] == embodied_2025[0] == 0  # amortised by 2024 (4 years)
    young = fleet(day(2023, 1, 1))
    assert gwp(young, 2024)[0][0] == pytest.approx(400 / 4)  # embodied: 1 / lifetime, leap or not


def test_an_unknown_minus_an_unknown_is_unknown_and_unchanged_rows_add_no_zero():
    two = engine.Fleet(
        profile=np.array([0, 1]),
        quantity=np.array([5.0, 2.0]),
        start=np.array([day(2024, 1, 1)] * 2),
        end=np.array([engine.NEVER] * 2),
        purchase=np.array([day(2024, 1, 1)] * 2),
        lifetime=np.array([4.0, 4.0]),
        energy=np.array([[100.0, 50.0], [100.0, 50.0], [100.0, 50.0]]),
        pue=np.ones(2),
        in_use=np.array([True, True]),
    )
    p = engine.Profiles.empty(2)
    p.embodied["gwp"][:, 0] = (400, 400, 400)  # row 1's profile has no factor: unknown
    before = engine.compute(two, p, ELEC, day(2025, 1, 1), day(2026, 1, 1))
    changed = engine.Fleet(**{**two.__dict__, "end": np.array([engine.NEVER, day(2025, 1, 1)])})
    after = engine.compute(changed, p, ELEC, day(2025, 1, 1), day(2026, 1, 1))
    diff = engine.difference(before, after, 2, touched=np.array([False, True]),
                             quantity=changed.quantity)["gwp"]  # fmt: skip
    # only row 1 changed: its embodied share is unknown both sides, so the difference is
    # unknown (not the 0 of row 0, which did not change); its use is known (−50 kWh × 2)
    assert diff["embodied"] is None and diff["total"] is None and diff["coverage"] == 0
    assert diff["use"][0] == pytest.approx(-2 * 50 * 0.1)
    none = engine.difference(before, before, 2, quantity=two.quantity)["gwp"]
    assert none["total"] == (0.0, 0.0, 0.0) and none["coverage"] == 1.0  # nothing changed


def test_differences_are_rounded_as_the_totals_they_compare():
    from sobrio.footprint.services import _round_like

    assert _round_like(4.55e-13, 228_482, 230_001) == 0.0
    assert _round_like(-3_731.4, 228_482) == -4_000.0
    assert _round_like(-12.3456, 53.2, 40.1) == -12.3


def test_a_row_is_touched_only_when_a_scenario_changes_it():
    from sobrio.footprint.services import _touched

    base = fleet(day(2022, 1, 1), quantity=2, kwh=50)
    written = {"amort_start": base.start.copy(), "amort_years": base.lifetime.copy(),
               "amort_share": np.ones(1)}  # fmt: skip
    same = engine.Fleet(**{**base.__dict__, **written})
    assert not _touched(base, same).any()  # the engine's defaults, written out
    later = engine.Fleet(**{**same.__dict__, "amort_years": np.array([6.0])})
    assert _touched(base, later).all()
