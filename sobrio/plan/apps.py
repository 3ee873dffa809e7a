from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "sobrio.plan"
    label = "plan"
    verbose_name = _("Plan")

    def ready(self):
        from sobrio.plan import dashboard as cockpit

        cockpit.register()
        from sobrio.core import demo as core_demo

        core_demo.register(40, "sobrio.plan.demo.load")
        from auditlog.registry import auditlog

        from sobrio.plan import models

        for model in (
            models.Plan,
            models.Axis,
            models.Objective,
            models.Action,
            models.BudgetLine,
            models.Indicator,
            models.Target,
            models.Measurement,
        ):
            auditlog.register(model, exclude_fields=["updated_at"])
