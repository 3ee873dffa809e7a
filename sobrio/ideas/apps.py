from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class IdeasConfig(AppConfig):
    name = "sobrio.ideas"
    label = "ideas"
    verbose_name = _("Boîte à idées")

    def ready(self):
        from auditlog.registry import auditlog

        from sobrio.core import demo as core_demo
        from sobrio.ideas import indicators, models, services
        from sobrio.plan import views as plan_views

        auditlog.register(models.Idea, exclude_fields=["updated_at"])
        services.connect()
        register()
        indicators.register_all()
        plan_views.CARRIED_BY.append(carried_by)
        core_demo.register(64, "sobrio.ideas.demo.load")


def register():
    from django.db.models import Count, Q

    from sobrio.core import dashboard, participation
    from sobrio.ideas import space
    from sobrio.ideas.models import Idea, IdeaStatus

    def idea_figure(request):
        counts = Idea.objects.for_institution(request.institution).aggregate(
            received=Count("pk", filter=Q(merged_into=None)),
            new=Count("pk", filter=Q(status=IdeaStatus.RECEIVED, merged_into=None)),
        )
        return ngettext(
            "%(n)s idée, %(new)s à examiner", "%(n)s idées, %(new)s à examiner", counts["received"]
        ) % {"n": counts["received"], "new": counts["new"]}

    dashboard.register_part(
        dashboard.Part(
            "act",
            "ideas",
            50,
            _("Boîte à idées"),
            _("La communauté propose et vote ; une idée retenue devient une action du plan."),
            "ideas_list",
            idea_figure,
        )
    )
    participation.register_section(
        participation.Section("ideas", 40, "ideas/space/section_ideas.html", space.ideas_section)
    )
    participation.register_data(
        participation.PersonalData(
            "ideas", _("Idées, votes et commentaires"), space.ideas_data, space.ideas_erase
        )
    )


def carried_by(action):
    """The ideas that became a plan action, for its page."""
    from django.urls import reverse

    from sobrio.ideas.models import Idea

    return [
        (
            _("Idée « %(t)s » (%(s)s)") % {"t": i.title, "s": i.get_status_display()},
            reverse("ideas_detail", args=[i.pk]),
        )  # fmt: skip
        for i in Idea.objects.filter(action=action)
    ]
