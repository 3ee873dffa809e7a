"""How figures read on screen: three significant digits, French separators, a range."""

import math

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


def _round(value):
    if value == 0:
        return 0
    digits = max(0, 2 - int(math.floor(math.log10(abs(value)))))
    return round(value, digits), digits


@register.filter
def num(value):
    """A number with three significant digits in the active language; — when unknown."""
    if value is None:
        return "—"
    if value == 0:
        return "0"
    rounded, digits = _round(float(value))
    return number_format(rounded, decimal_pos=digits, use_l10n=True, force_grouping=True)


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
