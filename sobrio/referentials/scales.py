"""Answer scales of a referential, and the weights of priorities. Plain Python, no Django.

A status has a value between 0 and 1 used by the scores, or None when the item does not
apply (it then leaves the denominator). `done` marks the statuses that count as achieved.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_noop as N_

# The terms of the published scales and grids, marked for the English catalogue: they
# stay French in files and snapshots, and are translated where they are shown (|term).
TERMS = (
    N_("Prioritaire"),
    N_("Recommandé"),
    N_("Recommandée"),
    N_("Modéré"),
    N_("Aller plus loin"),
    N_("Faible"),
    N_("Moyen"),
    N_("Moyenne"),
    N_("Fort"),
    N_("Forte"),
    N_("Facile"),
    N_("Difficile"),
    N_("Élevé"),
    N_("Élevée"),
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
        Status("a_evaluer", N_("À évaluer"), 0.0),
        Status("en_cours", N_("En cours"), 0.0),
        Status("valide", N_("Validé"), 1.0, done=True),
        Status("non_valide", N_("Non validé"), 0.0),
        Status("non_applicable", N_("Non applicable"), None),
    ),
    MATURITY: (
        Status("a_evaluer", N_("À évaluer"), 0.0),
        Status("non_engage", N_("Non engagé"), 0.0),
        Status("reflexion", N_("En réflexion"), 1 / 3),
        Status("experimentation", N_("En expérimentation"), 2 / 3),
        Status("realise", N_("Réalisé"), 1.0, done=True),
        Status("non_applicable", N_("Non applicable"), None),
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
