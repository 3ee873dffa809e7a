from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferentialsConfig(AppConfig):
    name = "sobrio.referentials"
    label = "referentials"
    verbose_name = _("Référentiels")

    def ready(self):
        from sobrio.referentials import dashboard as cockpit

        cockpit.register()
        from auditlog.registry import auditlog

        from sobrio.referentials import models

        auditlog.register(models.Referential)
