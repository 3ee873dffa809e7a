"""Indicators of the Digital Cleanup Day (see core/indicators.py): participants, teams,
gigabytes deleted, devices collected, over the campaigns that started in the twelve months
up to the date read; and what a report says of the campaigns of its period."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrio.core.indicators import Reading, Source, register
from sobrio.core.indicators import period_note as _period_note
from sobrio.core.indicators import twelve_months as _window


def _campaign_totals(institution, on):
    """The cleanup campaigns that started in the twelve months up to on, and their
    accepted pledges made by then."""
    from sobrio.cleanup.models import CleanupCampaign, Pledge, PledgeState
    from sobrio.cleanup.services import DEVICE_SUM, GB_SUM

    start, end = _window(on)
    campaigns = CleanupCampaign.objects.for_institution(institution).filter(
        starts_on__gt=start.date(), starts_on__lte=on
    )
    pledges = Pledge.objects.filter(
        campaign__in=campaigns, state=PledgeState.ACCEPTED, created_at__lt=end
    )
    row = pledges.aggregate(
        people=Count("user", distinct=True),
        anonymous=Count("pk", filter=Q(user=None)),
        teams=Count("team", distinct=True),
        gb=Sum(GB_SUM),
        devices=Sum(DEVICE_SUM),
    )
    return campaigns.count(), row


def _cleanup_reading(field, note):
    def compute(institution, on):
        n, row = _campaign_totals(institution, on)
        if not n:
            return Reading(None, _("aucune campagne de nettoyage commencée %(period)s")
                           % {"period": _period_note(on)})  # fmt: skip
        value = row["people"] + row["anonymous"] if field == "participants" else row[field]
        return Reading(
            value or 0,
            note % {"n": n, "period": _period_note(on)},
        )

    return compute


def register_all():
    campaigns = gettext_lazy(
        "déclarations acceptées des campagnes de nettoyage (%(n)s) commencées %(period)s"
    )
    for key, label, unit, field in (
        ("cleanup_participants", gettext_lazy("Participant·es au nettoyage numérique (12 mois)"),
         gettext_lazy("personnes"), "participants"),
        ("cleanup_teams", gettext_lazy("Équipes du nettoyage numérique (12 mois)"),
         gettext_lazy("équipes"), "teams"),
        ("cleanup_gb_deleted", gettext_lazy("Go supprimés au nettoyage numérique (12 mois)"),
         "Go", "gb"),
        ("cleanup_devices", gettext_lazy("Appareils collectés au nettoyage numérique (12 mois)"),
         gettext_lazy("appareils"), "devices"),
    ):  # fmt: skip
        register(Source(key, label, unit, "number", "up", _cleanup_reading(field, campaigns)))


def report_figures(institution, starts_on, ends_on):
    """The campaigns that ran in a report's period [starts_on, ends_on], with their totals."""
    from sobrio.cleanup import services as cleanup
    from sobrio.cleanup.models import CleanupCampaign

    campaigns = []
    for campaign in CleanupCampaign.objects.for_institution(institution).filter(
        starts_on__lte=ends_on, ends_on__gte=starts_on
    ):
        figures = cleanup.totals(campaign)
        campaigns.append({
            "name": campaign.name,
            "starts_on": campaign.starts_on.isoformat(),
            "ends_on": campaign.ends_on.isoformat(),
            "participants": figures["participants"],
            "teams": figures["teams"],
            "pledges": figures["pledges"]["accepted"],
            "gb_deleted": figures["gb_deleted"],
            "devices_collected": figures["devices_collected"],
        })  # fmt: skip
    return campaigns
