"""The awareness part of the demo: a quiz with attempts of a few people, workshops past
and to come with registrations, a waiting list, attendance and survey answers; a cleanup
campaign open now that accepts anonymous pledges; an idea box whose ideas went different
ways, one of them done as an action of the plan.
Idempotent, in Sobrio's own words."""

import datetime
from pathlib import Path as FilePath

from django.http import QueryDict
from django.utils import timezone

from sobrio.awareness import cleanup, ideas, paths, quizzes, workshops
from sobrio.awareness.models import (
    Audience,
    BadgeClass,
    BadgeRule,
    CleanupCampaign,
    Idea,
    IdeaStatus,
    IdeaTheme,
    Module,
    Path,
    PathModule,
    Pledge,
    Quiz,
    Session,
    SurveyAnswer,
    Team,
    TeamKind,
    Validation,
    WorkshopKind,
)
from sobrio.core.enums import Role
from sobrio.core.models import Membership, Unit, User

DATA = FilePath(__file__).parent / "demo_data"
QUIZ_NAME = "Les bons réflexes du numérique responsable"
# (email, name, unit, answers by question name): a few people took the quiz already
TAKERS = [
    ("leo.martin@demo.sobrio.fr", "Léo Martin", "UFR Sciences et techniques",
     {"Phase dominante": 0, "Durée de vie": "1", "Reconditionné": [0, 1], "Veille": "0",
      "PUE": 2, "Données": "0,2", "Sigle": "électroniques", "Idée": "Éteindre la nuit."}),
    ("nina.roux@demo.sobrio.fr", "Nina Roux", "Bibliothèque universitaire",
     {"Phase dominante": 1, "Durée de vie": "1", "Reconditionné": [0], "Veille": "1",
      "PUE": 0, "Données": "4", "Sigle": "electroniques"}),
    ("sam.petit@demo.sobrio.fr", "Sam Petit", "Direction du système d'information (DSI)",
     {"Phase dominante": 0, "Durée de vie": "1", "Reconditionné": [0, 1, 2], "Veille": "0",
      "PUE": 2, "Données": "0,3", "Sigle": "électroniques"}),
]  # fmt: skip


def _people(institution):
    out = []
    for email, name, unit, answers in TAKERS:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, full_name=name
        )
        Membership.objects.get_or_create(
            institution=institution,
            user=user,
            defaults={
                "role": Role.PARTICIPANT,
                "affiliation": Unit.objects.filter(institution=institution, name=unit).first(),
            },
        )
        out.append((user, answers))
    return out


def _answer(quiz, user, answers):
    attempt = quizzes.start(quiz, user)
    by_name = {q.name: q for q in quiz.questions.all()}
    post = QueryDict(mutable=True)
    for name, value in answers.items():
        question = by_name[name]
        post[f"page-q{question.pk}"] = "1"
        if isinstance(value, list):
            post.setlist(f"q{question.pk}", [str(v) for v in value])
        elif question.qtype == "match":
            for i, pair in enumerate(question.data["pairs"]):
                post[f"q{question.pk}-{i}"] = pair["right"]
        else:
            post[f"q{question.pk}"] = str(value)
    quizzes.save_answers(attempt, post)
    quizzes.finish(attempt)


KINDS = [
    ("Fresque du Numérique", 180, False,
     "Trois heures en équipe pour comprendre, carte après carte, d'où vient l'empreinte du "
     "numérique et ce qui la réduit."),
    ("Atelier de réparation", 120, False,
     "Apportez un ordinateur ou un téléphone qui flanche : on diagnostique et on répare ensemble."),
    ("Webinaire sobriété numérique", 60, True,
     "Une heure en ligne sur les gestes qui comptent, questions comprises."),
]  # fmt: skip


def _kinds(institution):
    kinds = {}
    for name, minutes, online, description in KINDS:
        kinds[name], _created = WorkshopKind.objects.get_or_create(
            institution=institution,
            name=name,
            defaults={"duration_minutes": minutes, "online": online, "description": description},
        )
    return kinds


def _workshops(institution, people):
    kinds = _kinds(institution)
    if Session.objects.for_institution(institution).exists():
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    past = Session.objects.create(
        institution=institution, kind=kinds["Fresque du Numérique"], title="Fresque de rentrée",
        starts_at=now - datetime.timedelta(days=30), duration_minutes=180,
        place="Bibliothèque universitaire, salle 2", capacity=8, animators="Dominique Référente",
    )  # fmt: skip
    coming = Session.objects.create(
        institution=institution, kind=kinds["Fresque du Numérique"],
        starts_at=now + datetime.timedelta(days=12, hours=2), duration_minutes=180,
        place="Maison de l'étudiant", capacity=3, animators="Dominique Référente",
        questions=["Votre composante ou service ?"],
    )  # fmt: skip
    Session.objects.create(
        institution=institution, kind=kinds["Webinaire sobriété numérique"],
        title="Webinaire : garder son ordinateur plus longtemps",
        starts_at=now + datetime.timedelta(days=20), duration_minutes=60,
        link="https://visio.demo.sobrio.fr/sobriete", capacity=100,
        audience=Audience.PUBLIC,
    )  # fmt: skip
    Session.objects.create(
        institution=institution, kind=kinds["Atelier de réparation"],
        starts_at=now + datetime.timedelta(days=5), duration_minutes=120,
        place="Fablab de l'IUT", capacity=6, approval=True,
    )  # fmt: skip
    for user in people:  # the past one: they came, and most said what they thought
        registration = workshops.register(
            past, user, now=past.starts_at - datetime.timedelta(days=7)
        )
        workshops.check_in(registration)
    for rating, comment in ((5, "Très concret, merci."), (4, "")):
        SurveyAnswer.objects.create(institution=institution, session=past, rating=rating,
                                    comment=comment)  # fmt: skip
    past.registrations.filter(user__in=people[:2]).update(surveyed=True)
    student = User.objects.filter(email="etudiante@demo.sobrio.fr").first()
    for user in [*people, *([student] if student else [])]:  # the last one waits
        workshops.register(coming, user, answers=["UFR Sciences et techniques"])


PATH_TITLE = "Ambassadeur·rice numérique responsable"
# (title, minutes, validated by, objectives, content): written for Sobrio's demo
MODULES = [
    ("Les enjeux du numérique responsable", 90, Validation.QUIZ,
     "Situer l'empreinte du numérique et ce qui la fait.",
     "La fabrication des équipements pèse le plus lourd ; l'usage dépend de l'électricité. "
     "Ce module pose les ordres de grandeur et se valide par le quiz des bons réflexes."),
    ("La Fresque du Numérique", 180, Validation.WORKSHOP,
     "Construire en équipe la carte des causes et des effets.",
     "Trois heures en atelier, cartes en main : on relie les usages aux équipements, aux "
     "ressources et aux impacts. Le module est validé par votre présence."),
    ("Mesurer l'empreinte d'un parc", 120, Validation.DECISION,
     "Lire un inventaire et son empreinte, avec leurs sources et leurs marges.",
     "À partir de l'inventaire de votre service, repérez ce qui pèse, ce qui manque et ce "
     "que disent les plages d'incertitude."),
    ("Allonger la durée de vie et réemployer", 120, Validation.DECISION,
     "Connaître les leviers de la durée de vie et du réemploi.",
     "Réparer, reconditionner, redistribuer : ce que chaque choix évite, et ce que la loi "
     "permet de donner."),
    ("Écoconcevoir un service numérique", 120, Validation.DECISION,
     "Appliquer les critères d'écoconception à un service de l'établissement.",
     "On parcourt un service réel avec le référentiel général d'écoconception."),
    ("Acheter responsable", 90, Validation.DECISION,
     "Intégrer la durée de vie et le reconditionné aux achats.",
     "Clauses, garanties, critères : ce qui change une commande de postes de travail."),
    ("Projet pratique devant un jury", 240, Validation.DECISION,
     "Mener une action dans son service et la présenter.",
     "Le jury valide la partie pratique menée tout au long du parcours."),
]  # fmt: skip


def _path(institution, quiz):
    path = Path.objects.for_institution(institution).filter(title=PATH_TITLE).first()
    if path is not None:
        return path
    path = Path.objects.create(
        institution=institution,
        title=PATH_TITLE,
        description="Sept modules pour devenir le relais de la démarche dans son service ; "
        "l'attestation vient quand tous sont validés.",
        published=True,
    )
    fresque = WorkshopKind.objects.get(institution=institution, name="Fresque du Numérique")
    for position, (title, minutes, how, objectives, content) in enumerate(MODULES, start=1):
        module = Module.objects.create(
            institution=institution, title=title, duration_minutes=minutes, validation=how,
            objectives=objectives, content=content,
            quiz=quiz if how == Validation.QUIZ else None,
            workshop_kind=fresque if how == Validation.WORKSHOP else None,
        )  # fmt: skip
        PathModule.objects.create(
            institution=institution, path=path, module=module, position=position
        )
    return path


def _jury(path, user, officer):
    for step in path.steps.select_related("module"):
        if step.module.validation == Validation.DECISION:
            paths.validate(step.module, user, Validation.DECISION, by=officer,
                           comment="Travail présenté au jury de juin.")  # fmt: skip


def load(institution):
    people = [user for user, _answers in _people(institution)]
    _kinds(institution)
    quiz = _quiz(institution)
    path = _path(institution, quiz)
    first_time = not Session.objects.for_institution(institution).exists()
    if first_time:  # before the events below, so that their rules award them
        _badges(institution, quiz, path)
    _workshops(institution, people)  # attendance validates the Fresque module
    if first_time:
        for user, answers in _people(institution):  # passing validates the first module
            _answer(quiz, user, answers)
        officer = User.objects.filter(email="referente@demo.sobrio.fr").first()
        _jury(path, people[2], officer)  # Sam completes the path: a certificate
    if not CleanupCampaign.objects.for_institution(institution).exists():
        _campaign(institution, people)
    if not Idea.objects.for_institution(institution).exists():
        _ideas(institution, people)
    if first_time:
        _badges_by_hand(institution, people)
    return quiz


BADGES = [
    # slug, name, description, criteria, rule
    ("reflexes", "Bons réflexes numériques",
     "Connaît les gestes qui allongent la vie des appareils et allègent les usages.",
     "Réussir le quiz « Les bons réflexes du numérique responsable » avec au moins 60 %.",
     BadgeRule.QUIZ),
    ("ambassadeur", "Ambassadeur·rice du numérique responsable",
     "A suivi le parcours des ambassadeur·rices : enjeux, Fresque du Numérique, projet.",
     "Valider tous les modules du parcours des ambassadeur·rices ; l'attestation l'accompagne.",
     BadgeRule.PATH),
    ("fresque", "Fresque du Numérique",
     "A participé à un atelier de la Fresque du Numérique.",
     "Être pointé·e présent·e à une séance de la Fresque du Numérique.", BadgeRule.WORKSHOP),
    ("nettoyeur", "Nettoyeur·se numérique",
     "A fait du tri dans ses données et ses tiroirs pendant le Digital Cleanup Day.",
     "Une déclaration de nettoyage acceptée pendant une campagne.", BadgeRule.CLEANUP),
    ("idee", "Idée retenue",
     "A proposé une idée que l'établissement a retenue.",
     "Une idée de la boîte à idées retenue par l'équipe.", BadgeRule.IDEA),
    ("organisation", "Organisation du Digital Cleanup Day",
     "A organisé le Digital Cleanup Day dans son unité.",
     "Délivré par la chargée de mission aux personnes qui ont animé la journée.",
     BadgeRule.MANUAL),
]  # fmt: skip


def _badges(institution, quiz, path):
    from sobrio.awareness import badges

    issuer = badges.issuer_of(institution)
    issuer.name = institution.name
    issuer.url = "https://www.univ-demo.fr"
    issuer.email = "numerique-responsable@demo.sobrio.fr"
    issuer.description = "Démarche numérique responsable de l'établissement."
    issuer.save()
    fresque = WorkshopKind.objects.for_institution(institution).filter(
        name="Fresque du Numérique"
    ).first()  # fmt: skip
    for slug, name, description, criteria, rule in BADGES:
        BadgeClass.objects.get_or_create(
            institution=institution, slug=slug,
            defaults={
                "name": name, "description": description, "criteria": criteria, "rule": rule,
                "tags": "numérique responsable, sobriété",
                "quiz": quiz if rule == BadgeRule.QUIZ else None,
                "min_score": 60 if rule == BadgeRule.QUIZ else None,
                "path": path if rule == BadgeRule.PATH else None,
                "workshop_kind": fresque if rule == BadgeRule.WORKSHOP else None,
                "valid_days": 730 if rule == BadgeRule.WORKSHOP else None,
                "alignment_name": "Sensibiliser au numérique responsable",
                "alignment_url": "https://ecoresponsable.numerique.gouv.fr/publications/bonnes-pratiques/",
                "alignment_framework": "Guide de bonnes pratiques numérique responsable",
            },
        )  # fmt: skip


def _badges_by_hand(institution, people):
    from sobrio.awareness import badges

    organisation = BadgeClass.objects.get(institution=institution, slug="organisation")
    officer = User.objects.filter(email="referente@demo.sobrio.fr").first()
    student = User.objects.filter(email="etudiante@demo.sobrio.fr").first()
    for user in [*people[:2], *([student] if student else [])]:
        badges.award(organisation, email=user.email, user=user, by=officer,
                     narrative="Animation de l'équipe de son unité.")  # fmt: skip
    wrong, _created = badges.award(organisation, email="erreur@demo.sobrio.fr",
                                   name="Compte de test", by=officer)  # fmt: skip
    badges.revoke(wrong, "Délivré par erreur à un compte de test.")


def _campaign(institution, people):
    today = timezone.localdate()
    campaign = CleanupCampaign.objects.create(
        institution=institution,
        name="Semaine du nettoyage numérique",
        starts_on=today - datetime.timedelta(days=2),
        ends_on=today + datetime.timedelta(days=5),
        description=(
            "Videz vos boîtes et vos espaces, apportez les appareils qui dorment dans vos "
            "tiroirs : ceux qui marchent partent au réemploi, les autres au recyclage. "
            "Chaque geste compte dans le classement de votre équipe."
        ),
        anonymous=True,
        goal_participants=300,
        goal_devices=100,
        substitution_percent=50,
    )
    cleanup.add_unit_teams(campaign)
    Team.objects.create(institution=institution, campaign=campaign, name="Association Campus vert",
                        kind=TeamKind.ASSOCIATION)  # fmt: skip
    teams = {t.name: t for t in campaign.teams.all()}
    declared = [
        (people[0], "UFR Sciences et techniques",
         {"gb_mailbox": 3.5, "gb_personal_drive": 12, "mails_deleted": 4200,
          "actions": ["newsletters", "bins"]}),
        (people[1], "Bibliothèque universitaire",
         {"gb_shared_drive": 40, "files_deleted": 900, "laptop_reuse": 2, "screen_reuse": 3,
          "cables_kg": 4.5}),
        (people[2], "Direction du système d'information (DSI)",
         {"gb_mailbox": 1.2, "gb_phone": 6, "smartphone_reuse": 1, "smartphone_recycling": 2,
          "actions": ["apps", "duplicates"]}),
        (None, "Association Campus vert", {"gb_phone": 4, "gb_cloud": 20, "tablet_reuse": 1}),
        (None, "Association Campus vert", {"mails_deleted": 1500, "actions": ["rules"]}),
        (None, None, {"gb_personal_drive": 8, "laptop_recycling": 1}),
    ]  # fmt: skip
    for user, team, values in declared:
        membership = Membership.objects.filter(institution=institution, user=user).first()
        cleanup.submit(
            campaign,
            {"team": teams.get(team), **values},
            token=cleanup.new_token(),
            user=user,
            unit=membership.affiliation if membership else None,
        )
    officer = User.objects.filter(email="referente@demo.sobrio.fr").first()
    first_anonymous = Pledge.objects.filter(campaign=campaign, user=None).order_by("pk").first()
    cleanup.moderate(Pledge.objects.filter(pk=first_anonymous.pk), True, by=officer)


def _ideas(institution, people):
    from sobrio.plan import services as plan_services
    from sobrio.plan.models import Status

    made = {}
    for key, author, title, theme, text, voters in (
        ("duplex", 0, "Imprimer en recto verso par défaut", IdeaTheme.EQUIPMENT,
         "Régler toutes les imprimantes partagées en recto verso et noir et blanc par défaut.",
         [0, 1, 2]),
        ("screens", 1, "Une bourse aux écrans entre services", IdeaTheme.EQUIPMENT,
         "Quand un service renouvelle ses écrans, proposer les anciens aux autres avant de "
         "les réformer.", [1, 2]),
        ("visio", 2, "Couper la caméra par défaut en visioconférence", IdeaTheme.USES,
         "Proposer la caméra coupée par défaut dans l'outil de visioconférence de "
         "l'établissement.", [0]),
        ("attachments", 0, "Interdire les pièces jointes de plus de 2 Mo", IdeaTheme.DATA,
         "Bloquer les pièces jointes trop lourdes pour forcer le partage par lien.", []),
    ):  # fmt: skip
        idea = ideas.propose(institution, people[author], title=title, text=text, theme=theme)
        for v in voters:
            ideas.toggle_vote(idea, people[v])
        made[key] = idea
    ideas.comment(made["screens"], people[0], "Le labo aurait besoin de deux écrans 24 pouces.")
    ideas.set_status(made["screens"], IdeaStatus.STUDIED)
    ideas.set_status(
        made["attachments"],
        IdeaStatus.DECLINED,
        reason="Bloquer empêcherait des échanges légitimes : nous préférons rappeler le "
        "partage par lien dans la messagerie et en formation.",
    )
    plan = plan_services.current_plan(institution)
    axis = plan.axes.first() if plan is not None else None
    if axis is not None:
        ideas.answer(made["duplex"], "Retenue : le parc d'impression est réglé depuis la rentrée.")
        action = ideas.to_action(made["duplex"], axis, by=None)
        officer = User.objects.filter(email="referente@demo.sobrio.fr").first()
        plan_services.set_status(action, Status.DONE, officer)  # the idea follows: done


def _quiz(institution):
    quiz = Quiz.objects.for_institution(institution).filter(name=QUIZ_NAME).first()
    if quiz is None:
        quiz, _questions, _left = quizzes.import_gift(
            institution, (DATA / "reflexes.gift").read_bytes(), "reflexes.gift", name=QUIZ_NAME
        )
        quiz.intro = (
            "Un quiz court pour faire le point sur les gestes qui comptent vraiment : "
            "dix questions, deux tentatives, réussi à 60 %."
        )
        quiz.published, quiz.attempts_allowed, quiz.pass_mark = True, 2, 60
        quiz.overall_feedback = [
            {"min": 80, "text": "Bravo : vous pourriez devenir ambassadeur·rice !"},
            {"min": 0, "text": "Relisez les explications : la fabrication est la clé."},
        ]
        quiz.save()
    return quiz
