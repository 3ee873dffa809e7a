from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CleanupConfig(AppConfig):
    name = "sobrio.cleanup"
    label = "cleanup"
    verbose_name = _("Journée du nettoyage numérique")

    def ready(self):
        from auditlog.registry import auditlog

        from sobrio.cleanup import indicators, models
        from sobrio.core import demo as core_demo
        from sobrio.plan import views as plan_views

        for model in (models.CleanupCampaign, models.Team):
            auditlog.register(model, exclude_fields=["updated_at"])
        register()
        indicators.register_all()
        plan_views.CARRIED_BY.append(carried_by)
        core_demo.register(63, "sobrio.cleanup.demo.load")
        from django.db.models.signals import post_delete, post_save

        def pledge_changed(sender, instance, raw=False, **kwargs):
            if not raw and not getattr(instance, "figures_renewed_by_caller", False):
                from sobrio.cleanup import services

                services.renew_figures(instance.campaign_id)

        for signal in (post_save, post_delete):
            signal.connect(pledge_changed, sender=models.Pledge, weak=False,
                           dispatch_uid=f"pledge-{signal}")  # fmt: skip


def register():
    from django.db.models import Count, Q

    from sobrio.cleanup import services, space
    from sobrio.cleanup.models import Pledge, PledgeState
    from sobrio.core import dashboard, participation

    def campaign_figure(request):
        campaign = services.open_campaigns(request.institution).first()
        if campaign is None:
            return ""
        counts = Pledge.objects.filter(campaign=campaign).aggregate(
            accepted=Count("pk", filter=Q(state=PledgeState.ACCEPTED)),
            pending=Count("pk", filter=Q(state=PledgeState.PENDING)),
        )
        return _("« %(c)s » ouverte : %(a)s déclarations, %(p)s à modérer") % {
            "c": campaign, "a": counts["accepted"], "p": counts["pending"]}  # fmt: skip

    dashboard.register_part(
        dashboard.Part(
            "act",
            "cleanup",
            40,
            _("Journée du nettoyage numérique"),
            _(
                "Campagnes, équipes et déclarations, totaux en direct et bilan pour le "
                "Digital Cleanup Day."
            ),
            "cleanup_campaigns",
            campaign_figure,
        )
    )
    participation.register_section(
        participation.Section(
            "cleanup", 5, "cleanup/space/section_campaigns.html", space.campaigns_section
        )
    )
    participation.register_data(
        participation.PersonalData(
            "pledges", _("Déclarations de nettoyage"), space.pledges_data, space.pledges_erase
        )
    )


def carried_by(action):
    """The cleanup campaigns that carry out a plan action, for its page."""
    from django.urls import reverse

    from sobrio.cleanup.models import CleanupCampaign

    return [
        (str(c), reverse("cleanup_campaign", args=[c.pk]))
        for c in CleanupCampaign.objects.filter(action=action)
    ]
