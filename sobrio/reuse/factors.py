"""The shipped factor set for the avoided impact of refurbished devices (ADEME, 2022)."""

from django.db import transaction
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
    from sobrio.footprint.models import Factor, FactorSet, Purpose

    existing = FactorSet.objects.filter(institution=None, builtin_key=FACTOR_SET_KEY).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        factor_set = FactorSet.objects.create(
            institution=None,
            name=_("Réemploi : impact évité des produits reconditionnés"),
            version="1",
            source=_ADEME,
            licence="Données ADEME (citation de la source)",
            published="2022",
            builtin_key=FACTOR_SET_KEY,
            purpose=Purpose.REUSE,
        )
        Factor.objects.bulk_create(Factor(factor_set=factor_set, **r) for r in _rows())
    return factor_set
