import time
from pathlib import Path

from django.core.management.base import CommandError
from django.db.utils import OperationalError

from sobrio.core.management.base import SobrioCommand
from sobrio.core.models import Institution
from sobrio.imports import flow
from sobrio.imports.problems import ImportFailure
from sobrio.imports.reading import Source, read_table

KINDS = {"assets": "assets", "cloud": "cloud", "store": "stores", "stores": "stores"}


class Command(SobrioCommand):
    help = "Importe un inventaire (CSV, XLSX, ODS, export GLPI) : tout ou rien par défaut."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="importer un fichier d'inventaire")
        imp.add_argument("file")
        imp.add_argument("--institution", required=True)
        imp.add_argument(
            "--kind",
            choices=["assets", "cloud", "store"],
            default="assets",
            help="équipements (défaut), instances cloud ou stockages de données",
        )
        imp.add_argument("--dry-run", action="store_true", help="vérifier sans rien écrire")
        imp.add_argument(
            "--valid-only",
            action="store_true",
            help="importer les lignes valides et rejeter les autres",
        )
        imp.add_argument("--rejects", help="fichier CSV où écrire les lignes rejetées")
        imp.add_argument(
            "--create-units",
            action="store_true",
            help="créer les unités inconnues d'après le fichier (chemins GLPI « A > B > C »)",
        )

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
        kind = KINDS[options["kind"]]
        started = time.perf_counter()
        shown, reasons = [], {}

        def show(problem):
            if len(shown) < 1000:
                self.stderr.write(_line(problem))
            shown.append(problem.line)
            if not problem.warning and problem.line is not None:
                where = f"{problem.column} : " if problem.column else ""
                reasons.setdefault(problem.line, []).append(where + problem.reason)

        try:
            report, res = flow.run_file(
                institution,
                kind,
                Source(path=path),
                path.name,
                valid_only=options["valid_only"],
                dry_run=options["dry_run"],
                create_missing=options["create_units"],
                sink=show,
            )
        except ImportFailure as failure:
            for problem in failure.problems[: max(0, 50 - len(shown))]:
                if problem.line is None:
                    self.stderr.write(_line(problem))
            hint = ""
            if any("unité inconnue" in p.reason for p in failure.problems):
                hint = " Unknown units: --create-units creates them from the file's paths."
            raise CommandError(
                f"Nothing imported: {max(len(shown), len(failure.problems))} problem(s) in "
                f"{path.name}.{hint}"
            ) from None
        except OperationalError as error:
            if "locked" in str(error):
                raise CommandError(
                    "The database is busy (another import or a long write is running): "
                    "nothing was imported. Try again in a moment."
                ) from None
            raise
        if options["rejects"] and report.get("rejected"):
            _write_rejects(Path(options["rejects"]), path, reasons)
        elapsed = time.perf_counter() - started
        if options["dry_run"]:
            self.stdout.write(
                f"Dry run: {report['valid']} valid row(s), {report['rejected']} rejected; "
                f"nothing written ({elapsed:.1f} s)."
            )
            return
        created_units = report.get("units_created") or 0
        self.stdout.write(
            f"{report['created']} created, {report['updated']} updated, "
            f"{report['unchanged']} unchanged, {report.get('missing_count', 0)} missing from "
            f"the file, {report['rejected']} rejected"
            + (f", {created_units} unit(s) created" if created_units else "")
            + f" ({elapsed:.1f} s)."
        )


def _write_rejects(target, source, reasons):
    """The rejected rows as they were, with the reason, to fix and import again."""
    from sobrio.imports.exporting import csv_text

    table = read_table(Source(path=source), source.name)
    rows = ([*cells, " ; ".join(reasons[line])] for line, cells in table.rows() if line in reasons)
    target.write_text(csv_text([*table.header, "motif du rejet"], rows), encoding="utf-8")


def _line(problem):
    where = []
    if problem.line is not None:
        where.append(f"line {problem.line}")
    if problem.column:
        where.append(f"column {problem.column}")
    text = f"{', '.join(where)}: {problem.reason}" if where else problem.reason
    return ("warning: " + text) if problem.warning else text
