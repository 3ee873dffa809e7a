"""The idea box in the « Participer » space: propose, vote, comment, and what
« Mes données » shows and deletes of it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sobrio.core import participation
from sobrio.core.tenancy import space_view
from sobrio.ideas import services as ideas
from sobrio.ideas.forms import IdeaCommentForm, IdeaForm
from sobrio.ideas.models import Idea, IdeaComment, IdeaStatus, IdeaTheme, IdeaVote


def _community(request):
    if not participation.is_community(request.space, request.user):
        raise PermissionDenied
    return request.space_membership


@require_http_methods(["GET", "POST"])
@space_view(signed_in=True)
def idea_box(request):
    _community(request)
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        idea = ideas.propose(request.space, request.user, **form.cleaned_data)
        messages.success(request, _("Merci : votre idée est publiée."))
        return redirect("participate_idea", slug=request.space.slug, idea_id=idea.pk)
    rows, theme, _status, order = ideas.filtered(ideas.visible(request.space), request.GET)
    page = Paginator(rows, 15).get_page(request.GET.get("page"))
    mine = set(
        IdeaVote.objects.filter(user=request.user, idea__in=page.object_list).values_list(
            "idea_id", flat=True
        )
    )
    return render(
        request,
        "ideas/space/ideas.html",
        {"page": page, "form": form, "mine": mine,
         "themes": [(v, label, None) for v, label in IdeaTheme.choices],
         "theme": theme, "order": order,
         "query": urlencode({k: v for k, v in (("theme", theme), ("tri", order)) if v})},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@space_view(signed_in=True)
def idea_page(request, idea_id):
    _community(request)
    idea = (
        Idea.objects.for_institution(request.space)
        .filter(pk=idea_id, hidden=False)
        .select_related("merged_into", "action")
        .first()
    )
    if idea is None:
        raise Http404
    form = IdeaCommentForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("step") == "vote":
                voted = ideas.toggle_vote(idea, request.user)
                messages.success(request, _("Votre vote est compté.") if voted
                                 else _("Votre vote est retiré."))  # fmt: skip
                return redirect(request.path)
            if request.POST.get("step") == "comment" and form.is_valid():
                ideas.comment(idea, request.user, form.cleaned_data["text"])
                return redirect(f"{request.path}#commentaires")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(
        request,
        "ideas/space/idea.html",
        {
            "idea": idea,
            "votes": idea.votes.count(),
            "voted": idea.votes.filter(user=request.user).exists(),
            "open": idea.status in ideas.OPEN and not idea.merged_into_id,
            "comments": idea.comments.filter(hidden=False).select_related("user"),
            "form": form,
        },
    )


def ideas_section(request, institution, membership):
    if membership is None or not participation.is_community(institution, membership.user):
        return None
    rows = ideas.visible(institution)
    return {
        "top": list(rows.filter(status__in=ideas.OPEN).order_by("-vote_count", "-created_at")[:3]),
        "done": rows.filter(status=IdeaStatus.DONE).count(),
    }


# --- « Mes données » ---------------------------------------------------------------------


def ideas_data(institution, user):
    rows = [
        {
            _("Idée"): i.title,
            _("Proposée le"): timezone.localtime(i.created_at).date().isoformat(),
            _("Statut"): str(i.get_status_display()),
        }  # fmt: skip
        for i in Idea.objects.for_institution(institution).filter(author=user)
    ]
    rows += [
        {_("Vote pour"): v.idea.title}
        for v in IdeaVote.objects.for_institution(institution)
        .filter(user=user)
        .select_related("idea")
    ]
    rows += [
        {_("Commentaire sur"): c.idea.title, _("Texte"): c.text}
        for c in IdeaComment.objects.for_institution(institution)
        .filter(user=user)
        .select_related("idea")
    ]
    return rows


def ideas_erase(institution, user):
    """Votes and comments go; the person's ideas go too, except those the plan took up,
    which stay without their author."""
    n = IdeaVote.objects.for_institution(institution).filter(user=user).delete()[0]
    n += IdeaComment.objects.for_institution(institution).filter(user=user).delete()[0]
    mine = Idea.objects.for_institution(institution).filter(author=user)
    n += mine.filter(action__isnull=False).update(author=None)
    n += mine.filter(action__isnull=True).delete()[0]
    return n
