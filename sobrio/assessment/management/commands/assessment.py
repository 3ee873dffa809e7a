import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from sobrio.assessment import services
from sobrio.assessment.models import Campaign
from sobrio.core.management.base import SobrioCommand
from sobrio.core.models import Institution
from sobrio.referentials import scales
from sobrio.referentials.models import Referential


class Command(SobrioCommand):
    help = "Crée, renseigne, affiche et relance les campagnes d'autoévaluation."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="créer une campagne")
        create.add_argument("--institution", required=True)
        create.add_argument("--referential", required=True, type=int)
        create.add_argument("--name", required=True)
        create.add_argument("--scope", default="")
        answers = sub.add_parser("answers", help="importer des réponses (CSV ou XLSX)")
        answers.add_argument("campaign", type=int)
        answers.add_argument("file")
        show = sub.add_parser("show", help="afficher le score d'une campagne")
        show.add_argument("campaign", type=int)
        show.add_argument("--format", choices=["text", "json"], default="text")
        remind = sub.add_parser("remind", help="envoyer les relances (à lancer chaque jour)")
        remind.add_argument("--institution")
        remind.add_argument("--days", type=int, default=7)

    def handle(self, *args, action, **options):
        return getattr(self, action)(options)

    def create(self, options):
        institution = _institution(options["institution"])
        referential = (
            Referential.objects.for_institution(institution)
            .filter(pk=options["referential"])
            .first()
        )
        if referential is None:
            raise CommandError(
                f"No referential {options['referential']} available to {institution.slug}."
            )
        try:
            campaign = services.campaign_create(
                institution=institution,
                referential=referential,
                name=options["name"],
                scope=options["scope"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{campaign.name}: {campaign.answers.count()} items to answer")
        self.stdout.write(str(campaign.pk))

    def answers(self, options):
        campaign = _campaign(options["campaign"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            changed = services.answers_import(
                campaign=campaign, data=path.read_bytes(), filename=path.name
            )
        except ValidationError as error:
            raise CommandError("nothing imported:\n" + "\n".join(error.messages)) from None
        self.stdout.write(f"{changed} answers updated")

    def show(self, options):
        campaign = _campaign(options["campaign"])
        data = services.campaign_data(campaign)
        results = data["results"]
        families = {code: score for code, _name, score in services.family_scores(data)}
        payload = {
            "id": campaign.pk,
            "institution": campaign.institution.slug,
            "name": campaign.name,
            "scope": campaign.scope,
            "status": campaign.status,
            "referential": data["referential"],
            "score": results["score"],
            "families": families,
            "counts": results["counts"],
            "progress": results["progress"],
            "priority_done_share": results["priority_done_share"],
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        scale = data["referential"]["scale"]
        self.stdout.write(f"{campaign.name} ({campaign.get_status_display()})")
        self.stdout.write(f"score: {results['score']}  progress: {results['progress']} %")
        for code, score in families.items():
            self.stdout.write(f"  {code}\t{score}")
        for key, count in results["counts"].items():
            self.stdout.write(f"  {scales.status(scale, key).label}: {count}")

    def remind(self, options):
        institution = _institution(options["institution"]) if options["institution"] else None
        sent = services.reminders_send(institution=institution, days_ahead=options["days"])
        self.stdout.write(f"{sent} reminder emails sent")


def _institution(slug):
    institution = Institution.objects.filter(slug=slug).first()
    if institution is None:
        raise CommandError(f"No institution with slug {slug!r}.")
    return institution


def _campaign(pk):
    campaign = Campaign.objects.select_related("referential", "institution").filter(pk=pk).first()
    if campaign is None:
        raise CommandError(f"No campaign {pk}.")
    return campaign
