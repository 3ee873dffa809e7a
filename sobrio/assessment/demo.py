"""The demo's assessments: its own-words grids, a closed campaign of last year, a running
one with assignments, and a published eco-design declaration. Running it twice changes
nothing."""

import datetime
from pathlib import Path

from django.utils import timezone

from sobrio.assessment import services
from sobrio.assessment.models import Campaign
from sobrio.core.enums import Role
from sobrio.core.models import Membership, Unit
from sobrio.referentials import importers
from sobrio.referentials import services as referential_services

DATA = Path(__file__).resolve().parent.parent / "referentials" / "data"

# Statuses by item code: last year, then this year so far (None: still to assess).
LAST_YEAR = {
    "G.1": "realise",
    "G.2": "reflexion",
    "G.3": "non_engage",
    "P.1": "experimentation",
    "P.2": "reflexion",
    "P.3": "non_engage",
    "P.4": "experimentation",
    "S.1": "non_engage",
    "S.2": "non_applicable",
    "S.3": "reflexion",
    "F.1": "experimentation",
    "F.2": "non_engage",
}
THIS_YEAR = {
    "G.1": "realise",
    "G.2": "realise",
    "G.3": "experimentation",
    "P.1": "realise",
    "P.2": "experimentation",
    "P.3": "reflexion",
    "S.1": "reflexion",
    "F.1": "realise",
}
ECODESIGN = {
    "1.1": ("valide", ""),
    "1.2": ("non_valide", "Date de fin de vie à fixer au prochain comité de pilotage."),
    "2.1": ("valide", ""),
    "2.2": ("valide", ""),
    "2.3": ("en_cours", "Redimensionnement automatique des images prévu au printemps."),
    "3.1": ("non_valide", "Règle de purge des comptes inactifs à rédiger avec le DPO."),
    "3.2": ("non_applicable", "Hébergement interne : mesure portée par le critère 3.1."),
}


def _referential(institution, filename):
    parsed = importers.read(DATA / filename)
    return referential_services.referential_import(
        parsed=parsed, institution=institution
    ).referential


def _answer_all(campaign, statuses, comments=None, when=None):
    for answer in campaign.answers.select_related("item"):
        status = statuses.get(answer.item.code)
        if status is None:
            continue
        answer.status = status
        answer.comment = (comments or {}).get(answer.item.code, "")
        answer.answered_at = when or timezone.now()
        answer.save()


def load(institution, today=None):
    today = today or timezone.localdate()
    if Campaign.objects.for_institution(institution).exists():
        return
    grid = _referential(institution, "demo-grille.yaml")
    ecodesign = _referential(institution, "demo-ecoconception.yaml")
    members = {
        m.role: m for m in Membership.objects.for_institution(institution).select_related("user")
    }
    dsi = Unit.objects.for_institution(institution).filter(code="DSI").first()
    last = services.campaign_create(
        institution=institution,
        referential=grid,
        name=f"Autoévaluation {today.year - 1}",
        starts_on=datetime.date(today.year - 1, 3, 1),
        ends_on=datetime.date(today.year - 1, 6, 30),
        working_group=list(members.values()),
    )
    _answer_all(last, LAST_YEAR)
    services.campaign_close(campaign=last)

    running = services.campaign_create(
        institution=institution,
        referential=grid,
        name=f"Autoévaluation {today.year}",
        starts_on=datetime.date(today.year, 3, 1),
        ends_on=today + datetime.timedelta(days=45),
        working_group=list(members.values()),
    )
    _answer_all(running, THIS_YEAR)
    answers = running.answers.all()
    services.answers_assign(
        campaign=running,
        answers=answers.filter(item__family__code="P"),
        assignee=members.get(Role.CONTRIBUTOR),
        unit=dsi,
        due_on=today + datetime.timedelta(days=5),
    )
    services.answers_assign(
        campaign=running,
        answers=answers.filter(item__family__code="S"),
        unit=dsi,
        due_on=today - datetime.timedelta(days=3),
    )
    services.answers_assign(
        campaign=running,
        answers=answers.filter(item__family__code__in=["G", "F"]),
        assignee=members.get(Role.OFFICER),
        due_on=today + datetime.timedelta(days=30),
    )

    ent = services.campaign_create(
        institution=institution,
        referential=ecodesign,
        name=f"Écoconception de l'ENT {today.year}",
        scope="ENT (environnement numérique de travail)",
        starts_on=datetime.date(today.year, 5, 1),
        ends_on=datetime.date(today.year, 6, 30),
    )
    _answer_all(
        ent,
        {code: status for code, (status, _c) in ECODESIGN.items()},
        {code: comment for code, (_s, comment) in ECODESIGN.items()},
    )
    services.campaign_close(campaign=ent)
    services.declaration_publish(campaign=ent, published=True)
