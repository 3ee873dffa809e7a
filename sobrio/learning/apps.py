from django.apps import AppConfig
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class LearningConfig(AppConfig):
    name = "sobrio.learning"
    label = "learning"
    verbose_name = _("Formation")

    def ready(self):
        from auditlog.registry import auditlog

        from sobrio.core import demo as core_demo
        from sobrio.learning import models

        for model in (models.Quiz, models.Question, models.WorkshopKind, models.Session,
                      models.Module, models.Path, models.Certificate):  # fmt: skip
            auditlog.register(model, exclude_fields=["updated_at"])
        register_quizzes()
        register_workshops()
        register_paths()
        from sobrio.core import participation

        def renamed(user, before, after):
            # a certificate issued under the old name (initials, an address) takes the new
            models.Certificate.objects.filter(user=user, holder_name__in={before, user.email}) \
                .update(holder_name=after)  # fmt: skip

        participation.RENAMED.append(renamed)
        from sobrio.plan import views as plan_views

        plan_views.CARRIED_BY.append(carried_by)
        # the catalogue first, the events after: the badges demo (in between) creates the
        # badge classes whose rules award on these events
        core_demo.register(60, "sobrio.learning.demo.load")
        core_demo.register(62, "sobrio.learning.demo.load_events")


def register_quizzes():
    from django.db.models import Count, Q

    from sobrio.core import dashboard, participation
    from sobrio.learning.models import AttemptState, Quiz
    from sobrio.learning.space import quizzes as space

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
            "learning_quizzes",
            quiz_figure,
        )
    )
    participation.register_section(
        participation.Section(
            "quizzes", 20, "learning/space/section_quizzes.html", space.quizzes_section
        )
    )
    participation.register_data(
        participation.PersonalData(
            "attempts", _("Tentatives de quiz"), space.attempts_data, space.attempts_erase
        )
    )


def register_workshops():
    from sobrio.core import dashboard, housekeeping, participation
    from sobrio.learning import workshops
    from sobrio.learning.models import Session
    from sobrio.learning.space import workshops as space

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
            "learning_sessions",
            session_figure,
        )
    )
    participation.register_section(
        participation.Section(
            "workshops", 10, "learning/space/section_sessions.html", space.sessions_section
        )
    )
    participation.register_data(
        participation.PersonalData(
            "registrations",
            _("Inscriptions aux ateliers"),
            space.registrations_data,
            space.registrations_erase,
        )
    )
    participation.OPEN_TO_ALL.append(space.public_session_asked)

    def workshop_chores():
        workshops.expire_offers(link_for=workshops.email_link)
        workshops.send_reminders(link_for=workshops.email_link)

    housekeeping.register(15 * 60, workshop_chores)


def register_paths():
    from sobrio.core import dashboard, participation
    from sobrio.learning import indicators, paths
    from sobrio.learning.space import paths as space

    paths.connect()
    indicators.register_all()
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
            "learning_paths",
        )
    )
    participation.register_section(
        participation.Section("paths", 30, "learning/space/section_paths.html", space.paths_section)
    )
    participation.register_data(
        participation.PersonalData(
            "validations",
            _("Modules et attestations"),
            space.validations_data,
            space.validations_erase,
        )
    )


def carried_by(action):
    """The workshops and quizzes that carry out a plan action, for its page."""
    from django.urls import reverse

    from sobrio.learning.models import Quiz, Session

    rows = [
        (f"{s} ({s.starts_at:%d/%m/%Y})", reverse("learning_session", args=[s.pk]))
        for s in Session.objects.filter(action=action).select_related("kind")
    ]
    return rows + [
        (q.name, reverse("learning_quiz", args=[q.pk])) for q in Quiz.objects.filter(action=action)
    ]
