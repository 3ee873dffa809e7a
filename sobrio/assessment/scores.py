"""Campaign scores. Plain Python, no Django: the same code for screens, exports and CLI.

Every scale gives each status a value between 0 and 1 (RGESN: 1 for "Validé", 0 for the
others; maturity: 0, 1/3, 2/3, 1 from "non engagé" to "réalisé") or None for "Non
applicable". A score is then

    sum(weight × value) / sum(weight) × 100, over the applicable items,

which for the RGESN is its official formula (weights 1.5 / 1.25 / 1 by priority, only
"Non applicable" leaving the denominator). Items still "à évaluer" count as 0.
"""

from collections import Counter
from dataclasses import dataclass

from sobrio.referentials import scales


@dataclass(frozen=True)
class Line:
    family: str
    weight: float
    status: str
    priority_rank: int | None = None


def _score(lines, scale):
    numerator = denominator = 0.0
    for line in lines:
        value = scales.status(scale, line.status).value
        if value is None:
            continue
        numerator += line.weight * value
        denominator += line.weight
    return None if denominator == 0 else round(numerator / denominator * 100, 1)


def compute(lines, scale):
    """{'score', 'families': {code: score}, 'counts': {status: n}, 'progress', 'priority_done'}."""
    lines = list(lines)
    families = {}
    for line in lines:
        families.setdefault(line.family, []).append(line)
    counts = Counter(line.status for line in lines)
    answered = sum(1 for line in lines if line.status != scales.DEFAULT_STATUS)
    priority = [
        line
        for line in lines
        if line.priority_rank == 1 and scales.status(scale, line.status).applicable
    ]
    priority_done = sum(1 for line in priority if scales.status(scale, line.status).done)
    return {
        "score": _score(lines, scale),
        "families": {code: _score(group, scale) for code, group in families.items()},
        "counts": {s.key: counts.get(s.key, 0) for s in scales.statuses(scale)},
        "items": len(lines),
        "answered": answered,
        "progress": round(answered / len(lines) * 100, 1) if lines else 0.0,
        "priority_items": len(priority),
        "priority_done": priority_done,
        "priority_done_share": round(priority_done / len(priority) * 100, 1) if priority else None,
    }
