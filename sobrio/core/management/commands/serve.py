from django.core.management.base import BaseCommand

from sobrio.core.management.serving import run_server


class Command(BaseCommand):
    help = "Sert Sobrio en production (gunicorn, fichiers statiques compressés par whitenoise)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="adresse:port à écouter")
        parser.add_argument("--workers", type=int, default=2, help="processus gunicorn")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="lancer aussi le worker des tâches de fond dans un processus à côté",
        )

    def handle(self, *args, bind, workers, with_worker, **options):
        run_server(bind=bind, workers=workers, with_worker=with_worker, collect=True)
