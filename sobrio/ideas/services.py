"""The idea box: participants propose, vote once each (and take it back) and comment; the
team moderates, answers, merges duplicates, sets a status, and turns an accepted idea into
an action of the plan in one step. The idea follows its action: done when it is."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrio.core import freshness
from sobrio.ideas.models import Idea, IdeaComment, IdeaStatus, IdeaTheme, IdeaVote

OPEN = (IdeaStatus.RECEIVED, IdeaStatus.STUDIED, IdeaStatus.ACCEPTED)


def visible(institution):
    """What participants see: not hidden, not merged into another, with their vote count."""
    return (
        Idea.objects.for_institution(institution)
        .filter(hidden=False, merged_into=None)
        .annotate(vote_count=Count("votes", distinct=True))
    )


ORDERS = {"votes": ("-vote_count", "-created_at"), "recent": ("-created_at",)}


def filtered(rows, params):
    """rows (annotated with vote_count) filtered and sorted as the lists' filters ask:
    (rows, theme, status, order) from the GET parameters theme, statut and tri."""
    theme, status = params.get("theme", ""), params.get("statut", "")
    if theme in IdeaTheme.values:
        rows = rows.filter(theme=theme)
    if status in IdeaStatus.values:
        rows = rows.filter(status=status)
    order = params.get("tri") if params.get("tri") in ORDERS else "votes"
    return rows.order_by(*ORDERS[order]), theme, status, order


def with_counts(queryset):
    return queryset.annotate(
        vote_count=Count("votes", distinct=True),
        comment_count=Count("comments", filter=Q(comments__hidden=False), distinct=True),
    )


def propose(institution, user, *, title, text, theme):
    return Idea.objects.create(
        institution=institution, author=user, title=title, text=text, theme=theme
    )


def toggle_vote(idea, user):
    """Vote, or take the vote back: True when the person now votes for the idea."""
    if idea.status not in OPEN or idea.merged_into_id:
        raise ValidationError(_("Les votes sont clos pour cette idée."))
    deleted, _detail = IdeaVote.objects.filter(idea=idea, user=user).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            IdeaVote.objects.create(institution_id=idea.institution_id, idea=idea, user=user)
    except IntegrityError:  # a double click: the vote is there
        pass
    return True


def comment(idea, user, text):
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Le commentaire est vide."))
    return IdeaComment.objects.create(
        institution_id=idea.institution_id, idea=idea, user=user, text=text[:2000]
    )


def set_status(idea, status, *, reason=""):
    if status == IdeaStatus.DECLINED and not reason.strip():
        raise ValidationError(
            _("Dites pourquoi l'idée n'est pas retenue : la réponse est publique.")
        )
    idea.status = status
    idea.reason = reason.strip() if status == IdeaStatus.DECLINED else ""
    idea.save(update_fields=["status", "reason", "updated_at"])
    if status in (IdeaStatus.ACCEPTED, IdeaStatus.DONE):
        _accepted(idea)


# Listeners of an idea accepted (or carried out) by the team.
ACCEPTED = []


def _accepted(idea):
    for listener in ACCEPTED:
        listener(idea)


def answer(idea, text):
    idea.answer = (text or "").strip()
    idea.answered_at = timezone.now() if idea.answer else None
    idea.save(update_fields=["answer", "answered_at", "updated_at"])


@transaction.atomic
def merge(idea, into):
    """A duplicate joins the idea it repeats: its votes move there (one per person), it
    stays readable with a link to the other one."""
    if into.pk == idea.pk or into.institution_id != idea.institution_id:
        raise ValidationError(_("Choisissez une autre idée de l'établissement."))
    if into.merged_into_id:
        into = into.merged_into
    voters = set(into.votes.values_list("user_id", flat=True))
    IdeaVote.objects.bulk_create(
        IdeaVote(institution_id=into.institution_id, idea=into, user_id=v.user_id)
        for v in idea.votes.exclude(user_id__in=voters)
    )
    idea.votes.all().delete()
    idea.merged_into = into
    idea.save(update_fields=["merged_into", "updated_at"])
    Idea.objects.filter(merged_into=idea).update(merged_into=into)
    return into


@transaction.atomic
def to_action(idea, axis, *, by):
    """The accepted idea becomes an action of the plan of axis, linked both ways."""
    from sobrio.plan.models import Action

    if idea.action_id:
        raise ValidationError(_("Cette idée est déjà une action du plan."))
    if axis.institution_id != idea.institution_id:
        raise ValidationError(_("Choisissez un axe du plan de l'établissement."))
    action = Action.objects.create(
        institution_id=idea.institution_id,
        plan=axis.plan,
        axis=axis,
        label=idea.title[:300],
        description="\n\n".join(
            [
                idea.text,
                _("Idée proposée dans la boîte à idées le %(on)s.")
                % {"on": timezone.localtime(idea.created_at).strftime("%d/%m/%Y")},
            ]
        ),  # fmt: skip
    )
    idea.action = action
    if idea.status != IdeaStatus.DONE:
        idea.status = IdeaStatus.ACCEPTED
    idea.save(update_fields=["action", "status", "updated_at"])
    _accepted(idea)
    return action


def _action_saved(sender, instance, **kwargs):
    from sobrio.plan.models import Status

    if instance.status == Status.DONE:
        changed = (
            Idea.objects.filter(action=instance)
            .exclude(status=IdeaStatus.DONE)
            .update(status=IdeaStatus.DONE, updated_at=timezone.now())
        )
        if changed:
            freshness.renew(instance.institution_id)


def connect():
    from sobrio.plan.models import Action

    post_save.connect(_action_saved, sender=Action, dispatch_uid="idea-follows-action")
