import json
import sys
from pathlib import Path

from django.core.management.base import CommandError

from sobrio.core.management.base import SobrioCommand
from sobrio.core.models import Institution
from sobrio.imports.exporting import csv_text, xlsx_bytes
from sobrio.imports.limits import Limits
from sobrio.imports.problems import ImportFailure
from sobrio.reuse import services


def _institution(slug):
    institution = Institution.objects.filter(slug=slug).first()
    if institution is None:
        raise CommandError(f"No institution '{slug}' (sobrio institution list shows them).")
    return institution


def _file(name):
    """The file to read, its size checked before it is read."""
    path = Path(name)
    if not path.is_file():
        raise CommandError(f"{name}: no such file.")
    too_big = Limits.from_settings().too_big(path.stat().st_size)
    if too_big:
        raise CommandError(f"{path.name}: {too_big}")
    return path


class Command(SobrioCommand):
    help = (
        "Réemploi : 'import' des décisions de fin de première vie (CSV, XLSX), 'rate' le taux "
        "de réemploi d'une année (décret 2023-266), 'register' le registre des déchets sortants, "
        "'wipes' les rapports d'effacement reçus après coup (par numéro de série)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="importer des décisions (tout ou rien)")
        imp.add_argument("file")
        imp.add_argument("--institution", required=True)
        imp.add_argument("--valid-only", action="store_true", help="seulement les lignes valides")
        wipes = sub.add_parser(
            "wipes", help="des rapports d'effacement (CSV, JSON), par numéro de série, tout ou rien"
        )
        wipes.add_argument("file")
        wipes.add_argument("--institution", required=True)
        wipes.add_argument(
            "--done-by", default="", help="qui a effacé, si le rapport ne le dit pas"
        )
        rate = sub.add_parser("rate", help="le taux de réemploi d'une année")
        rate.add_argument("--institution", required=True)
        rate.add_argument("--year", type=int, required=True)
        rate.add_argument("--format", choices=("text", "json"), default="text")
        register = sub.add_parser("register", help="le registre des déchets sortants d'une année")
        register.add_argument("--institution", required=True)
        register.add_argument("--year", type=int, required=True)
        register.add_argument("--format", choices=("csv", "xlsx"), default="csv")
        register.add_argument("-o", "--output", help="fichier ; défaut : la sortie standard (CSV)")

    def handle(self, *args, action, **options):
        getattr(self, "_" + action)(**options)

    def _import(self, *, file, institution, valid_only, **_options):
        institution = _institution(institution)
        path = _file(file)
        try:
            count, left = services.import_decisions(
                path.read_bytes(), path.name, institution, valid_only=valid_only
            )
        except ImportFailure as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing imported: {len(failure.problems)} problem(s).") from None
        for problem in left:
            self.stderr.write(f"left out: {problem}")
        self.stdout.write(f"{count} decision(s) recorded.")

    def _wipes(self, *, file, institution, done_by, **_options):
        institution = _institution(institution)
        path = _file(file)
        try:
            count = services.import_wipes(
                institution, path.read_bytes(), path.name, done_by=done_by
            )
        except ImportFailure as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing recorded: {len(failure.problems)} problem(s).") from None
        self.stdout.write(f"{count} sanitisation record(s) added.")

    def _rate(self, *, institution, year, format, **_options):
        figures = services.rate(_institution(institution), year)
        if format == "json":
            self.stdout.write(json.dumps(figures))
        else:
            self.stdout.write(
                f"{year}: {figures['reused']} reused / {figures['reformed_stock_jan1']} "
                f"in reformed stock on 1 January ({figures['excluded']} excluded): "
                f"{figures['rate']} %"
            )

    def _register(self, *, institution, year, format, output, **_options):
        rows = list(services.register_rows(_institution(institution), year))
        if format == "xlsx":
            if not output:
                raise CommandError("--format xlsx needs -o FILE.xlsx")
            Path(output).write_bytes(xlsx_bytes(services.REGISTER_HEADER, rows, title="registre"))
        else:
            text = csv_text(services.REGISTER_HEADER, rows)
            if output:
                Path(output).write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
        if output:
            self.stdout.write(f"{len(rows)} shipment(s) written to {output}")
