import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils.translation import ngettext

from sobrio.core import services
from sobrio.core.management.base import SobrioCommand
from sobrio.core.models import Institution, Membership, Unit


class Command(SobrioCommand):
    help = "Crée ou liste les établissements."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="créer un établissement")
        create.add_argument("slug")
        create.add_argument("--name", required=True)
        create.add_argument("--short-name", default="")
        create.add_argument("--country", default="FRA", help="ISO 3166-1 alpha-3 (FRA)")
        create.add_argument("--national-id", default="", help="UAI, SIREN ou SIRET")
        listing = sub.add_parser("list", help="lister les établissements")
        listing.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, action, **options):
        if action == "create":
            return self.create(options)
        return self.list(options["format"])

    def create(self, options):
        if Institution.objects.filter(slug=options["slug"]).exists():
            raise CommandError(f"An institution with slug {options['slug']!r} already exists.")
        try:
            institution = services.institution_create(
                slug=options["slug"],
                name=options["name"],
                short_name=options["short_name"],
                country=options["country"],
                national_identifier=options["national_id"],
            )
        except ValidationError as error:
            raise CommandError(_messages(error)) from None
        self.stdout.write(f"{institution.slug}\t{institution.name}")

    def list(self, fmt):
        members = _counts(Membership.objects.staff())  # the team; participants apart
        units = _counts(Unit)
        data = [
            {
                "id": i.pk,
                "slug": i.slug,
                "name": i.name,
                "short_name": i.short_name,
                "country": i.country,
                "national_identifier": i.national_identifier,
                "members": members.get(i.pk, 0),
                "units": units.get(i.pk, 0),
            }
            for i in Institution.objects.order_by("slug")
        ]
        if fmt == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for row in data:
            members = ngettext("%(n)s membre", "%(n)s membres", row["members"])
            units = ngettext("%(n)s unité", "%(n)s unités", row["units"])
            self.stdout.write(
                f"{row['slug']}\t{row['name']}\t"
                f"{members % {'n': row['members']}}\t{units % {'n': row['units']}}"
            )


def _counts(rows):
    rows = getattr(rows, "objects", rows).values("institution").annotate(n=Count("pk"))
    return dict(rows.values_list("institution", "n"))


def _messages(error):
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)
