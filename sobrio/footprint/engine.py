"""The footprint engine: arrays in, impacts out. Plain Python and numpy, no Django.

Every row points to a *profile* (a category of a factor set, or one server, cloud or
disk configuration computed by boaviztapi) that gives its embodied impacts over its
whole life, per criterion, as value, min and max. The caller gives, per row, the dates
that bound its service, its lifetime, its yearly energy at full service and the PUE of
its room. Missing data is NaN and stays NaN through every sum: "non disponible" is
never 0, and every aggregate says how much of the fleet it covers, per phase.

Methods (see docs/empreinte.md):
- stock: the embodied impact is spread over the lifetime, calendar year by calendar
  year (a whole year in service is 1 / lifetime, leap or not, as boaviztapi counts
  it); a device retired before the end of its lifetime is charged the remaining share
  in its year of retirement (ADEME and Boavizta: early renewal must not flatter);
- flow: the whole embodied impact of rows purchased during the year.
Use phase, both methods: kWh per year of 365 days (8,760 h) × days in service ÷ 365 × PUE
× electricity factor (a leap year in service counts 8,784 hours of use, while its
embodied share stays 1 / lifetime), or a use impact given per row for the year (cloud
instances, their hours on their region's grid).
"""

from dataclasses import dataclass, field

import numpy as np

CRITERIA = ("gwp", "adpe", "pe")
UNITS = {"gwp": "kgCO2e", "adpe": "kgSbeq", "pe": "MJ"}
PHASES = ("embodied", "use", "total")
STOCK, FLOW = "stock", "flow"
DAYS_OF_USE_YEAR = 365.0  # the year a power draw or a yearly use impact is given for
NEVER = np.iinfo(np.int64).max // 4  # a day number later than any real date
EPOCH = 719163  # date(1970, 1, 1).toordinal(): day numbers to numpy dates


@dataclass
class Profiles:
    """embodied[criterion] is a (3, P) array: value, min, max over the whole life."""

    embodied: dict

    @classmethod
    def empty(cls, size):
        return cls({c: np.full((3, size), np.nan) for c in CRITERIA})


@dataclass
class Fleet:
    """One entry per inventory row; days are integers (date.toordinal())."""

    profile: np.ndarray  # int, index into Profiles
    quantity: np.ndarray  # float
    start: np.ndarray  # int day service began
    end: np.ndarray  # int day service ended (NEVER if still in service)
    purchase: np.ndarray  # int day of purchase (flow method), -1 unknown
    lifetime: np.ndarray  # float years, > 0; NaN unknown
    energy: np.ndarray  # (3, n) kWh per year at full service; NaN unknown
    pue: np.ndarray  # float, 1 outside server rooms
    in_use: np.ndarray = field(default=None)  # bool; False: stored, no electricity
    # criterion -> (3, n) use impacts given per row (cloud), NaN where the row has none;
    # given_use marks the rows whose use is given rather than computed from energy.
    use_given: dict = field(default=None)
    given_use: np.ndarray = field(default=None)
    # Amortisation restarted by a scenario: from amort_start, the share amort_share of
    # the embodied impact is spread over amort_years (None: start, lifetime, 1).
    amort_start: np.ndarray = field(default=None)
    amort_years: np.ndarray = field(default=None)
    amort_share: np.ndarray = field(default=None)

    def __len__(self):
        return len(self.profile)


def _calendar_position(days):
    dates = (days - EPOCH).astype("datetime64[D]")
    years = dates.astype("datetime64[Y]")
    first = (years.astype("datetime64[D]").astype(np.int64)) + EPOCH
    following = ((years + 1).astype("datetime64[D]").astype(np.int64)) + EPOCH
    return years.astype(np.int64) + 1970 + (days - first) / (following - first)


def year_position(days):
    """Day numbers as calendar years: 2024-07-02 is 2024 + 183/366. NEVER stays large.

    The calendar arithmetic runs once per distinct day of the span (a table), not once
    per row: a million rows hold a few thousand dates."""
    days = np.asarray(days, dtype=np.int64)
    real = days < NEVER
    if not real.any():
        return np.full(days.shape, np.inf)
    lo = int(days.min())
    hi = int(np.where(real, days, lo).max())
    safe = np.where(real, days, lo)
    if hi - lo < min(days.size, 400_000):
        position = _calendar_position(np.arange(lo, hi + 1, dtype=np.int64))[safe - lo]
    else:
        position = _calendar_position(safe)
    return np.where(real, position, np.inf)


def from_year_position(position):
    """The first day at or after a calendar-year position (inverse of year_position)."""
    position = np.asarray(position, dtype=float)
    real = np.isfinite(position)
    safe = np.where(real, position, 1970.0)
    whole = np.floor(safe).astype(np.int64)
    low = int(whole.min()) if whole.size else 1970
    span = np.arange(low, (int(whole.max()) if whole.size else 1970) + 2, dtype=np.int64)
    starts = (span - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    first, following = starts[whole - low], starts[whole - low + 1]  # one year in a table
    days = first + EPOCH + np.ceil((safe - whole) * (following - first) - 1e-9).astype(np.int64)
    return np.where(real, days, NEVER)


@dataclass
class Result:
    """Per row: embodied[c] and use[c] are (3, n) arrays (value, min, max).

    total, the NaN-free copies and the known masks are computed once, when first
    asked for, and shared by every breakdown.
    """

    embodied: dict
    use: dict
    _cache: dict = field(default_factory=dict, repr=False)

    def phase(self, criterion, phase):
        if phase == "embodied":
            return self.embodied[criterion]
        if phase == "use":
            return self.use[criterion]
        key = ("total", criterion)
        if key not in self._cache:
            self._cache[key] = self.embodied[criterion] + self.use[criterion]  # NaN stays
        return self._cache[key]

    def total(self, criterion):
        return self.phase(criterion, "total")

    def clean(self, criterion, phase):
        """(values with NaN as 0, bool known) for sums that skip the unknown."""
        key = ("clean", criterion, phase)
        if key not in self._cache:
            data = self.phase(criterion, phase)
            missing = np.isnan(data)
            values = np.where(missing, 0.0, data) if missing.any() else data
            self._cache[key] = (values, ~missing[0])
        return self._cache[key]


def amortised_share(fleet, year_start, year_end, method=STOCK):
    """Share of each row's embodied impact charged to the days [year_start, year_end)."""
    start = fleet.start.astype(np.int64)
    end = fleet.end.astype(np.int64)
    if method == FLOW:
        purchase = fleet.purchase
        share = ((purchase >= year_start) & (purchase < year_end)).astype(float)
        return share * (fleet.amort_share if fleet.amort_share is not None else 1.0)
    seg_start = fleet.amort_start if fleet.amort_start is not None else start
    seg_years = fleet.amort_years if fleet.amort_years is not None else fleet.lifetime
    seg_share = fleet.amort_share if fleet.amort_share is not None else np.ones(len(fleet))
    known = np.isfinite(seg_years) & (seg_years > 0)
    years = np.where(known, seg_years, 1.0)
    seg_start_pos = year_position(seg_start)
    seg_end = from_year_position(seg_start_pos + years)
    days_in_year = float(year_end - year_start)
    low = np.maximum(np.maximum(seg_start, start), year_start)
    high = np.minimum(np.minimum(seg_end, end), year_end)
    share = np.clip(high - low, 0, None) / days_in_year / years
    # Retired before the end of its lifetime, within the year: the rest is charged now.
    retired_now = (end >= year_start) & (end < year_end) & (end < seg_end)
    if retired_now.any():  # usually a few rows: the calendar arithmetic on those only
        rows = np.flatnonzero(retired_now)
        reached = year_position(np.maximum(end[rows], seg_start[rows])) - seg_start_pos[rows]
        done = np.clip(reached, 0, None) / years[rows]
        share[rows] += np.clip(1.0 - done, 0.0, 1.0)
    return np.where(known, share * seg_share, np.nan)


def compute(fleet, profiles, electricity, year_start, year_end, method=STOCK):
    """Impacts of every row for the days [year_start, year_end).

    electricity: criterion -> (value, min, max) per kWh, or None when unknown.
    """
    if method not in (STOCK, FLOW):
        raise ValueError(f"unknown method {method!r}")
    start = fleet.start.astype(np.int64)
    end = fleet.end.astype(np.int64)
    qty = fleet.quantity.astype(float)
    days_in_year = float(year_end - year_start)
    share = amortised_share(fleet, year_start, year_end, method)
    in_service = np.clip(np.minimum(end, year_end) - np.maximum(start, year_start), 0, None)
    # a row's energy is per year of 365 days (8,760 h): use is counted by the day; a use
    # impact given per row is the year's own (cloud: its hours in that year)
    use_share = in_service / DAYS_OF_USE_YEAR * fleet.pue
    if fleet.in_use is not None:
        use_share = use_share * fleet.in_use
    embodied, use = {}, {}
    charged = share * qty
    energy = fleet.energy * (use_share * qty)  # kWh of the year, per row and bound
    given_rows = fleet.given_use is not None and fleet.given_use.any()
    for criterion in CRITERIA:
        factors = profiles.embodied[criterion][:, fleet.profile]  # (3, n)
        embodied[criterion] = factors * charged
        elec = electricity.get(criterion) if electricity else None
        if elec is None:
            computed = np.full((3, len(fleet)), np.nan)
        else:
            computed = energy * np.asarray(elec, dtype=float).reshape(3, 1)
        if given_rows:
            given = fleet.use_given[criterion] * (in_service / days_in_year * qty)
            computed = np.where(fleet.given_use, given, computed)
        use[criterion] = computed
    return Result(embodied, use)


def aggregate(result, groups, size, quantity):
    """Sums per group: {criterion: {phase: (3, size), phase_coverage: (size,)}} + counts.

    A sum adds the rows whose value is known; phase_coverage is the quantity of those
    rows, so a partial sum is shown with what it covers and a group with no known row
    is "non disponible" (NaN), never 0.
    """
    weights = quantity.astype(float)
    single = size == 1
    if single:
        out = {"count": np.array([weights.sum()]), "criteria": {}}
    else:
        out = {"count": np.bincount(groups, weights=weights, minlength=size), "criteria": {}}
    for criterion in CRITERIA:
        phases = {}
        for phase in PHASES:
            values, known = result.clean(criterion, phase)
            everything = known.all()  # the usual case: coverage is the count
            if single:
                sums = values.sum(axis=1, keepdims=True)
                covered = out["count"].copy() if everything else np.array([weights[known].sum()])
            else:
                sums = np.vstack(
                    [np.bincount(groups, weights=row, minlength=size) for row in values]
                )
                covered = (
                    out["count"].copy()
                    if everything
                    else np.bincount(groups, weights=weights * known, minlength=size)
                )
            sums[:, covered == 0] = np.nan
            phases[phase] = sums
            phases[phase + "_coverage"] = covered
        out["criteria"][criterion] = phases
    return out


def difference(base, after, n, touched=None, quantity=None, groups=None):
    """after − base per criterion and phase, over the first n rows shared by both (rows
    a scenario adds come after them), with a range that always holds the value.

    Each row's difference is linear in its own factors, so its ends are the differences
    at min and at max factors; their sums bound the sum of the differences. Rows that are
    parts of one row (`groups`: per row, the row it was split from) share its factors, so
    their differences are added before their ends are taken. Only the rows
    the scenario changes count: those it adds, those whose figures differ, and `touched`
    (rows it changed whose figures are unknown on both sides). An unknown minus an
    unknown is unknown: a phase none of whose changed rows is known is None, and
    {criterion: {"coverage"}} is the share (by `quantity`) of the changed rows known in
    every phase. Returns {criterion: {phase: (value, min, max)}} of plain floats (None
    when unknown), plus that coverage.
    """
    size = after.phase(CRITERIA[0], "embodied").shape[1]
    added = np.arange(size) >= n
    touched_rows = np.zeros(size, dtype=bool)
    if touched is not None:
        touched_rows[: len(touched)] = touched
    qty = np.ones(size) if quantity is None else np.asarray(quantity, dtype=float)
    out = {}
    for criterion in CRITERIA:
        out[criterion] = {}
        parts, changed_any, known_all = {}, np.zeros(size, bool), np.ones(size, bool)
        for phase in ("embodied", "use"):
            b = base.phase(criterion, phase)
            a = after.phase(criterion, phase)
            padded = np.zeros_like(a)  # an added row has nothing before it
            padded[:, :n] = b
            differs = ~np.all(np.isclose(a, padded, equal_nan=True, rtol=0, atol=0), axis=0)
            changed = added | touched_rows | differs
            delta = a - padded  # NaN where either side is unknown
            known = changed & ~np.isnan(delta[0])
            changed_any |= changed
            known_all &= known | ~changed
            if not changed.any():
                parts[phase] = out[criterion][phase] = (0.0, 0.0, 0.0)
                continue
            if not known.any():
                parts[phase] = out[criterion][phase] = None
                continue
            d = np.where(known, np.nan_to_num(delta), 0.0)
            if groups is not None:
                d = np.vstack([np.bincount(groups, weights=row, minlength=size) for row in d])
            low = np.minimum(np.minimum(d[0], d[1]), d[2]).sum()
            high = np.maximum(np.maximum(d[0], d[1]), d[2]).sum()
            parts[phase] = (float(d[0].sum()), float(low), float(high))
            out[criterion][phase] = parts[phase]
        moved = qty[changed_any].sum()
        coverage = float(qty[changed_any & known_all].sum() / moved) if moved else 1.0
        out[criterion]["coverage"] = coverage
        if coverage == 0 or (parts["embodied"] is None and parts["use"] is None):
            out[criterion]["total"] = None  # no changed row known through both phases
        else:
            e = parts["embodied"] or (0.0, 0.0, 0.0)
            u = parts["use"] or (0.0, 0.0, 0.0)
            out[criterion]["total"] = tuple(x + y for x, y in zip(e, u, strict=True))
    return out
