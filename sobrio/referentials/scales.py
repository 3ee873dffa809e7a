"""Answer scales of a referential, and the weights of priorities. Plain Python, no Django.

A status has a value between 0 and 1 used by the scores, or None when the item does not
apply (it then leaves the denominator). `done` marks the statuses that count as achieved.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_noop

# The terms of the published scales and grids, marked for the English catalogue: they
# stay French in files and snapshots, and are translated where they are shown (|term).
TERMS = (
    gettext_noop("Prioritaire"),
    gettext_noop("Recommandé"),
    gettext_noop("Recommandée"),
    gettext_noop("Modéré"),
    gettext_noop("Aller plus loin"),
    gettext_noop("Faible"),
    gettext_noop("Moyen"),
    gettext_noop("Moyenne"),
    gettext_noop("Fort"),
    gettext_noop("Forte"),
    gettext_noop("Facile"),
    gettext_noop("Difficile"),
    gettext_noop("Élevé"),
    gettext_noop("Élevée"),
)

RGESN = "rgesn"
MATURITY = "maturity"


@dataclass(frozen=True)
class Status:
    key: str
    label: str
    value: float | None
    done: bool = False

    @property
    def applicable(self):
        return self.value is not None


# Labels are French as published on each scale: answers files are matched against them.
SCALES = {
    RGESN: (
        Status("a_evaluer", gettext_noop("À évaluer"), 0.0),
        Status("en_cours", gettext_noop("En cours"), 0.0),
        Status("valide", gettext_noop("Validé"), 1.0, done=True),
        Status("non_valide", gettext_noop("Non validé"), 0.0),
        Status("non_applicable", gettext_noop("Non applicable"), None),
    ),
    MATURITY: (
        Status("a_evaluer", gettext_noop("À évaluer"), 0.0),
        Status("non_engage", gettext_noop("Non engagé"), 0.0),
        Status("reflexion", gettext_noop("En réflexion"), 1 / 3),
        Status("experimentation", gettext_noop("En expérimentation"), 2 / 3),
        Status("realise", gettext_noop("Réalisé"), 1.0, done=True),
        Status("non_applicable", gettext_noop("Non applicable"), None),
    ),
}
DEFAULT_STATUS = "a_evaluer"

# Priority rank 1 (highest) to 3, and the weight each rank carries in a score. The RGESN
# gives these weights officially; Sobrio applies the same ones to every referential.
PRIORITY_WEIGHTS = {1: 1.5, 2: 1.25, 3: 1.0}
PRIORITY_RANKS = {
    "prioritaire": 1,
    "recommandé": 2,
    "recommandée": 2,
    "recommande": 2,
    "recommandee": 2,
    "modéré": 3,
    "modere": 3,
    "aller plus loin": 3,
}


def statuses(scale):
    return SCALES[scale]


def status(scale, key):
    for item in SCALES[scale]:
        if item.key == key:
            return item
    raise KeyError(key)


def _fold(text):
    import unicodedata

    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").split())


def parse_status(scale, text):
    """The status whose key or label matches `text` (case and accents ignored), else None."""
    wanted = _fold(text)
    for item in SCALES[scale]:
        if wanted in (_fold(item.key), _fold(item.label)):
            return item
    return None


def priority_rank(label):
    return PRIORITY_RANKS.get(" ".join(str(label or "").lower().split()))


def weight_for(rank):
    return PRIORITY_WEIGHTS.get(rank, 1.0)
