from sobrio.assessment.scores import Line, compute


def rgesn(*rows):
    weights = {1: 1.5, 2: 1.25, 3: 1.0}
    return [Line(family, weights[rank], status, rank) for family, rank, status in rows]


def test_the_rgesn_score_on_a_hand_computed_case():
    lines = rgesn(
        ("1", 1, "valide"),  # 1.5 validated
        ("1", 1, "non_valide"),  # 1.5 applicable
        ("2", 2, "valide"),  # 1.25 validated
        ("2", 3, "non_applicable"),  # leaves the denominator
        ("2", 3, "en_cours"),  # 1.0 applicable, not validated
    )
    result = compute(lines, "rgesn")
    # (1.5 + 1.25) / (1.5 + 1.5 + 1.25 + 1.0) × 100 = 52.38…
    assert result["score"] == 52.4
    assert result["families"] == {"1": 50.0, "2": 55.6}  # 1.25 / 2.25
    assert result["counts"]["valide"] == 2
    assert result["counts"]["non_applicable"] == 1


def test_items_still_to_assess_count_against_the_rgesn_score():
    lines = rgesn(("1", 1, "valide"), ("1", 1, "a_evaluer"))
    assert compute(lines, "rgesn")["score"] == 50.0


def test_only_non_applicable_leaves_the_denominator():
    all_na = compute(rgesn(("1", 1, "non_applicable"), ("1", 2, "non_applicable")), "rgesn")
    assert all_na["score"] is None
    assert all_na["families"] == {"1": None}
    assert all_na["priority_done_share"] is None


def test_a_weighted_rgesn_case_where_priority_changes_the_result():
    # Validating the priority criterion weighs more than validating the moderate one.
    high = compute(rgesn(("1", 1, "valide"), ("1", 3, "non_valide")), "rgesn")["score"]
    low = compute(rgesn(("1", 1, "non_valide"), ("1", 3, "valide")), "rgesn")["score"]
    assert (high, low) == (60.0, 40.0)


def test_the_maturity_score_values_each_step():
    lines = [
        Line("A", 1.5, "realise", 1),  # 1.5 × 1
        Line("A", 1.5, "experimentation", 1),  # 1.5 × 2/3
        Line("B", 1.0, "reflexion", 3),  # 1 × 1/3
        Line("B", 1.0, "non_engage", 3),  # 0
        Line("B", 1.25, "non_applicable", 2),
    ]
    result = compute(lines, "maturity")
    # (1.5 + 1 + 1/3) / (1.5 + 1.5 + 1 + 1) × 100 = 56.67
    assert result["score"] == 56.7
    assert result["families"]["A"] == 83.3
    assert result["priority_items"] == 2 and result["priority_done"] == 1
    assert result["priority_done_share"] == 50.0
    assert result["answered"] == 5 and result["progress"] == 100.0
