import threading

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = (
        "Exécute les tâches de fond (imports, calculs, rapports) de la file en base de données ; "
        "reprend les imports dont le worker s'est arrêté, purge les fichiers d'import anciens et "
        "fait les tâches périodiques (rappels d'ateliers, participant·es inactif·ves)."
    )

    def handle(self, *args, **options):
        from sobrio.imports import jobs

        stop = threading.Event()
        reaper = threading.Thread(target=jobs.reaper_loop, args=(stop,), daemon=True)
        reaper.start()
        from sobrio.core import housekeeping

        chores = threading.Thread(target=housekeeping.loop, args=(stop,), daemon=True)
        chores.start()
        from sobrio.core import workers

        beat = threading.Thread(
            target=workers.beat_loop, args=(options["worker_id"], stop), daemon=True
        )
        beat.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
