"""The figures a member can share, computed from its own apps' services, each with the
basis it was computed on (method, factor set, denominator): only figures of the same basis
are compared."""

import datetime

from django.utils.translation import gettext_lazy as _

# code: (share group, label, unit, additive: a total of the network means something)
FIGURES = {
    "footprint_total": ("footprint", _("Empreinte du parc (GWP)"), "kgCO2e", True),
    "footprint_per_person": ("footprint", _("Empreinte par personne (GWP)"), "kgCO2e", False),
    "assessment_score": ("assessment", _("Score d'autoévaluation"), "%", False),
    "actions_done": ("plan", _("Actions du plan réalisées"), _("actions"), True),
    "people_trained": ("awareness", _("Personnes formées (12 mois)"), _("personnes"), True),
    "reuse_rate": ("reuse", _("Taux de réemploi"), "%", False),
}


def _footprint(institution, year):
    from sobrio.footprint import services

    data = services.footprint(institution, year=year)
    total = data["totals"]["gwp"]["total"]["value"]
    basis = {
        "method": str(data["method"]),
        "factor_set": f"{data['factor_set']['name']} {data['factor_set']['version']}",
    }
    return data, total, basis


def compute(institution, code, year):
    """[(referential, value, basis)] of one figure of one institution for a year."""
    if code == "footprint_total":
        _data, total, basis = _footprint(institution, year)
        return [("", total, basis)]
    if code == "footprint_per_person":
        from sobrio.footprint import services

        _data, total, basis = _footprint(institution, year)
        settings = services.settings_for(institution)
        people = (settings.staff_count or 0) + (settings.student_count or 0)
        basis = {**basis, "denominator": "agents + étudiant·es"}
        return [("", total / people if people and total is not None else None, basis)]
    if code == "assessment_score":
        from sobrio.assessment.models import Campaign
        from sobrio.assessment.services import campaign_data

        out, seen = [], set()
        for campaign in (
            Campaign.objects.for_institution(institution)
            .select_related("referential")
            .order_by("-created_at")
        ):
            name = str(campaign.referential)
            if name in seen:
                continue  # the latest campaign of each referential
            seen.add(name)
            out.append((name, campaign_data(campaign)["results"]["score"], {"referential": name}))
        return out
    if code == "actions_done":
        from sobrio.plan.models import Action, Status

        n = (
            Action.objects.for_institution(institution)
            .filter(status=Status.DONE, done_on__year__lte=year)
            .count()
        )
        return [("", float(n), {})]
    if code == "people_trained":
        from sobrio.learning.indicators import people_trained

        return [("", float(people_trained(institution, datetime.date(year, 12, 31)).value), {})]
    if code == "reuse_rate":
        from sobrio.reuse.services import rate

        return [("", rate(institution, year)["rate"], {"method": "décret 2023-266"})]
    raise KeyError(code)
