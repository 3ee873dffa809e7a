import threading

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


def _daily(stop, every=24 * 3600):
    """Once a day: participants inactive past their retention are erased."""
    import logging

    from django.db import close_old_connections

    from sobrio.core import participation

    while True:
        try:
            close_old_connections()
            participation.purge()
        except Exception:  # noqa: BLE001 - keep the worker's housekeeping alive
            logging.getLogger("sobrio").exception("participants purge")
        if stop.wait(every):
            return


class Command(DbWorkerCommand):
    help = (
        "Exécute les tâches de fond (imports, calculs, rapports) de la file en base de données ; "
        "reprend les imports dont le worker s'est arrêté, purge les fichiers d'import anciens et, "
        "chaque jour, les participant·es inactif·ves."
    )

    def handle(self, *args, **options):
        from sobrio.imports import jobs

        stop = threading.Event()
        reaper = threading.Thread(target=jobs.reaper_loop, args=(stop,), daemon=True)
        reaper.start()
        daily = threading.Thread(target=_daily, args=(stop,), daemon=True)
        daily.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
