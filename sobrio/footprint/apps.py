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

        core_demo.register(30, "sobrio.footprint.demo.load")
        from auditlog.registry import auditlog

        from sobrio.core import queue
        from sobrio.footprint import indicators, models, signals

        queue.register("footprint.recompute", "sobrio.footprint.tasks.recompute", resumable=True)

        indicators.register_all()

        signals.connect()
        from sobrio.inventory.signals import readers

        readers["energy_categories"] = energy_categories
        auditlog.register(models.FootprintSettings, exclude_fields=["updated_at", "data_version"])
        auditlog.register(models.Scenario, exclude_fields=["updated_at"])
        auditlog.register(models.FactorSet, exclude_fields=["updated_at"])


def energy_categories(institution):
    from sobrio.footprint import services  # numpy and the engine: when an import asks

    return services.energy_categories(institution)
