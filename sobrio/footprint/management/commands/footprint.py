import csv
import datetime
import io
import json

from django.core.management.base import CommandError

from sobrio.core.management.base import SobrioCommand
from sobrio.core.models import Institution
from sobrio.footprint import services
from sobrio.footprint.models import Method
from sobrio.footprint.views import flat_rows


class Command(SobrioCommand):
    help = "Calcule l'empreinte du parc d'un établissement pour une année (JSON ou CSV)."

    def add_arguments(self, parser):
        parser.add_argument("--institution", required=True)
        parser.add_argument("--year", type=int, default=datetime.date.today().year - 1)
        parser.add_argument("--method", choices=Method.values, default=Method.STOCK)
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, **options):
        institution = Institution.objects.filter(slug=options["institution"]).first()
        if institution is None:
            raise CommandError(f"Unknown institution {options['institution']!r}.")
        data = services.footprint(institution, year=options["year"], method=options["method"])
        if options["format"] == "csv":
            out = io.StringIO()
            csv.writer(out, delimiter=";").writerows(flat_rows(data))
            self.stdout.write(out.getvalue(), ending="")
            return
        out = {
            k: v
            for k, v in data.items()
            if k
            in (
                "institution",
                "year",
                "method",
                "electricity",
                "factor_set",
                "rows",
                "totals",
                "by_category",
            )
        }
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
