from django.core.management import call_command
from django.core.management.base import CommandError

from sobrio.core import backup
from sobrio.core.management.base import SobrioCommand


class Command(SobrioCommand):
    help = "Restaure une archive de `sobrio backup` dans une instance vide (SQLite ou PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="même si la base a des données")

    def handle(self, *args, archive, force, **options):
        call_command("migrate", interactive=False, verbosity=0)
        try:
            manifest = backup.restore(archive, force=force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"restored {archive} (made on {manifest['engine']} at {manifest['created_at']})"
        )
