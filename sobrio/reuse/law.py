"""What the law allows for a device leaving a public body, as guidance with its source —
never legal advice. A decision the rules below refuse can still be recorded with a
written justification (an exception).

Sources (../shared/notes/reuse.md): Code général de la propriété des personnes publiques
(CG3P) L3211-18 and L3212-2 (3° and 5°), D3212-3 (décret 2022-791: 300 € per unit); loi
3DS 2022-217 art. 178 (associations of general interest equipping people in precarity)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrio.reuse.models import BeneficiaryKind as K
from sobrio.reuse.models import ReusePath as P

CEILING = Decimal("300")  # € per unit, CG3P D3212-3 (décret 2022-791)
CG3P_3 = gettext_lazy("CG3P, art. L3212-2, 3° (associations, ESUS) ; plafond : art. D3212-3")
CG3P_5 = gettext_lazy("CG3P, art. L3212-2, 5° (agents de l'établissement) ; plafond : art. D3212-3")
PRINCIPLE = gettext_lazy("CG3P, art. L3211-18 (pas de cession gratuite hors exceptions)")

DONEES = {
    K.PARENTS_ASSOCIATION,
    K.SCHOOL_SUPPORT_ASSOCIATION,
    K.ARUP,
    K.ESUS,
    K.STUDENT_ASSOCIATION,
    K.PRECARITY_ASSOCIATION,
}
RESELLERS = {K.ARUP, K.PRECARITY_ASSOCIATION}  # the only ones who may resell, at a capped price
TAKERS = {K.SUPPLIER, K.ECO_ORGANISM}
OUTSIDE = {P.DONATION, P.SOLIDARITY_SALE, P.DOMAIN_SALE, P.TAKEBACK_REUSE}  # leaves the body
REUSE_PATHS = {P.REASSIGNED, P.DONATION, P.SOLIDARITY_SALE, P.DOMAIN_SALE, P.TAKEBACK_REUSE}
NEEDS_COMMITMENT = {P.DOMAIN_SALE, P.TAKEBACK_REUSE}  # reuse only if the taker committed
# What décret 2023-266 counts in its rate: items sent to reuse or re-use (réemploi,
# réutilisation) by someone else. An internal reassignment keeps the item with its owner:
# the décret's destinations do not name it, so it is shown apart, outside the rate.
RATE_PATHS = OUTSIDE


@dataclass
class Refusal:
    reason: str
    source: str


def check(path, kind, unit_value=None):
    """Why the law, as the notes read it, does not allow this decision ([] if it does)."""
    refusals = []
    if path == P.DONATION:
        if kind == K.STUDENT:
            refusals.append(
                Refusal(
                    _(
                        "Un·e étudiant·e à titre individuel n'est pas dans les listes de l'article "
                        "L3212-2 : passez par une association étudiante ou une ESUS partenaire."
                    ),
                    str(CG3P_3),
                )
            )
        elif kind == K.STAFF:
            source = str(CG3P_5)
        elif kind in DONEES:
            source = str(CG3P_3)
        else:
            refusals.append(
                Refusal(
                    _(
                        "Ce type de bénéficiaire n'est pas dans les listes de dons de l'article "
                        "L3212-2 (agents, associations de parents, de soutien scolaire, "
                        "étudiantes, reconnues d'utilité publique, d'intérêt général, ESUS)."
                    ),
                    str(PRINCIPLE),
                )
            )
        if not refusals and unit_value is not None and Decimal(unit_value) > CEILING:
            refusals.append(
                Refusal(
                    _("Valeur unitaire de %(v)s € : le don est limité à %(c)s € par unité.")
                    % {"v": unit_value, "c": CEILING},
                    source,
                )
            )
    elif path == P.SOLIDARITY_SALE and kind not in RESELLERS:
        refusals.append(
            Refusal(
                _(
                    "Seules les associations reconnues d'utilité publique et celles d'intérêt "
                    "général qui équipent les personnes en précarité peuvent revendre, à prix "
                    "solidaire plafonné."
                ),
                str(CG3P_3),
            )
        )
    elif path == P.TAKEBACK_REUSE and kind not in TAKERS:
        refusals.append(
            Refusal(
                _("Une reprise se fait par le fournisseur ou un éco-organisme."), str(PRINCIPLE)
            )
        )
    elif path == P.RECYCLING and kind not in (K.ECO_ORGANISM, K.OTHER, ""):
        refusals.append(
            Refusal(
                _("Un DEEE se remet à un éco-organisme agréé (ou à un opérateur de traitement)."),
                "Code de l'environnement, art. R543-172 et suivants",
            )
        )
    return refusals


def leaves(path):
    return path in OUTSIDE
