"""The footprint's card on the cockpit and its first step."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sobrio.core import dashboard


def per_person(data, settings):
    """GWP total per staff member, per student and per person, with its range."""
    total = data["totals"]["gwp"]["total"]
    if total["value"] is None:
        return []
    out = []
    staff, students = settings.staff_count, settings.student_count
    for label, count in (
        (_("par personnel"), staff),
        (_("par étudiant·e"), students),
        (
            _("par personne (personnels et étudiant·es)"),
            (staff + students) if staff and students else None,
        ),
    ):
        if count:
            out.append(
                {
                    "label": label,
                    "count": count,
                    "value": total["value"] / count,
                    "min": total["min"] / count,
                    "max": total["max"] / count,
                }
            )
    return out


def card(request):
    from sobrio.footprint import services
    from sobrio.footprint.forms import default_year

    institution = request.institution
    year = default_year()
    data = services.footprint(institution, year=year, stale_ok=True)
    if not data["rows"]["count"]:
        return None
    before = services.footprint(institution, year=year - 1, stale_ok=True)
    now, then = data["totals"]["gwp"]["total"], before["totals"]["gwp"]["total"]
    change = None
    if now["value"] is not None and then["value"]:
        change = 100 * (now["value"] - then["value"]) / then["value"]
    people = per_person(data, services.settings_for(institution))
    return {
        "year": year,
        "total": now,
        "previous": then,
        "change": change,
        "coverage": data["totals"]["gwp"]["total"]["coverage"],
        "per_person": people[-1] if people else None,
        "stale": data.get("stale"),
        "url": reverse("measure") + f"?year={year}",
    }


def has_inventory(institution):
    from sobrio.inventory.models import Asset, CloudInstance, DataStore

    return any(
        model.objects.for_institution(institution).exists()
        for model in (Asset, CloudInstance, DataStore)
    )


def asset_panel(request, asset):
    """The footprint block of an asset's page (inventory asks through signals.readers)."""
    from sobrio.footprint import services
    from sobrio.footprint.forms import default_year
    from sobrio.footprint.models import Criterion

    data = services.asset_footprint(asset, default_year())
    rows = [(label, data["totals"][code]) for code, label in Criterion.choices]
    return "footprint/asset_panel.html", {"footprint": data, "rows": rows}


def register():
    from sobrio.inventory.signals import readers

    readers["asset_panel"] = asset_panel
    dashboard.register_card(
        dashboard.Card(
            "footprint",
            10,
            "footprint/dashboard_card.html",
            card,
            depends=("inventory", "footprint"),
        )  # fmt: skip
    )
    dashboard.register_step(
        dashboard.Step(
            "inventory",
            10,
            _("Importer l'inventaire (export GLPI ou tableur)"),
            "measure_import",
            has_inventory,
            _("Les unités (« Université > DSI > Pôle ») sont créées d'après le fichier."),
        )
    )
