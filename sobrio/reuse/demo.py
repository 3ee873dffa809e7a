"""The demo's réemploi: last year's retired laptops refurbished in a batch (wiped, graded),
a redistribution campaign where a staff member's application was drawn and handed over,
a screen sent to recycling, a laptop reassigned, the settings the figures need."""

import datetime
from decimal import Decimal

from django.utils import timezone

from sobrio.core.enums import Role
from sobrio.core.models import Membership, Unit
from sobrio.inventory.enums import AssetStatus
from sobrio.inventory.models import Asset
from sobrio.reuse import services
from sobrio.reuse.models import (
    Batch,
    RedistributionCampaign,
    Refurbishment,
    ReusePath,
    ReuseSettings,
    Sanitisation,
)


def load(institution):
    if Batch.objects.for_institution(institution).exists():
        return
    today = timezone.localdate()
    last_year = datetime.date(today.year - 1, 10, 1)
    ReuseSettings.objects.update_or_create(
        institution=institution,
        defaults={
            "substitution_percent": 50,
            "second_life_years": Decimal("3"),
            "site_name": "Campus principal — magasin de la DSI",
            "site_address": "1 rue de l'Université",
            "site_postcode": "75005",
            "site_city": "Paris",
        },
    )
    laptops = list(
        Asset.objects.for_institution(institution)
        .filter(category="laptop")
        .exclude(status=AssetStatus.RETIRED)
        .order_by("inventory_number")[:6]
    )
    for i, asset in enumerate(laptops):
        asset.status = AssetStatus.RETIRED
        asset.retirement_date = last_year
        asset.status_changed_on = last_year
        asset.serial_number = asset.serial_number or f"DEMO-SN-{i + 1:04d}"
        asset.save(
            update_fields=[
                "status",
                "retirement_date",
                "status_changed_on",
                "serial_number",
                "updated_at",
            ]
        )
    batch = Batch.objects.create(
        institution=institution,
        name="Lot DSI — portables 2025",
        partner="",
        opened_on=today - datetime.timedelta(days=20),
    )
    services.add_to_batch(batch, laptops[:4])
    for grade, asset in zip("ABBC", laptops[:4], strict=True):
        Refurbishment.objects.filter(asset=asset).update(
            grade=grade,
            operating_system="Debian 13",
            diagnostics="Batterie 82 %",
            repairs="Nettoyage, pâte thermique",
            parts="Batterie" if grade == "C" else "",
        )
        Sanitisation.objects.create(
            institution=institution,
            asset=asset,
            category="purge",
            method="NVMe format (crypto erase)",
            tool="nwipe",
            tool_version="0.37",
            media="SSD 256 Go",
            verification="lecture de contrôle",
            done_by="Atelier DSI",
            done_on=today - datetime.timedelta(days=15),
        )
    campaign = RedistributionCampaign.objects.create(
        institution=institution,
        name="Portables reconditionnés pour les agents",
        description="Des portables de la DSI, effacés et reconditionnés, donnés aux agents et "
        "aux associations étudiantes qui en ont besoin.",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=20),
        eligible=["staff", "student_association"],
        seed=services.new_seed(),
    )
    staff = (
        Membership.objects.filter(institution=institution)
        .exclude(role=Role.PARTICIPANT)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if staff is not None:
        application = services.apply(
            campaign,
            staff.user,
            kind="staff",
            no_device=True,
            need="Télétravail deux jours par semaine",
        )
        services.draw(campaign, places=1)
        application.refresh_from_db()
        services.allocate(application, laptops[0])
        services.hand_over(
            application,
            signed_by=staff.user.full_name or staff.user.email,
            on=today - datetime.timedelta(days=2),
        )
        campaign.drawn_at = None  # still open to applications for the others
        campaign.save(update_fields=["drawn_at", "updated_at"])
    screen = (
        Asset.objects.for_institution(institution)
        .filter(category="monitor", status=AssetStatus.RETIRED)
        .order_by("inventory_number")
        .first()
    )
    if screen is not None:
        services.decide(
            screen,
            ReusePath.RECYCLING,
            on=today - datetime.timedelta(days=30),
            beneficiary="ecosystem",
            kind="eco_organism",
            weight_kg=Decimal("6.5"),
            eco_organism="ecosystem",
            waste_code="16 02 14",
            document_ref="BSD-2026-0042",
        )
    unit = Unit.objects.for_institution(institution).order_by("pk").last()
    if len(laptops) > 4:
        services.decide(
            laptops[4],
            ReusePath.REASSIGNED,
            on=today - datetime.timedelta(days=5),
            unit=unit,
            beneficiary=str(unit or ""),
        )
