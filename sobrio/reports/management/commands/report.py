from pathlib import Path

from django.core.management.base import CommandError
from django.template.loader import render_to_string

from sobrio.core.management.base import SobrioCommand
from sobrio.core.models import Institution
from sobrio.reports import render, services
from sobrio.reports.models import Kind, Report


class Command(SobrioCommand):
    help = "Construit un rapport (trimestriel, annuel, évaluation finale) en PDF, ODT ou HTML."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="construire un rapport")
        build.add_argument("--institution", required=True)
        build.add_argument("--kind", required=True, choices=Kind.values)
        build.add_argument("--period", required=True, help="2026-Q3, 2026 ou 2025-2028")
        build.add_argument("--format", default="pdf", choices=["pdf", "odt", "html"])
        build.add_argument("-o", "--output", required=True)

    def handle(self, *args, action, **options):
        institution = Institution.objects.filter(slug=options["institution"]).first()
        if institution is None:
            raise CommandError(f"Unknown institution {options['institution']!r}.")
        kind = options["kind"]
        try:
            starts_on, ends_on = services.period_bounds(kind, options["period"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        period = services.normalise(kind, options["period"])
        # The latest saved version (frozen: its snapshot; draft: its texts), else live data.
        report = (
            Report.objects.for_institution(institution)
            .filter(kind=kind, period=period)
            .order_by("-version")
            .first()
        ) or Report(
            institution=institution, kind=kind, period=period, starts_on=starts_on, ends_on=ends_on
        )
        data = services.data_for(report)
        fmt = options["format"]
        if fmt == "pdf":
            content = render.pdf(report, data)
        elif fmt == "odt":
            content = render.odt(report, data)
        else:
            context = {**render.context(report, data), "title": render.title(report)}
            content = render_to_string("reports/report_pdf.html", context).encode()
        Path(options["output"]).write_bytes(content)
        state = f"v{report.version} figée" if report.is_frozen else "chiffres du jour"
        self.stdout.write(f"{options['output']}: {render.title(report)} ({state})")
