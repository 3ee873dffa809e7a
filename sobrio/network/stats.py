"""Medians, quartiles and range of a figure across members, and statistical secrecy as
official statistics apply it: fewer than 3 institutions, nothing is shown; one institution
making more than 85 % of a total, the total is not shown, nor (secondary suppression, in
services.benchmark) what would let anyone rebuild it."""

import statistics

MIN_MEMBERS = 3
DOMINANCE = 0.85


def quartiles(values):
    """(q1, median, q3), inclusive method (the quartiles of a spreadsheet's QUARTILE)."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def secrecy(values, additive):
    """(shown, total_shown, reason)."""
    if len(values) < MIN_MEMBERS:
        return False, False, "fewer_than_3"
    total = sum(values)
    if additive and total > 0 and max(values) / total > DOMINANCE:
        return True, False, "dominant"
    return True, additive, None
