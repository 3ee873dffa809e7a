from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = "Exécute les tâches de fond (imports, calculs, rapports) de la file en base de données."
