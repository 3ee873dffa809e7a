from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "sobrio.imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self):
        from sobrio.imports import tasks  # noqa: F401 - registers the import step's task
