"""The demo's footprint settings and its two saved scenarios."""

from sobrio.footprint import services
from sobrio.footprint.models import FootprintSettings, Scenario, ScenarioKind
from sobrio.inventory.enums import Category


def load(institution, today=None):
    from sobrio.inventory.models import ServerRoom

    rooms = {r.name: r for r in ServerRoom.objects.for_institution(institution)}
    services.ensure_default_set()
    FootprintSettings.objects.update_or_create(
        institution=institution,
        # Head-counts of the fictional demo university.
        defaults={"staff_count": 2400, "student_count": 21000},
    )
    Scenario.objects.get_or_create(
        institution=institution,
        name="Garder les portables six ans au lieu de quatre",
        defaults={
            "kind": ScenarioKind.LIFETIME,
            "params": {"category": str(Category.LAPTOP), "years": 2},
        },
    )
    Scenario.objects.get_or_create(
        institution=institution,
        name="Salles de TP : 300 postes fixes remplacés par des clients légers",
        defaults={
            "kind": ScenarioKind.VDI,
            "params": {
                "count": 300,
                "vms_per_server": 40,
                "room": rooms["Datacentre mutualisé"].pk,
            },
        },
    )
