from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "sobrio.assessment"
    label = "assessment"
    verbose_name = _("Autoévaluation")

    def ready(self):
        from sobrio.assessment import dashboard as cockpit

        cockpit.register()
        from sobrio.core import demo as core_demo

        core_demo.register(10, "sobrio.assessment.demo.load")
        from auditlog.registry import auditlog

        from sobrio.assessment import indicators, models

        indicators.register_all()

        auditlog.register(models.Campaign, exclude_fields=["updated_at", "snapshot"])
        auditlog.register(models.Answer, exclude_fields=["updated_at"])
        auditlog.register(models.Evidence, exclude_fields=["updated_at"])
