"""Marks of an answer and of an attempt, and the statistics of a quiz's questions.

Everything is computed here, on the server, from what the participant sent: a score a
browser computed is never trusted. A fraction is the share of a question's mark earned
(0 to 1); an essay has none until the officer grades it.
"""

import math
import re
import unicodedata

MANUAL = "essay"


def _plain(text):
    return " ".join(str(text).split()).casefold()


def _pattern(answer):
    """A short answer as Moodle matches it: case ignored, `*` for any characters."""
    parts = (re.escape(p) for p in _plain(answer).split("*"))
    return re.compile("^" + ".*".join(parts) + "$", re.DOTALL)


def _numeric(text):
    text = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def grade(qtype, data, response):
    """(fraction, feedback) of one response; fraction None while an essay waits for the
    officer, and for a description (nothing to answer)."""
    if qtype == "description":
        return None, ""
    if response in (None, "", [], {}):
        return 0.0, ""  # not answered: nothing to grade, an essay included
    if qtype == MANUAL:
        return None, ""
    if qtype == "multichoice":
        answers = data["answers"]
        chosen = response if isinstance(response, list) else [response]
        picked = [answers[i] for i in chosen if isinstance(i, int) and 0 <= i < len(answers)]
        if data.get("single"):
            picked = picked[:1]
        total = sum(a["fraction"] for a in picked)
        feedback = " ".join(a["feedback"] for a in picked if a["feedback"])
        return min(1.0, max(0.0, total)), feedback
    if qtype == "truefalse":
        right = bool(response) == data["answer"]
        return (1.0 if right else 0.0), data["feedback_right" if right else "feedback_wrong"]
    if qtype == "shortanswer":
        given = _plain(response)
        matches = [a for a in data["answers"] if _pattern(a["text"]).match(given)]
        if not matches:
            return 0.0, ""
        best = max(matches, key=lambda a: a["fraction"])
        return max(0.0, best["fraction"]), best["feedback"]
    if qtype == "numerical":
        value = _numeric(response)
        if value is None:
            return 0.0, data.get("wrong_feedback", "")
        matches = [a for a in data["answers"] if abs(value - a["value"]) <= a["tolerance"] + 1e-12]
        if not matches:
            return 0.0, data.get("wrong_feedback", "")
        best = max(matches, key=lambda a: a["fraction"])
        return max(0.0, best["fraction"]), best["feedback"]
    if qtype == "match":
        pairs = data["pairs"]
        given = response if isinstance(response, dict) else {}
        right = sum(1 for i, p in enumerate(pairs) if given.get(str(i)) == p["right"])
        return right / len(pairs), ""
    raise ValueError(f"unknown question type {qtype!r}")


def attempt_score(marks):
    """Share (0 to 1) of the marks earned: marks is [(fraction or None, mark)]; None
    while an answer waits to be graded."""
    total = sum(mark for _fraction, mark in marks)
    if any(fraction is None and mark for fraction, mark in marks):
        return None
    if not total:
        return None
    return sum(fraction * mark for fraction, mark in marks if fraction is not None) / total


def final_score(scores, method):
    """The grade kept for a person from the scores of their finished attempts (in order)."""
    scores = [s for s in scores if s is not None]
    if not scores:
        return None
    if method == "highest":
        return max(scores)
    if method == "average":
        return sum(scores) / len(scores)
    if method == "first":
        return scores[0]
    if method == "last":
        return scores[-1]
    raise ValueError(f"unknown grade method {method!r}")


def _covariance(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (n - 1)


def _pearson(xs, ys):
    if len(xs) < 2:
        return None
    sxx, syy = _covariance(xs, xs), _covariance(ys, ys)
    if not sxx or not syy:
        return None
    return _covariance(xs, ys) / math.sqrt(sxx * syy)


def question_statistics(rows):
    """Per question, over first attempts, as Moodle's quiz statistics define them (its
    documentation, « Quiz statistics calculations »): x is the question's mark in an
    attempt, X the attempt's total; an answer still to grade counts 0, as in Moodle.

    - facility index: mean of x ÷ the question's mark, in %;
    - standard deviation: sd of x (n − 1) ÷ the question's mark, in %;
    - discrimination index: 100 × the correlation of x with X − x;
    - discriminative efficiency: 100 × cov(x, X − x) ÷ the largest covariance the same
      values could give (x and X − x each sorted), so 100 % is as discriminating as the
      answers allow.

    rows: {attempt: {question: (fraction or None, mark)}}.
    Returns {question: {"count", "to_grade", "facility", "sd", "discrimination",
    "efficiency"}}.
    """
    questions = {q for answers in rows.values() for q in answers}
    out = {}
    for question in questions:
        own, rest, mark, pending = [], [], 0.0, 0
        for answers in rows.values():
            if question not in answers:
                continue
            fraction, mark = answers[question]
            pending += fraction is None
            own.append((fraction or 0.0) * mark)
            rest.append(sum((f or 0.0) * m for q, (f, m) in answers.items() if q != question))
        n = len(own)
        stats = {"count": n, "to_grade": pending, "facility": None, "sd": None,
                 "discrimination": None, "efficiency": None}  # fmt: skip
        if n and mark:
            stats["facility"] = 100 * sum(own) / n / mark
        if n >= 2 and mark:
            stats["sd"] = 100 * math.sqrt(_covariance(own, own)) / mark
            correlation = _pearson(own, rest)
            if correlation is not None:
                stats["discrimination"] = 100 * correlation
                best = _covariance(sorted(own), sorted(rest))
                if best:
                    stats["efficiency"] = 100 * _covariance(own, rest) / best
        out[question] = stats
    return out
