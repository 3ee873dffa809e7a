"""The shipped factor set for the avoided impact of refurbished devices (ADEME, 2022)."""

from django.utils.translation import gettext as _

FACTOR_SET_KEY = "reuse-1"
_ADEME = (
    "ADEME, « Évaluation de l'impact environnemental de l'achat de produits reconditionnés » "
    "(avec LCIE Bureau Veritas et NégaOctet), septembre 2022"
)


def _rows():
    # kgCO2e avoided per year of use when a refurbished device replaces a new one. The
    # study gives one figure per product (its 43–97 % range is a share of the new device's
    # yearly impact, which the notes do not give): min and max are the figure itself.
    for category, value in (("laptop", 27.0), ("smartphone", 24.6)):
        yield {
            "category": category,
            "criterion": "gwp",
            "phase": "use",
            "value": value,
            "min": value,
            "max": value,
            "unit": "kgCO2e/an évité",
            "source": _ADEME + " : achat reconditionné au lieu de neuf, par année d'usage "
            "(sources secondaires) ; 43 à 97 % de l'impact annuel évité selon les pièces "
            "changées et la durée de vie.",
            "date": "2022",
        }


def ensure_factor_set():
    from sobrio.footprint.models import Purpose
    from sobrio.footprint.services import ensure_builtin_set

    return ensure_builtin_set(
        FACTOR_SET_KEY, _rows, name=_("Réemploi : impact évité des produits reconditionnés"),
        version="1", source=_ADEME, licence="Données ADEME (citation de la source)",
        published="2022", purpose=Purpose.REUSE,
    )  # fmt: skip
