"""Indicators Sobrio computes from its own data: a registry each app adds to.

An app registers its sources in its AppConfig.ready() (see footprint/indicators.py,
assessment/indicators.py); the plan offers them when an indicator is created and reads
them on a given date. A source never invents a value: it returns None with the reason
when its data cannot answer.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    choices: tuple = ()  # ((value, label), ...); empty: a whole number
    default: object = None


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    unit: object  # a text, or a function of the params
    kind: str  # "number" or "percent", as plan.IndicatorKind
    direction: str  # "up" or "down": which way is better
    compute: object  # (institution, on: date, **params) -> Reading
    params: tuple = field(default=())

    def unit_for(self, params):
        return self.unit(params or {}) if callable(self.unit) else self.unit

    def read(self, institution, on, params=None):
        values = {p.name: (params or {}).get(p.name, p.default) for p in self.params}
        return self.compute(institution, on, **values)


@dataclass(frozen=True)
class Reading:
    value: float | None
    note: str  # where the value comes from, or why there is none


SOURCES = {}


def register(source):
    if source.key in SOURCES:
        raise ValueError(f"indicator source {source.key!r} registered twice")
    SOURCES[source.key] = source


def choices():
    return [(s.key, s.label) for s in sorted(SOURCES.values(), key=lambda s: str(s.label))]


def twelve_months(on):
    """The window [start, end) of the twelve months up to the day `on`, included."""
    end = timezone.make_aware(
        datetime.datetime.combine(on + datetime.timedelta(days=1), datetime.time())
    )
    return end - datetime.timedelta(days=365), end


def period_note(on):
    """How a reading says it covers the twelve months up to `on`."""
    start = on - datetime.timedelta(days=364)
    return _("du %(start)s au %(end)s") % {
        "start": start.strftime("%d/%m/%Y"),
        "end": on.strftime("%d/%m/%Y"),
    }


def period_bounds(starts_on, ends_on):
    """A report's period of days [starts_on, ends_on] as the instants [start, end)."""
    start = timezone.make_aware(datetime.datetime.combine(starts_on, datetime.time()))
    return start, timezone.make_aware(
        datetime.datetime.combine(ends_on + datetime.timedelta(days=1), datetime.time())
    )
