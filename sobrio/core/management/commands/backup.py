from sobrio.core import backup
from sobrio.core.management.base import SobrioCommand


class Command(SobrioCommand):
    help = "Sauvegarde la base et les fichiers déposés (preuves, imports) dans une archive."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="archive à écrire (.tar.gz)")

    def handle(self, *args, output, **options):
        manifest = backup.backup(output)
        self.stdout.write(
            f"{output}: {manifest['engine']} database and files, Sobrio {manifest['sobrio']}"
        )
