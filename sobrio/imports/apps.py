from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "sobrio.imports"
    label = "imports"
    verbose_name = "Imports"
