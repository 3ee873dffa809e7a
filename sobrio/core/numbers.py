"""How a number reads for a person, everywhere Sobrio shows one (pages, PDF, ODT, email,
the cockpit): three significant digits, the active language's separators (French: 33,3 ;
12 345), no trailing zero, never -0; — when unknown. The template filter `num`
(footprint/templatetags/figures.py) is this function."""

import math

from django.utils.formats import number_format


def _round(value):
    if value == 0:
        return 0
    digits = max(0, 2 - int(math.floor(math.log10(abs(value)))))
    return round(value, digits), digits


def num(value):
    """A number with three significant digits in the active language, no trailing zero
    (60, not 60,0; 5, not 5,00) and never -0; — when unknown."""
    if value is None:
        return "—"
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else "—"
    rounded, digits = _round(value)
    if rounded == 0:
        return "0"
    text = f"{rounded:.{digits}f}"
    decimals = len(text.rstrip("0").split(".")[1]) if "." in text.rstrip("0") else 0
    return number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)
