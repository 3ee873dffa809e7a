"""The demo university's inventory: a few thousand rows of mixed ages, generated the
same way every time (fixed seed), two server rooms, some cloud, research data stores,
and two saved scenarios. The figures of the fleet are invented for the demo; the
factors applied to them are not (see footprint/defaults.py)."""

import datetime
import random

from django.db import transaction

from sobrio.core.models import Unit
from sobrio.inventory.enums import AssetStatus, Category, CloudProvider, Media, Retention
from sobrio.inventory.models import Asset, CloudInstance, DataStore, ServerRoom
from sobrio.inventory.signals import changed

SEED = 20261122
# (category, how many per "workplace unit", makers and models, lifetime spread in years)
WORKPLACE = [
    (
        Category.LAPTOP,
        160,
        [("Dell", "Latitude 5440"), ("HP", "ProBook 450 G9"), ("Lenovo", "ThinkPad T14")],
        8,
    ),
    (Category.DESKTOP, 140, [("Dell", "OptiPlex 7010"), ("HP", "EliteDesk 800 G6")], 10),
    (Category.MONITOR, 230, [("Dell", "P2422H"), ("Iiyama", "ProLite XU2493HS")], 10),
    (Category.DESK_PHONE, 60, [("Alcatel-Lucent", "8018")], 12),
    (Category.PRINTER, 8, [("HP", "LaserJet Pro M404"), ("Kyocera", "Ecosys P3155")], 9),
    (Category.PROJECTOR, 10, [("Epson", "EB-W51")], 10),
    (Category.SMARTPHONE, 12, [("Samsung", "Galaxy A54"), ("Fairphone", "4")], 5),
    (Category.TABLET, 6, [("Apple", "iPad 10")], 6),
]
WORKPLACE_UNITS = [
    "Présidence",
    "Direction générale des services",
    "Direction de la formation et de la vie étudiante",
    "Service des achats",
    "UFR Sciences et techniques",
    "Laboratoire de physique des matériaux",
    "UFR Lettres, langues et sciences humaines",
    "Institut universitaire de technologie (IUT)",
    "Pôle poste de travail et assistance",
]
SITES = ["Campus Nord", "Campus Centre", "Site IUT"]


@transaction.atomic
def load(institution, today=None):
    if Asset.objects.for_institution(institution).exists():
        return
    today = today or datetime.date.today()
    rng = random.Random(SEED)
    units = {u.name: u for u in Unit.objects.for_institution(institution)}
    rooms = {
        "Salle serveurs Campus Nord": ServerRoom.objects.create(
            institution=institution,
            name="Salle serveurs Campus Nord",
            site="Campus Nord",
            pue=1.8,
            pue_measured=False,
            it_power_kw=60,
            comment="Salle historique, climatisation ancienne.",
        ),
        "Datacentre mutualisé": ServerRoom.objects.create(
            institution=institution,
            name="Datacentre mutualisé",
            site="Campus Centre",
            pue=1.35,
            pue_measured=True,
            it_power_kw=180,
        ),
    }
    assets, number = [], 0

    def add(category, unit, site, maker, model, bought, **extra):
        nonlocal number
        number += 1
        status = extra.pop("status", AssetStatus.IN_SERVICE)
        assets.append(
            Asset(
                institution=institution,
                inventory_number=f"UDEMO-{number:05d}",
                name=f"{category.label} {number}",
                category=category,
                manufacturer=maker,
                model=model,
                unit=units.get(unit),
                site=site,
                purchase_date=bought,
                commissioning_date=bought + datetime.timedelta(days=rng.randint(5, 40)),
                status=status,
                **extra,
            )
        )

    for unit in WORKPLACE_UNITS:
        site = rng.choice(SITES)
        scale = 1.6 if unit.startswith("UFR") or unit.startswith("Institut") else 0.5
        for category, count, models, spread in WORKPLACE:
            for _ in range(int(count * scale * rng.uniform(0.7, 1.1))):
                maker, model = rng.choice(models)
                age_days = int(rng.triangular(0, spread * 365, 3 * 365))
                bought = today - datetime.timedelta(days=age_days)
                status = AssetStatus.IN_SERVICE
                roll = rng.random()
                if roll < 0.04:
                    status = AssetStatus.IN_STOCK
                elif roll < 0.06:
                    status = AssetStatus.IN_REPAIR
                extra = {}
                if roll > 0.97 and age_days > 4 * 365:
                    status = AssetStatus.RETIRED
                    extra["retirement_date"] = today - datetime.timedelta(days=rng.randint(10, 300))
                add(category, unit, site, maker, model, bought, status=status, **extra)
    infra = "Pôle infrastructures et salles serveurs"
    for _ in range(24):
        add(
            Category.NETWORK_SWITCH,
            infra,
            rng.choice(SITES),
            "Cisco",
            "Catalyst 9200",
            today - datetime.timedelta(days=rng.randint(200, 9 * 365)),
        )
    for _ in range(90):
        add(
            Category.WIFI_ACCESS_POINT,
            infra,
            rng.choice(SITES),
            "Aruba",
            "AP-515",
            today - datetime.timedelta(days=rng.randint(200, 7 * 365)),
        )
    for n in range(60):
        room = rooms["Datacentre mutualisé"] if n % 3 else rooms["Salle serveurs Campus Nord"]
        config = {}
        if n % 2 == 0:  # half the servers have a known configuration
            config = {
                "cpu_units": 2,
                "cpu_core_units": rng.choice([16, 24, 32]),
                "ram_gb": rng.choice([128, 256, 512]),
                "ssd_units": rng.choice([2, 4]),
            }
        add(
            Category.SERVER,
            infra,
            room.site,
            "Dell",
            "PowerEdge R650",
            today - datetime.timedelta(days=rng.randint(100, 8 * 365)),
            server_room=room,
            **config,
        )
    thin = "Institut universitaire de technologie (IUT)"
    add(
        Category.THIN_CLIENT,
        thin,
        "Site IUT",
        "Dell",
        "Wyse 5070",
        today - datetime.timedelta(days=700),
        quantity=40,
    )
    Asset.objects.bulk_create(assets, batch_size=2000)

    research = units.get("Laboratoire de physique des matériaux")
    CloudInstance.objects.bulk_create(
        [
            CloudInstance(
                institution=institution,
                name="Calcul ponctuel laboratoire",
                provider=CloudProvider.SCALEWAY,
                instance_type="pro2-s",
                region="FRA",
                hours_per_year=2000,
                quantity=4,
                unit=research,
            ),
            CloudInstance(
                institution=institution,
                name="Site de colloque",
                provider=CloudProvider.OVHCLOUD,
                instance_type="b2-7",
                region="FRA",
                hours_per_year=8760,
                quantity=1,
                unit=units.get("Présidence"),
            ),
        ]
    )
    DataStore.objects.bulk_create(
        [
            DataStore(
                institution=institution,
                name="Données brutes de diffraction",
                volume_tb=120,
                media=Media.HDD,
                replicas=2,
                disk_capacity_tb=16,
                server_room=rooms["Datacentre mutualisé"],
                unit=research,
                retention=Retention.UNDECIDED,
            ),
            DataStore(
                institution=institution,
                name="Archives de thèses numérisées",
                volume_tb=8,
                media=Media.SSD,
                replicas=2,
                disk_capacity_tb=4,
                server_room=rooms["Salle serveurs Campus Nord"],
                retention=Retention.KEEP,
                retention_until=datetime.date(today.year + 10, 12, 31),
            ),
            DataStore(
                institution=institution,
                name="Sauvegardes longues",
                volume_tb=400,
                media=Media.TAPE,
                replicas=1,
                disk_capacity_tb=18,
                retention=Retention.ARCHIVE,
            ),
        ]
    )
    changed(institution.pk)  # bulk writes send no signal
