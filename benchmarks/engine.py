"""The footprint engine on 1,000,000 generated rows from ~50 configurations, against
the bare formula (the same products and per-category sums with nothing else: no
unknown values, no coverage, no early retirement) and against boaviztapi called one
device at a time on a 10,000-row sample (same run). Issue 10's moonshot: the engine
within 2 × the bare formula.

    .venv/bin/python benchmarks/engine.py [--rows 1000000] [--sample 10000]

Prints the machine, the timings and the speed-up. No database needed.
"""

import argparse
import datetime
import os
import platform
import time

import numpy as np

from sobrio.footprint import boavizta, engine


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=10_000)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, "
        f"numpy {np.__version__}, boaviztapi {boavizta.version()}"
    )
    categories = list(boavizta.TERMINALS)
    profiles_data = {c: boavizta.terminal_profile(c) for c in categories}
    # ~50 configurations: 5 categories × 10 lifetimes
    configs = [(c, 2 + k * 0.5) for c in categories for k in range(10)]
    rng = np.random.default_rng(1)
    n = args.rows
    which = rng.integers(0, len(configs), n)
    year_start = datetime.date(2025, 1, 1).toordinal()
    year_end = datetime.date(2026, 1, 1).toordinal()
    profiles = engine.Profiles.empty(len(categories))
    for i, c in enumerate(categories):
        for criterion in engine.CRITERIA:
            bounds = profiles_data[c]["embodied"][criterion]
            if bounds:
                profiles.embodied[criterion][:, i] = bounds
    cat_index = np.array([categories.index(c) for c, _ in configs])[which]
    lifetime = np.array([life for _, life in configs])[which]
    power = np.array([[profiles_data[c]["power_w"][k] for c, _ in configs] for k in range(3)])[
        :, which
    ]
    ratio = 0.3
    fleet = engine.Fleet(
        profile=cat_index,
        quantity=np.ones(n),
        start=np.full(n, year_start - 365),
        end=np.full(n, engine.NEVER),
        purchase=np.full(n, year_start - 365),
        lifetime=lifetime,
        energy=power * ratio * 8760 / 1000,
        pue=np.ones(n),
        in_use=np.ones(n, dtype=bool),
    )
    elec = {"gwp": (0.098,) * 3}
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        result = engine.compute(fleet, profiles, elec, year_start, year_end)
        sums = engine.aggregate(result, cat_index, len(categories), fleet.quantity)
        best = min(best, time.perf_counter() - started)
    total = np.nansum(sums["criteria"]["gwp"]["total"][0])
    print(f"engine: {n:,} rows in {best:.3f} s (best of 3); total GWP {total:,.0f} kgCO2e")

    # The bare formula: every row in service all year, amortised over its lifetime.
    bare_best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        share = 1.0 / lifetime
        bare = {}
        for criterion in engine.CRITERIA:
            embodied = profiles.embodied[criterion][:, cat_index] * share
            per_kwh = np.asarray(elec.get(criterion, (np.nan,) * 3)).reshape(3, 1)
            use = fleet.energy * per_kwh
            bare[criterion] = [
                np.vstack([np.bincount(cat_index, weights=r, minlength=len(categories))
                           for r in phase])
                for phase in (embodied, use, embodied + use)
            ]  # fmt: skip
        bare_best = min(bare_best, time.perf_counter() - started)
    bare_total = bare["gwp"][2][0].sum()
    print(
        f"bare formula: {bare_best:.3f} s; total GWP {bare_total:,.0f} kgCO2e; "
        f"engine / bare = {best / bare_best:.2f}"
    )

    sample = rng.integers(0, len(configs), args.sample)
    started = time.perf_counter()
    for i in sample:
        c, life = configs[i]
        boavizta.terminal_year(c, lifetime_years=life, use_ratio=ratio, elec_gwp=0.098)
    baseline = time.perf_counter() - started
    per_row = baseline / args.sample
    print(
        f"boaviztapi one by one: {args.sample:,} rows in {baseline:.1f} s "
        f"({per_row * 1000:.2f} ms/row, so {per_row * n:.0f} s for {n:,})"
    )
    print(f"speed-up: {per_row * n / best:,.0f}×")


if __name__ == "__main__":
    main()
