from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "sobrio.imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self):
        from sobrio.core import housekeeping
        from sobrio.imports import jobs, tasks  # noqa: F401 - registers the import step's task

        housekeeping.register(3600, jobs.purge)  # old import files, once an hour per cluster
