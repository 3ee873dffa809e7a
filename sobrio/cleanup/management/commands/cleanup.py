import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.urls import reverse

from sobrio.cleanup import services as cleanup
from sobrio.cleanup.models import CleanupCampaign
from sobrio.core.management.base import SobrioCommand
from sobrio.core.models import Institution
from sobrio.imports.exporting import csv_stream


def _campaign(campaign_id):
    campaign = CleanupCampaign.objects.select_related("institution").filter(pk=campaign_id).first()
    if campaign is None:
        raise CommandError(f"No campaign {campaign_id} (sobrio cleanup list shows them).")
    return campaign


def _url(campaign):
    path = reverse("participate_pledge", args=[campaign.institution.slug, campaign.pk])
    return settings.BASE_URL + path


class Command(SobrioCommand):
    help = (
        "Journée du nettoyage numérique : 'list' les campagnes, 'totals' les totaux d'une "
        "campagne (déclarations acceptées), 'export' ses déclarations en CSV."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="les campagnes, avec leur page de déclaration")
        listing.add_argument("--institution", help="slug ; défaut : tous les établissements")
        listing.add_argument("--format", choices=("text", "json"), default="text")
        totals = sub.add_parser("totals", help="les totaux d'une campagne")
        totals.add_argument("campaign", type=int)
        totals.add_argument("--format", choices=("text", "json"), default="text")
        export = sub.add_parser("export", help="les déclarations d'une campagne en CSV")
        export.add_argument("campaign", type=int)
        export.add_argument("-o", "--output", required=True)

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(options)

    def _list(self, options):
        campaigns = CleanupCampaign.objects.select_related("institution").order_by(
            "-starts_on", "pk"
        )
        if options["institution"]:
            institution = Institution.objects.filter(slug=options["institution"]).first()
            if institution is None:
                raise CommandError(f"Unknown institution {options['institution']!r}.")
            campaigns = campaigns.filter(institution=institution)
        rows = [
            {
                "id": c.pk,
                "institution": c.institution.slug,
                "name": c.name,
                "starts_on": c.starts_on.isoformat(),
                "ends_on": c.ends_on.isoformat(),
                "open": cleanup.is_open(c),
                "anonymous": c.anonymous,
                "url": _url(c),
            }
            for c in campaigns
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for r in rows:
            state = "open" if r["open"] else "closed"
            self.stdout.write(f"{r['id']}\t{r['institution']}\t{r['name']}\t"
                              f"{r['starts_on']}..{r['ends_on']}\t{state}\t{r['url']}")  # fmt: skip

    def _totals(self, options):
        campaign = _campaign(options["campaign"])
        figures = {"id": campaign.pk, "name": campaign.name, **cleanup.totals(campaign),
                   "actions": cleanup.action_counts(campaign)}  # fmt: skip
        if options["format"] == "json":
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
            return
        p = figures["pledges"]
        self.stdout.write(
            f"{campaign.name}: {p['accepted']} accepted / {p['received']} received "
            f"({p['pending']} pending), {figures['participants']} participants, "
            f"{figures['teams']} teams, {figures['gb_deleted']:g} GB deleted, "
            f"{figures['devices_collected']} devices collected"
        )

    def _export(self, options):
        campaign = _campaign(options["campaign"])
        header, rows = cleanup.export_rows(campaign)
        n = 0
        with Path(options["output"]).open("w", encoding="utf-8", newline="") as out:
            for n, line in enumerate(csv_stream(header, rows)):  # noqa: B007
                out.write(line)
        self.stdout.write(f"{options['output']}: {n} pledges")
