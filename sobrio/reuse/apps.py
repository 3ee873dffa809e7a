from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReuseConfig(AppConfig):
    name = "sobrio.reuse"
    label = "reuse"
    verbose_name = _("Réemploi")

    def ready(self):
        from auditlog.registry import auditlog

        from sobrio.reuse import models

        for model in (
            models.Disposal,
            models.Batch,
            models.Refurbishment,
            models.Sanitisation,
            models.RedistributionCampaign,
            models.Application,
            models.ReuseSettings,
        ):
            auditlog.register(model, exclude_fields=["updated_at", "report"])
        register()


def register():
    from django.utils import timezone

    from sobrio.core import dashboard, demo, housekeeping, participation
    from sobrio.core.numbers import num
    from sobrio.inventory.signals import readers
    from sobrio.reuse import indicators, services, space

    def reuse_figure(request):
        figures = services.rate(request.institution, timezone.localdate().year)
        if figures["rate"] is None:
            return _("Aucun stock réformé au 1er janvier")
        return _("Taux de réemploi %(y)s : %(r)s %%") % {
            "y": timezone.localdate().year,
            "r": num(figures["rate"]),
        }

    dashboard.register_part(
        dashboard.Part(
            "act",
            "reuse",
            5,
            _("Réemploi"),
            _(
                "La seconde vie des appareils : décision à la réforme, reconditionnement et "
                "effacement, campagnes de redistribution, taux de réemploi et registre."
            ),
            "reuse_home",
            reuse_figure,
        )
    )
    participation.register_section(
        participation.Section("reuse", 45, "reuse/space/section.html", space.section)
    )
    participation.register_data(
        participation.PersonalData(
            "reuse",
            _("Demandes d'appareils reconditionnés"),
            space.applications_data,
            space.applications_erase,
        )
    )
    readers["asset_story"] = services.story
    indicators.register_all()
    housekeeping.register(24 * 3600, services.purge_expired)
    demo.register(70, "sobrio.reuse.demo.load")
