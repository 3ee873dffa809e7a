from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class BadgesConfig(AppConfig):
    name = "sobrio.badges"
    label = "badges"
    verbose_name = _("Open Badges")

    def ready(self):
        from auditlog.registry import auditlog

        from sobrio.badges import models, services
        from sobrio.core import demo as core_demo

        for model in (models.BadgeIssuer, models.BadgeClass, models.BadgeAssertion):
            auditlog.register(
                model, exclude_fields=["updated_at", "image", "image_png", "image_svg"]
            )
        services.connect()  # the award rules listen to learning, cleanup and ideas
        register()
        core_demo.register(
            61, "sobrio.badges.demo.load"
        )  # the classes, before the events that earn them
        core_demo.register(65, "sobrio.badges.demo.load_by_hand")


def register():
    from sobrio.badges import services, space
    from sobrio.badges.models import BadgeAssertion, BadgeClass
    from sobrio.core import dashboard, participation

    def badge_figure(request):
        classes = BadgeClass.objects.for_institution(request.institution).count()
        valid = services.filter_state(
            BadgeAssertion.objects.for_institution(request.institution), "valid"
        ).count()
        return ngettext(
            "%(c)s badge, %(v)s délivré valide", "%(c)s badges, %(v)s délivrés valides", valid
        ) % {"c": classes, "v": valid}

    dashboard.register_part(
        dashboard.Part(
            "act",
            "badges",
            60,
            _("Open Badges"),
            _(
                "Des badges numériques (Open Badges 2.0 et 3.0) délivrés par règle quand un quiz, "
                "un parcours, un atelier ou une idée est réussi, ou à la main."
            ),
            "badges_list",
            badge_figure,
        )
    )
    participation.register_section(
        participation.Section(
            "badges", 35, "badges/space/section_badges.html", space.badges_section
        )
    )
    participation.register_data(
        participation.PersonalData("badges", _("Badges"), space.badges_data, space.badges_erase)
    )
