import json

from django.core.management.base import CommandError
from django.db.models import Count

from sobrio.core.management.base import SobrioCommand
from sobrio.core.models import Institution
from sobrio.referentials import importers, services
from sobrio.referentials.models import Referential


class Command(SobrioCommand):
    help = "Importe ou liste les référentiels (guide national, RGESN, grilles)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="importer un fichier, un dossier ou un zip")
        load.add_argument("path")
        load.add_argument(
            "--institution",
            help="identifiant de l'établissement : le référentiel lui est propre "
            "(sans cette option, il est partagé par toute l'instance)",
        )
        load.add_argument("--name", default="", help="nom, à la place de celui du fichier")
        load.add_argument("--version", dest="ref_version", default="", help="version")
        load.add_argument("--format", choices=["text", "json"], default="text")
        listing = sub.add_parser("list", help="lister les référentiels")
        listing.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, action, **options):
        if action == "import":
            return self.load(options)
        return self.list(options["format"])

    def load(self, options):
        institution = None
        if options["institution"]:
            institution = Institution.objects.filter(slug=options["institution"]).first()
            if institution is None:
                raise CommandError(f"No institution with slug {options['institution']!r}.")
        try:
            parsed = importers.read(options["path"])
        except importers.ImportFailure as failure:
            raise CommandError(
                "nothing imported:\n" + "\n".join(f"  {p}" for p in failure.problems)
            ) from None
        result = services.referential_import(
            parsed=parsed,
            institution=institution,
            name=options["name"],
            version=options["ref_version"],
        )
        referential = result.referential
        data = {
            "id": referential.pk,
            "name": referential.name,
            "version": referential.version,
            "shared": referential.is_shared,
            "scale": referential.scale,
            "families": referential.families.count(),
            "items": referential.items.count(),
            "created": result.created,
            "previous": result.previous.pk if result.previous else None,
            "added": result.diff.added if result.previous else [],
            "removed": result.diff.removed,
            "changed": [code for code, _fields in result.diff.changed],
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        state = "imported" if result.created else "already imported, unchanged"
        self.stdout.write(
            f"{data['id']}\t{referential}\t{data['families']} families\t{data['items']} items"
            f"\t{state}"
        )
        if result.previous and result.created:
            self.stdout.write(
                f"since version {result.previous.version}: {len(data['added'])} added, "
                f"{len(data['removed'])} removed, {len(data['changed'])} changed"
            )

    def list(self, fmt):
        rows = Referential.objects.select_related("institution").annotate(
            item_count=Count("items", distinct=True), family_count=Count("families", distinct=True)
        )
        data = [
            {
                "id": r.pk,
                "name": r.name,
                "version": r.version,
                "institution": r.institution.slug if r.institution else None,
                "scale": r.scale,
                "families": r.family_count,
                "items": r.item_count,
            }
            for r in rows.order_by("name", "pk")
        ]
        if fmt == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for row in data:
            scope = row["institution"] or "shared"
            self.stdout.write(
                f"{row['id']}\t{row['name']}\t{row['version']}\t{row['items']} items\t{scope}"
            )
