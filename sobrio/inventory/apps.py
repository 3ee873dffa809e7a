from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "sobrio.inventory"
    label = "inventory"
    verbose_name = _("Parc")

    def ready(self):
        from sobrio.core import demo as core_demo

        core_demo.register(20, "sobrio.inventory.demo.load")
        from auditlog.registry import auditlog

        from sobrio.inventory import models, services

        services.register()

        for model in (
            models.Asset,
            models.ServerRoom,
            models.CloudInstance,
            models.DataStore,
            models.CustomCategory,
        ):
            auditlog.register(model, exclude_fields=["updated_at"])
