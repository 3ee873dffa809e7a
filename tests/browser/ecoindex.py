"""The EcoIndex of a page from its published formula (ecoindex.fr, GreenIT):

    score = 100 − 5 × (3 × q(DOM) + 2 × q(requests) + q(size in KB)) ÷ 6

where q(x) places x among the quantiles of the HTTP Archive pages the index was
calibrated on (the figures below, as the EcoIndex project publishes them), linearly
between two of them. Grades: A above 80, B above 70, C 55, D 40, E 25, F 10, else G.
Computed here so that the suite needs no package under a non-commercial licence.
"""

DOM = (0, 47, 75, 159, 233, 298, 358, 417, 476, 537, 603, 674, 753, 843, 949, 1076, 1237, 1459,
       1801, 2479, 594601)  # fmt: skip
REQUESTS = (0, 2, 15, 25, 34, 42, 49, 56, 63, 70, 78, 86, 95, 105, 117, 130, 147, 170, 205, 281,
            3920)  # fmt: skip
SIZE_KB = (0, 1.37, 144.7, 319.53, 479.46, 631.97, 783.38, 937.91, 1098.62, 1265.47, 1448.32,
           1648.27, 1876.08, 2142.06, 2465.37, 2866.31, 3401.59, 4155.73, 5400.08, 8037.54,
           223212.26)  # fmt: skip
GRADES = (("A", 80), ("B", 70), ("C", 55), ("D", 40), ("E", 25), ("F", 10))


def quantile(quantiles, value):
    for i in range(1, len(quantiles)):
        if value < quantiles[i]:
            return i - 1 + (value - quantiles[i - 1]) / (quantiles[i] - quantiles[i - 1])
    return len(quantiles) - 1


def score(nodes, size_kb, requests):
    q = 3 * quantile(DOM, nodes) + 2 * quantile(REQUESTS, requests) + quantile(SIZE_KB, size_kb)
    return round(100 - 5 * q / 6)


def grade(value):
    return next((letter for letter, floor in GRADES if value > floor), "G")
