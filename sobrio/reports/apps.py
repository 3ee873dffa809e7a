from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "sobrio.reports"
    label = "reports"
    verbose_name = _("Rendre compte")

    def ready(self):
        from sobrio.core import demo as core_demo

        core_demo.register(50, "sobrio.reports.demo.load")
        from auditlog.registry import auditlog

        from sobrio.reports import models

        auditlog.register(models.Report, exclude_fields=["updated_at", "snapshot"])
