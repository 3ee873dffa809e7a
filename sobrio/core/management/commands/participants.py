from sobrio.core import participation
from sobrio.core.management.base import SobrioCommand


class Command(SobrioCommand):
    help = (
        "Participant·es de l'espace « Participer » : 'purge' efface celles et ceux qui ne se "
        "sont pas connecté·es depuis SOBRIO_PARTICIPANT_RETENTION_DAYS jours (le worker le "
        "fait chaque jour)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        purge = sub.add_parser("purge", help="effacer les participant·es inactif·ves")
        purge.add_argument("--dry-run", action="store_true", help="lister sans effacer")

    def handle(self, *args, action, dry_run=False, **options):
        concerned = participation.purge(dry_run=dry_run)
        for institution, email in concerned:
            self.stdout.write(f"{institution.slug}\t{email}")
        verb = "à effacer" if dry_run else "effacé·es"
        self.stdout.write(self.style.SUCCESS(f"{len(concerned)} participant·es {verb}."))
