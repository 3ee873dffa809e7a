"""Indicators of réemploi (see core/indicators.py), for the calendar year of the date read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrio.core.indicators import Reading, Source, register
from sobrio.reuse import services


def reuse_rate(institution, on):
    figures = services.rate(institution, on.year)
    if figures["rate"] is None:
        return Reading(
            None, _("aucun appareil réformé en stock au 1er janvier %(y)s") % {"y": on.year}
        )
    return Reading(
        figures["rate"],
        _(
            "%(a)s appareils réemployés en %(y)s ÷ %(b)s réformés en stock au 1er janvier "
            "(décret 2023-266 ; %(e)s exclus)"
        )
        % {
            "a": figures["reused"],
            "b": figures["reformed_stock_jan1"],
            "y": on.year,
            "e": figures["excluded"],
        },
    )


def devices_reused(institution, on):
    n = sum(
        n
        for code, _label, n, _kg in services.by_path(institution, on.year)
        if code in services.law.REUSE_PATHS
    )
    return Reading(
        n,
        _("appareils réaffectés, donnés, vendus ou repris pour réemploi en %(y)s") % {"y": on.year},
    )


def kg_recycled(institution, on):
    return Reading(
        services.kg_recycled(institution, on.year),
        _("kg remis au recyclage (DEEE) en %(y)s") % {"y": on.year},
    )


def avoided(institution, on):
    figures = services.avoided(institution, on.year)
    if figures["value"] is None:
        return Reading(None, _("taux de substitution non renseigné (Réemploi → Réglages)"))
    return Reading(
        round(figures["value"], 1),
        _(
            "appareils donnés ou vendus en %(y)s × facteur annuel (%(s)s) × %(years)s ans × "
            "%(p)s %% de substitution"
        )
        % {
            "y": on.year,
            "s": figures["set"].name,
            "years": figures["years"],
            "p": figures["substitution"],
        },
    )


def register_all():
    for key, label, unit, kind, compute in (
        ("reuse_rate", gettext_lazy("Taux de réemploi (année civile)"), "%", "percent", reuse_rate),
        (
            "reuse_devices",
            gettext_lazy("Appareils réemployés (année civile)"),
            gettext_lazy("appareils"),
            "number",
            devices_reused,
        ),
        (
            "reuse_kg_recycled",
            gettext_lazy("DEEE remis au recyclage (année civile)"),
            "kg",
            "number",
            kg_recycled,
        ),
        (
            "reuse_avoided",
            gettext_lazy("Impact évité par le réemploi (année civile)"),
            "kgCO2e",
            "number",
            avoided,
        ),
    ):
        register(Source(key, label, unit, kind, "up", compute))


def report_figures(institution, starts_on, ends_on):
    """What a report says of réemploi: the year of its end."""
    year = ends_on.year
    figures = services.rate(institution, year)
    avoided_figures = services.avoided(institution, year)
    return {
        "year": year,
        "rate": figures,
        "paths": [
            {"label": str(label), "n": n}
            for _code, label, n, _kg in services.by_path(institution, year)
            if n
        ],
        "kg_recycled": services.kg_recycled(institution, year),
        "avoided": None if avoided_figures["value"] is None else round(avoided_figures["value"], 1),
    }
