import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from sobrio.core import selectors, services
from sobrio.core.enums import UnitKind
from sobrio.core.management.base import SobrioCommand
from sobrio.core.models import Institution, Unit


class Command(SobrioCommand):
    help = "Ajoute ou liste les unités d'un établissement (directions, services, composantes)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="ajouter une unité")
        add.add_argument("name")
        add.add_argument("--institution", required=True)
        add.add_argument("--code", default="")
        add.add_argument("--kind", choices=UnitKind.values, default=UnitKind.SERVICE)
        add.add_argument("--parent", default="", help="nom ou code de l'unité qui la contient")
        listing = sub.add_parser("list", help="lister les unités, arbre compris")
        listing.add_argument("--institution", required=True)
        listing.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, action, **options):
        institution = Institution.objects.filter(slug=options["institution"]).first()
        if institution is None:
            raise CommandError(f"Unknown institution {options['institution']!r}.")
        if action == "add":
            return self.add(institution, options)
        return self.list(institution, options["format"])

    def add(self, institution, options):
        parent = None
        if options["parent"]:
            units = Unit.objects.for_institution(institution)
            parent = (
                units.filter(name__iexact=options["parent"]).first()
                or units.filter(code__iexact=options["parent"]).first()
            )
            if parent is None:
                raise CommandError(f"Unknown parent unit {options['parent']!r}.")
        unit = Unit(
            institution=institution,
            name=options["name"],
            code=options["code"],
            kind=options["kind"],
            parent=parent,
        )
        try:
            services.unit_save(unit=unit)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"{unit.pk}\t{unit.name}")

    def list(self, institution, fmt):
        units = selectors.units_tree(institution)
        if fmt == "json":
            data = [
                {
                    "id": u.pk,
                    "name": u.name,
                    "code": u.code,
                    "kind": u.kind,
                    "parent": u.parent_id,
                    "depth": u.depth,
                }
                for u in units
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for u in units:
            self.stdout.write(f"{'  ' * u.depth}{u.name}" + (f" ({u.code})" if u.code else ""))
