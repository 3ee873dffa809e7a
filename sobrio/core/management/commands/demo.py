import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from sobrio.core import demo
from sobrio.core.enums import Role
from sobrio.core.management.serving import collect_static_if_changed, run_server


class Command(BaseCommand):
    help = "Prépare la base de démonstration dans ./var/, charge l’établissement de démo, le sert."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="port (8000 par défaut)")
        parser.add_argument(
            "--no-serve", action="store_true", help="préparer seulement, sans lancer le serveur"
        )

    def handle(self, *args, port, no_serve, **options):
        if not 0 < port < 65536:
            self.stderr.write(f"--port {port}: choose a port between 1 and 65535.")
            raise SystemExit(2)
        verbosity = options["verbosity"]
        url = f"http://127.0.0.1:{port}/"
        if not settings.BASE_URL:  # badges and emails carry absolute addresses: this one
            settings.BASE_URL = url.rstrip("/")
            os.environ["SOBRIO_BASE_URL"] = settings.BASE_URL  # for the server it starts
        self.stdout.write(f"Base de données : {settings.DATABASES['default']['NAME']}")
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        collect_static_if_changed()
        institution = demo.load_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Établissement de démonstration : {institution.name}")
        )
        self.stdout.write(f"Adresse : {url}")
        self.stdout.write("Comptes (adresse / mot de passe / rôle) :")
        for email, password, role in demo.logins():
            self.stdout.write(f"  {email:32} {password:28} {Role(role).label}")
        if no_serve:
            return
        self.stdout.write("Ctrl+C pour arrêter.")
        run_server(bind=f"127.0.0.1:{port}", workers=2, with_worker=True)
