from pathlib import Path

from django.core.management.base import CommandError

from sobrio.core.management.base import SobrioCommand
from sobrio.core.models import Institution
from sobrio.imports.problems import ImportFailure
from sobrio.plan import exchange, services


class Command(SobrioCommand):
    help = "Exporte le plan en XLSX (une ligne par action) ou l'importe (tout ou rien)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="exporter le plan en XLSX")
        export.add_argument("--institution", required=True)
        export.add_argument("-o", "--output", required=True)
        imp = sub.add_parser("import", help="importer un plan XLSX exporté puis complété")
        imp.add_argument("file")
        imp.add_argument("--institution", required=True)

    def handle(self, *args, action, **options):
        institution = Institution.objects.filter(slug=options["institution"]).first()
        if institution is None:
            raise CommandError(f"Unknown institution {options['institution']!r}.")
        plan = services.current_plan(institution)
        if plan is None:
            raise CommandError(f"{institution.slug} has no strategic plan yet.")
        if action == "export":
            Path(options["output"]).write_bytes(exchange.export_xlsx(plan))
            self.stdout.write(f"{options['output']}: {plan.actions.count()} actions")
            return
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            report = exchange.import_xlsx(plan, path.read_bytes(), path.name, None)
        except ImportFailure as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            raise CommandError("nothing imported") from None
        self.stdout.write(
            "created {created}, updated {updated}, unchanged {unchanged}".format(**report)
        )
