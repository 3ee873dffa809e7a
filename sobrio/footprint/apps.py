from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FootprintConfig(AppConfig):
    name = "sobrio.footprint"
    label = "footprint"
    verbose_name = _("Empreinte")

    def ready(self):
        from sobrio.footprint import dashboard as cockpit

        cockpit.register()
        from sobrio.core import demo as core_demo
        from sobrio.footprint import demo

        core_demo.register(30, demo.load)
        from auditlog.registry import auditlog

        from sobrio.footprint import indicators, models, signals, tasks  # noqa: F401

        indicators.register_all()

        signals.connect()
        from sobrio.footprint.services import energy_categories
        from sobrio.inventory.signals import readers

        readers["energy_categories"] = energy_categories
        auditlog.register(models.FootprintSettings, exclude_fields=["updated_at", "data_version"])
        auditlog.register(models.Scenario, exclude_fields=["updated_at"])
        auditlog.register(models.FactorSet, exclude_fields=["updated_at"])
