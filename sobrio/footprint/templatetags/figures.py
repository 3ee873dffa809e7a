"""How figures read on screen: three significant digits, French separators, a range."""

import math

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sobrio.core.numbers import num

register = template.Library()


register.filter("num", num)


@register.filter
def fig(bounds):
    """'12,3 (10,1 à 15,2)' from {'value', 'min', 'max'}; 'non disponible' when unknown."""
    if not bounds or bounds.get("value") is None:
        return _("non disponible")
    low, high = bounds.get("min"), bounds.get("max")
    if low is None or high is None or math.isclose(low, high, rel_tol=1e-9):
        return num(bounds["value"])
    return _("%(value)s (de %(low)s à %(high)s)") % {
        "value": num(bounds["value"]),
        "low": num(low),
        "high": num(high),
    }


@register.filter
def percent(share, total):
    if not total:
        return "—"
    return number_format(round(100 * share / total), use_l10n=True)


@register.filter
def partial(phase):
    """' — couvre 40 %' when a phase's sum leaves rows out; '' when it covers them all."""
    if not phase or phase.get("value") is None:
        return ""
    coverage = phase.get("coverage")
    if coverage is None or coverage >= 0.9995:
        return ""
    return _(" — couvre %(share)s %%") % {
        "share": number_format(round(100 * coverage), use_l10n=True)
    }


@register.filter
def moment(iso):
    """An ISO date-time (as stored in a cached result) in local time, as people write it."""
    import datetime

    from django.utils import timezone
    from django.utils.formats import date_format

    try:
        value = datetime.datetime.fromisoformat(str(iso))
    except ValueError:
        return ""
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


@register.filter
def signed(value):
    """+3,2 or −12: a change with its sign, three significant digits."""
    if value is None:
        return "—"
    text = num(abs(value))
    if text == "0":
        return "0"
    return ("+" if value > 0 else "−") + text
