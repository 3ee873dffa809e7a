from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sobrio.core"
    label = "core"
    verbose_name = _("Établissements et membres")

    def ready(self):
        from auditlog.registry import auditlog

        from sobrio.core import (  # noqa: F401
            checks,
            freshness,
            housekeeping,
            models,
            participation,
            tasks,
            traces,
        )

        freshness.connect()
        traces.connect()
        housekeeping.register(24 * 3600, participation.purge)
        housekeeping.register(24 * 3600, traces.expire)
        housekeeping.register(60, "sobrio.core.workers.requeue_orphans")

        for model in (models.Institution, models.Unit, models.Membership):
            auditlog.register(model, exclude_fields=["updated_at"])
        from sobrio.core import dashboard

        dashboard.register_step(
            dashboard.Step(
                "members",
                50,
                _("Inviter les membres (DSI, achats, formation, gouvernance)"),
                "member_add",
                lambda institution: (
                    models.Membership.objects.for_institution(institution).staff().count() > 1
                ),
                capability="manage_members",
            )
        )
