import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sobrio.core.models import Institution
from sobrio.inventory import importers, services
from sobrio.referentials.importers import ImportFailure


class Command(BaseCommand):
    help = "Importe un inventaire (CSV, XLSX, ODS, export GLPI) : tout ou rien par défaut."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="importer un fichier d'inventaire")
        imp.add_argument("file")
        imp.add_argument("--institution", required=True)
        imp.add_argument("--dry-run", action="store_true", help="vérifier sans rien écrire")
        imp.add_argument(
            "--valid-only",
            action="store_true",
            help="importer les lignes valides et rejeter les autres",
        )
        imp.add_argument("--rejects", help="fichier CSV où écrire les lignes rejetées")

    def handle(self, *args, action, **options):
        return getattr(self, f"do_{action}")(options)

    def do_import(self, options):
        institution = Institution.objects.filter(slug=options["institution"]).first()
        if institution is None:
            raise CommandError(f"Unknown institution {options['institution']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if options["rejects"] and not options["valid_only"]:
            raise CommandError("--rejects goes with --valid-only.")
        started = time.perf_counter()
        try:
            report, table, problems = services.import_file(
                institution,
                path.read_bytes(),
                path.name,
                valid_only=options["valid_only"],
                dry_run=options["dry_run"],
            )
        except ImportFailure as failure:
            for problem in failure.problems:
                self.stderr.write(_line(problem))
            raise CommandError(
                f"Nothing imported: {len(failure.problems)} problem(s) in {path.name}."
            ) from None
        for problem in problems:
            self.stderr.write(_line(problem))
        if options["rejects"] and problems:
            Path(options["rejects"]).write_text(
                importers.rejects_csv(table, problems), encoding="utf-8"
            )
        elapsed = time.perf_counter() - started
        if options["dry_run"]:
            self.stdout.write(
                f"Dry run: {report['rows'] - report['rejected']} valid row(s), "
                f"{report['rejected']} rejected; nothing written ({elapsed:.1f} s)."
            )
            return
        self.stdout.write(
            f"{report['created']} created, {report['updated']} updated, "
            f"{report['unchanged']} unchanged, {report['missing_count']} missing from the file, "
            f"{report['rejected']} rejected ({elapsed:.1f} s)."
        )


def _line(problem):
    where = []
    if problem.line is not None:
        where.append(f"line {problem.line}")
    if problem.column:
        where.append(f"column {problem.column}")
    return f"{', '.join(where)}: {problem.reason}" if where else problem.reason
