"""Indicators computed from the inventory and its footprint (see core/indicators.py)."""

import datetime

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrio.core.indicators import Param, Reading, Source, register

CRITERIA = (
    ("gwp", gettext_lazy("Changement climatique (kgCO2e)")),
    ("adpe", gettext_lazy("Ressources abiotiques (kgSbeq)")),
    ("pe", gettext_lazy("Énergie primaire (MJ)")),
)
CRITERION = Param("criterion", gettext_lazy("Critère"), CRITERIA, "gwp")


def _total(institution, on, criterion):
    from sobrio.footprint import services

    data = services.footprint(institution, year=on.year)
    value = data["totals"][criterion]["total"]["value"]
    note = _("%(year)s, méthode %(method)s, jeu « %(set)s »") % {
        "year": on.year,
        "method": data["method"],
        "set": data["factor_set"]["name"],
    }
    return data, value, note


def footprint_total(institution, on, criterion):
    _data, value, note = _total(institution, on, criterion)
    if value is None:
        return Reading(None, _("empreinte non disponible : ") + note)
    return Reading(value, note)


def footprint_per_person(institution, on, criterion):
    from sobrio.footprint import services

    settings = services.settings_for(institution)
    people = (settings.staff_count or 0) + (settings.student_count or 0)
    _data, value, note = _total(institution, on, criterion)
    if not people:
        return Reading(None, _("effectifs non renseignés dans les réglages de l'empreinte"))
    if value is None:
        return Reading(None, _("empreinte non disponible : ") + note)
    return Reading(value / people, note + _(", %(n)s personnes") % {"n": people})


def old_devices_share(institution, on, years):
    """Share of devices in service on the date that began service more than N years before."""
    from sobrio.inventory.enums import AssetStatus
    from sobrio.inventory.models import Asset

    limit = on - datetime.timedelta(days=round(365.25 * years))
    alive = (
        Asset.objects.for_institution(institution)
        .exclude(status__in=[AssetStatus.RETIRED, AssetStatus.IN_STOCK])
        .filter(Q(retirement_date__isnull=True) | Q(retirement_date__gt=on))
        .exclude(purchase_date__isnull=True, commissioning_date__isnull=True)
    )
    started = Q(commissioning_date__lte=on) | Q(
        commissioning_date__isnull=True, purchase_date__lte=on
    )
    alive = alive.filter(started)
    old = alive.filter(
        Q(commissioning_date__lt=limit)
        | Q(commissioning_date__isnull=True, purchase_date__lt=limit)
    )
    total = alive.aggregate(n=Sum("quantity"))["n"] or 0
    if not total:
        return Reading(None, _("aucun équipement daté en service à cette date"))
    count = old.aggregate(n=Sum("quantity"))["n"] or 0
    return Reading(
        100.0 * count / total,
        _("%(old)s équipements sur %(total)s en service, datés") % {"old": count, "total": total},
    )


def _unit(params):
    from sobrio.footprint.engine import UNITS  # numpy: loaded when a figure is read

    return UNITS[params.get("criterion") or "gwp"]


def register_all():
    register(
        Source(
            "footprint_total",
            gettext_lazy("Empreinte annuelle du parc"),
            _unit,
            "number",
            "down",
            footprint_total,
            (CRITERION,),
        )
    )
    register(
        Source(
            "footprint_per_person",
            gettext_lazy("Empreinte annuelle du parc par personne"),
            lambda p: _unit(p) + "/pers.",
            "number",
            "down",
            footprint_per_person,
            (CRITERION,),
        )
    )
    register(
        Source(
            "old_devices_share",
            gettext_lazy("Part des équipements en service depuis plus de N ans"),
            "%",
            "percent",
            "up",
            old_devices_share,
            (Param("years", gettext_lazy("Années"), (), 5),),
        )
    )
