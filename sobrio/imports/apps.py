from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "sobrio.imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self):
        from sobrio.core import housekeeping, queue

        queue.register("imports.run_step", "sobrio.imports.tasks.run_import_step")
        # old import files, once an hour per cluster
        housekeeping.register(3600, "sobrio.imports.jobs.purge")
