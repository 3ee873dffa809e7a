"""The idea box of the demo: ideas that went different ways, one of them done as an
action of the plan.
Idempotent, in Sobrio's own words."""

from sobrio.core import demo as core_demo
from sobrio.core.models import User
from sobrio.ideas import services as ideas
from sobrio.ideas.models import Idea, IdeaStatus, IdeaTheme


def load(institution):
    if not Idea.objects.for_institution(institution).exists():
        _ideas(institution, core_demo.community(institution))


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
