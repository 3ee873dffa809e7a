"""Two frozen quarterly reports of the demo: the last two quarters that have ended."""

import datetime

from sobrio.core.enums import Role
from sobrio.core.models import Membership
from sobrio.reports import services
from sobrio.reports.models import Kind, Report

TEXTS = [
    (
        "L'atelier de réparation a ouvert et les ambassadeurs sont formés par groupes de dix.",
        "Le marché de reconditionnés attend la fin de l'appel d'offres régional.",
        "Présenter la durée de renouvellement de six ans au comité de pilotage.",
    ),
    (
        "Le regroupement des salles serveurs a commencé ; le PUE est mesuré chaque trimestre.",
        "Le chantier de la salle du campus nord a pris un mois de retard (livraison électrique).",
        "Décider de la conservation des données brutes de diffraction avant la fin d'année.",
    ),
]


def _last_quarters(today, n=2):
    year, quarter = today.year, (today.month - 1) // 3  # the quarter before the current one
    out = []
    while len(out) < n:
        if quarter == 0:
            year, quarter = year - 1, 4
        out.append(f"{year}-Q{quarter}")
        quarter -= 1
    return list(reversed(out))


def load(institution, today=None):
    if Report.objects.for_institution(institution).exists():
        return
    today = today or datetime.date.today()
    officer = (
        Membership.objects.for_institution(institution)
        .filter(role=Role.OFFICER)
        .select_related("user")
        .first()
    )
    for period, (synthesis, difficulties, outlook) in zip(
        _last_quarters(today), TEXTS, strict=True
    ):
        report = services.create(institution, Kind.QUARTERLY, period)
        report.synthesis, report.difficulties, report.outlook = synthesis, difficulties, outlook
        report.save()
        services.freeze(report, officer.user if officer else None)
