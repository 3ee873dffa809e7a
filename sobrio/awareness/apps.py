from django.apps import AppConfig
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class AwarenessConfig(AppConfig):
    name = "sobrio.awareness"
    label = "awareness"
    verbose_name = _("Sensibilisation")

    def ready(self):
        from auditlog.registry import auditlog

        from sobrio.awareness import models

        for model in (models.Quiz, models.Question, models.WorkshopKind, models.Session,
                      models.Module, models.Path, models.Certificate, models.CleanupCampaign,
                      models.Team, models.Idea, models.BadgeIssuer, models.BadgeClass,
                      models.BadgeAssertion):  # fmt: skip
            auditlog.register(
                model, exclude_fields=["updated_at", "image", "image_png", "image_svg"]
            )
        register()
        register_participation()
        register_badges()
        from sobrio.awareness import demo
        from sobrio.core import demo as core_demo

        core_demo.register(60, demo.load)


def register():
    from django.db.models import Count, Q

    from sobrio.awareness import space
    from sobrio.awareness.models import AttemptState, Quiz
    from sobrio.core import dashboard, participation

    def quiz_figure(request):
        rows = Quiz.objects.for_institution(request.institution).aggregate(
            quizzes=Count("pk", distinct=True),
            people=Count(
                "attempts__user", filter=Q(attempts__state=AttemptState.FINISHED), distinct=True
            ),
        )
        return ngettext(
            "%(q)s quiz, passé par %(p)s personne",
            "%(q)s quiz, passés par %(p)s personnes",
            rows["people"],
        ) % {"q": rows["quizzes"], "p": rows["people"]}

    dashboard.register_part(
        dashboard.Part(
            "act",
            "quizzes",
            10,
            _("Quiz"),
            _("Des quiz importés de Moodle (GIFT), passés dans l'espace « Participer »."),
            "awareness_quizzes",
            quiz_figure,
        )
    )
    participation.register_section(
        participation.Section(
            "quizzes", 20, "awareness/space/section_quizzes.html", space.quizzes_section
        )
    )
    participation.register_data(
        participation.PersonalData(
            "attempts", _("Tentatives de quiz"), space.attempts_data, space.attempts_erase
        )
    )
    from sobrio.awareness import workshop_space, workshops
    from sobrio.awareness.models import Session
    from sobrio.core import housekeeping

    def session_figure(request):
        upcoming = (
            Session.objects.for_institution(request.institution)
            .filter(starts_at__gte=timezone.now(), cancelled_at=None)
            .count()
        )
        return ngettext("%(n)s séance à venir", "%(n)s séances à venir", upcoming) % {"n": upcoming}

    dashboard.register_part(
        dashboard.Part(
            "act",
            "workshops",
            20,
            _("Ateliers et webinaires"),
            _(
                "Fresques, ateliers de réparation, webinaires : inscriptions, liste d'attente, "
                "pointage et avis."
            ),
            "awareness_sessions",
            session_figure,
        )
    )
    participation.register_section(
        participation.Section(
            "workshops",
            10,
            "awareness/space/section_sessions.html",
            workshop_space.sessions_section,
        )
    )
    participation.register_data(
        participation.PersonalData(
            "registrations",
            _("Inscriptions aux ateliers"),
            workshop_space.registrations_data,
            workshop_space.registrations_erase,
        )
    )
    participation.OPEN_TO_ALL.append(workshop_space.public_session_asked)

    def workshop_chores():
        workshops.expire_offers(link_for=workshops.email_link)
        workshops.send_reminders(link_for=workshops.email_link)

    housekeeping.register(15 * 60, workshop_chores)
    from sobrio.awareness import indicators, path_views, paths

    paths.connect()
    indicators.register_all()
    from sobrio.plan import views as plan_views

    plan_views.CARRIED_BY.append(carried_by)
    dashboard.register_part(
        dashboard.Part(
            "act",
            "paths",
            30,
            _("Parcours de formation"),
            _(
                "Des modules validés par un quiz, un atelier ou un jury, et une attestation "
                "vérifiable à la fin du parcours."
            ),
            "awareness_paths",
        )
    )
    participation.register_section(
        participation.Section(
            "paths", 30, "awareness/space/section_paths.html", path_views.paths_section
        )
    )
    participation.register_data(
        participation.PersonalData(
            "validations",
            _("Modules et attestations"),
            path_views.validations_data,
            path_views.validations_erase,
        )
    )


def register_participation():
    """The cleanup day and the idea box: Agir's parts, the space's sections, personal data."""
    from django.db.models import Count, Q

    from sobrio.awareness import cleanup, cleanup_space, ideas
    from sobrio.awareness.models import Idea, IdeaStatus, Pledge, PledgeState
    from sobrio.core import dashboard, participation

    ideas.connect()

    def campaign_figure(request):
        campaign = cleanup.open_campaigns(request.institution).first()
        if campaign is None:
            return ""
        counts = Pledge.objects.filter(campaign=campaign).aggregate(
            accepted=Count("pk", filter=Q(state=PledgeState.ACCEPTED)),
            pending=Count("pk", filter=Q(state=PledgeState.PENDING)),
        )
        return _("« %(c)s » ouverte : %(a)s déclarations, %(p)s à modérer") % {
            "c": campaign, "a": counts["accepted"], "p": counts["pending"]}  # fmt: skip

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
            "cleanup",
            40,
            _("Journée du nettoyage numérique"),
            _(
                "Campagnes, équipes et déclarations, totaux en direct et bilan pour le "
                "Digital Cleanup Day."
            ),
            "awareness_campaigns",
            campaign_figure,
        )
    )
    dashboard.register_part(
        dashboard.Part(
            "act",
            "ideas",
            50,
            _("Boîte à idées"),
            _("La communauté propose et vote ; une idée retenue devient une action du plan."),
            "awareness_ideas",
            idea_figure,
        )
    )
    participation.register_section(
        participation.Section(
            "cleanup", 5, "awareness/space/section_campaigns.html", cleanup_space.campaigns_section
        )
    )
    participation.register_section(
        participation.Section(
            "ideas", 40, "awareness/space/section_ideas.html", cleanup_space.ideas_section
        )
    )
    participation.register_data(
        participation.PersonalData(
            "pledges",
            _("Déclarations de nettoyage"),
            cleanup_space.pledges_data,
            cleanup_space.pledges_erase,
        )
    )
    participation.register_data(
        participation.PersonalData(
            "ideas",
            _("Idées, votes et commentaires"),
            cleanup_space.ideas_data,
            cleanup_space.ideas_erase,
        )  # fmt: skip
    )


def register_badges():
    """Open Badges: rules listen to the events above; Agir's part, the space's section."""
    from sobrio.awareness import badge_space, badges
    from sobrio.awareness.models import BadgeAssertion, BadgeClass
    from sobrio.core import dashboard, participation

    badges.connect()

    def badge_figure(request):
        classes = BadgeClass.objects.for_institution(request.institution).count()
        valid = badges.filter_state(
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
            "awareness_badges",
            badge_figure,
        )
    )
    participation.register_section(
        participation.Section(
            "badges", 35, "awareness/space/section_badges.html", badge_space.badges_section
        )
    )
    participation.register_data(
        participation.PersonalData(
            "badges", _("Badges"), badge_space.badges_data, badge_space.badges_erase
        )
    )


def carried_by(action):
    """The workshops and quizzes that carry out a plan action, for its page."""
    from django.urls import reverse

    from sobrio.awareness.models import CleanupCampaign, Idea, Quiz, Session

    rows = [
        (f"{s} ({s.starts_at:%d/%m/%Y})", reverse("awareness_session", args=[s.pk]))
        for s in Session.objects.filter(action=action).select_related("kind")
    ]
    rows += [
        (q.name, reverse("awareness_quiz", args=[q.pk])) for q in Quiz.objects.filter(action=action)
    ]
    rows += [
        (str(c), reverse("awareness_campaign", args=[c.pk]))
        for c in CleanupCampaign.objects.filter(action=action)
    ]
    rows += [
        (
            _("Idée « %(t)s » (%(s)s)") % {"t": i.title, "s": i.get_status_display()},
            reverse("awareness_idea", args=[i.pk]),
        )  # fmt: skip
        for i in Idea.objects.filter(action=action)
    ]
    return rows
