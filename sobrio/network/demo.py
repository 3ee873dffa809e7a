"""The demo's network: the demo university, its partner and two more institutions, each
with a small inventory so that every figure is computed from rows (nothing typed in)."""

import datetime

from sobrio.core.models import Institution
from sobrio.footprint import services as footprint
from sobrio.inventory.models import Asset
from sobrio.network import services
from sobrio.network.models import Network

OTHERS = [  # slug, name, laptops, desktops, monitors, staff, students
    ("univ-est", "Université de l'Est (démo)", 120, 60, 150, 900, 8000),
    ("ecole-ouest", "École de l'Ouest (démo)", 40, 30, 60, 250, 1500),
]


def load(institution):
    if Network.objects.filter(slug="region-demo").exists():
        return
    network = services.create(
        "region-demo",
        "Réseau régional numérique responsable (démo)",
        "Les établissements du projet régional comparent leurs chiffres.",
    )
    members = [institution]
    partner = Institution.objects.exclude(pk=institution.pk).order_by("pk").first()
    if partner is not None:
        members.append(partner)
    for slug, name, laptops, desktops, monitors, staff, students in OTHERS:
        other, _ = Institution.objects.get_or_create(
            slug=slug, defaults={"name": name, "country": "FRA"}
        )
        rows = []
        for category, n in (("laptop", laptops), ("desktop", desktops), ("monitor", monitors)):
            rows.append(
                Asset(
                    institution=other,
                    inventory_number=f"{slug}-{category}",
                    category=category,
                    quantity=n,
                    status="in_service",
                    purchase_date=datetime.date(2023, 9, 1),
                )
            )
        Asset.objects.bulk_create(rows)
        settings = footprint.settings_for(other)
        settings.staff_count, settings.student_count = staff, students
        settings.save()
        members.append(other)
    for i, member_institution in enumerate(members):
        member = services.accept(services.invite(network, member_institution))
        services.share(member, ["footprint", "plan", "awareness", "reuse"], anonymous=i == 3)
