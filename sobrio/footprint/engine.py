"""The footprint engine: arrays in, impacts out. Plain Python and numpy, no Django.

Every asset row points to a *profile* (a category of a factor set, or one server or
cloud configuration computed by boaviztapi) that gives its embodied impacts over its
whole life, per criterion, as value, min and max. The caller gives, per row, the
dates that bound its service, its lifetime, its yearly energy at full service and the
PUE of its room. Missing data is NaN and stays NaN: "non disponible" is never 0.

Methods (see docs/empreinte.md):
- stock: embodied × days in service within the year and within the lifetime
  / (lifetime × 365); nothing once fully amortised;
- flow: the whole embodied impact of rows purchased during the year.
Use phase, both methods: kWh per year × share of the year in service × PUE ×
electricity factor.
"""

from dataclasses import dataclass, field

import numpy as np

CRITERIA = ("gwp", "adpe", "pe")
UNITS = {"gwp": "kgCO2e", "adpe": "kgSbeq", "pe": "MJ"}
STOCK, FLOW = "stock", "flow"
NEVER = np.iinfo(np.int64).max // 4  # a day number later than any real date


@dataclass
class Profiles:
    """embodied[criterion] is a (3, P) array: value, min, max over the whole life."""

    embodied: dict

    @classmethod
    def empty(cls, size):
        return cls({c: np.full((3, size), np.nan) for c in CRITERIA})


@dataclass
class Fleet:
    """One entry per inventory row; days are integers (e.g. date.toordinal())."""

    profile: np.ndarray  # int, index into Profiles
    quantity: np.ndarray  # float
    start: np.ndarray  # int day service began
    end: np.ndarray  # int day service ended (NEVER if still in service)
    purchase: np.ndarray  # int day of purchase (flow method)
    lifetime_days: np.ndarray  # float, > 0
    energy: np.ndarray  # (3, n) kWh per year at full service; NaN unknown
    pue: np.ndarray  # float, 1 outside server rooms
    in_use: np.ndarray = field(default=None)  # bool; False: stored, no electricity
    # criterion -> (3, n) use impacts already computed (cloud: the region's own grid)
    extra_use: dict = field(default=None)

    def __len__(self):
        return len(self.profile)


@dataclass
class Result:
    """Per row: embodied[c] and use[c] are (3, n) arrays (value, min, max)."""

    embodied: dict
    use: dict

    def total(self, criterion):
        return _nan_add(self.embodied[criterion], self.use[criterion])


def _nan_add(a, b):
    """a + b where a NaN side counts as 0, unless both are NaN."""
    both = np.isnan(a) & np.isnan(b)
    out = np.nan_to_num(a) + np.nan_to_num(b)
    out[both] = np.nan
    return out


def compute(fleet, profiles, electricity, year_start, year_end, method=STOCK):
    """Impacts of every row for the days [year_start, year_end).

    electricity: criterion -> (value, min, max) per kWh, or None when unknown.
    """
    if method not in (STOCK, FLOW):
        raise ValueError(f"unknown method {method!r}")
    start = fleet.start.astype(np.int64)
    end = fleet.end.astype(np.int64)
    lifetime = fleet.lifetime_days.astype(float)
    qty = fleet.quantity.astype(float)
    days_in_year = float(year_end - year_start)

    in_service = np.clip(np.minimum(end, year_end) - np.maximum(start, year_start), 0, None)
    if method == STOCK:
        known = ~np.isnan(lifetime)
        life_days = np.ceil(np.where(known, lifetime, 0)).astype(np.int64)
        amortised_end = np.minimum(end, start + life_days)
        amortised = np.clip(
            np.minimum(amortised_end, year_end) - np.maximum(start, year_start), 0, None
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(known, amortised / np.where(known, lifetime, 1), np.nan)
    else:
        share = ((fleet.purchase >= year_start) & (fleet.purchase < year_end)).astype(float)
    use_share = in_service / days_in_year * fleet.pue
    if fleet.in_use is not None:
        use_share = use_share * fleet.in_use

    embodied, use = {}, {}
    for criterion in CRITERIA:
        factors = profiles.embodied[criterion][:, fleet.profile]  # (3, n)
        embodied[criterion] = factors * (share * qty)
        elec = electricity.get(criterion) if electricity else None
        if elec is None:
            use[criterion] = np.full((3, len(fleet)), np.nan)
        else:
            per_kwh = np.asarray(elec, dtype=float).reshape(3, 1)
            use[criterion] = fleet.energy * per_kwh * (use_share * qty)
        if fleet.extra_use is not None:
            use[criterion] = _nan_add(use[criterion], fleet.extra_use[criterion] * qty)
    return Result(embodied, use)


def aggregate(result, groups, size, quantity):
    """Sums per group: {criterion: {phase: (3, size)}} plus counts and coverage.

    coverage[criterion] is the quantity of rows per group whose total is known: a
    partial sum is shown with it, a group with no known row is "non disponible".
    """
    weights = quantity.astype(float)
    out = {"count": np.bincount(groups, weights=weights, minlength=size), "criteria": {}}
    for criterion in CRITERIA:
        phases = {}
        for phase, data in (
            ("embodied", result.embodied[criterion]),
            ("use", result.use[criterion]),
            ("total", result.total(criterion)),
        ):
            known = ~np.isnan(data[0])
            sums = np.vstack(
                [np.bincount(groups, weights=np.nan_to_num(row), minlength=size) for row in data]
            )
            covered = np.bincount(groups, weights=weights * known, minlength=size)
            sums[:, covered == 0] = np.nan
            phases[phase] = sums
            phases[phase + "_coverage"] = covered
        out["criteria"][criterion] = phases
    return out
