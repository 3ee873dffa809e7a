"""The suite's own EcoIndex agrees with the figures the EcoIndex project publishes."""

import pytest

from tests.browser import ecoindex


@pytest.mark.parametrize(
    ("nodes", "size", "requests", "expected", "letter"),
    [
        (0, 0, 0, 100, "A"),
        (240, 500, 10, 84, "A"),  # the reference implementation gives 84 too
        (800, 2000, 60, 46, "D"),
        (594601, 223212.26, 3920, 0, "G"),  # every measure past the last quantile
    ],
)
def test_score_and_grade(nodes, size, requests, expected, letter):
    value = ecoindex.score(nodes, size, requests)
    assert value == expected
    assert ecoindex.grade(value) == letter


def test_a_quantile_is_linear_between_two_published_values():
    assert ecoindex.quantile(ecoindex.DOM, 47) == 1
    assert ecoindex.quantile(ecoindex.DOM, 61) == pytest.approx(1.5)
