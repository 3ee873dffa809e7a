"""The team's pages of the idea box: ideas by theme, votes and status, moderation, the
step from an accepted idea to an action of the plan, the CSV."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.core import perms
from sobrio.core.tenancy import member_required, scoped_get_or_404
from sobrio.ideas import services as ideas
from sobrio.ideas.forms import IdeaActionForm, IdeaMergeForm, IdeaModerationForm
from sobrio.ideas.models import Idea, IdeaComment, IdeaStatus, IdeaTheme
from sobrio.imports.exporting import csv_stream
from sobrio.plan import services as plan_services


@require_GET
@member_required(perms.VIEW)
def idea_list(request):
    rows, theme, status, order = ideas.filtered(
        ideas.with_counts(Idea.objects.for_institution(request.institution)), request.GET
    )
    if request.GET.get("format") == "csv":
        header = [_("Titre"), _("Thème"), _("Statut"), _("Votes"), _("Commentaires"),
                  _("Proposée le"), _("Masquée"), _("Fusionnée avec"), _("Action du plan"),
                  _("Réponse"), _("Description")]  # fmt: skip
        lines = (
            [
                i.title,
                i.get_theme_display(),
                i.get_status_display(),
                i.vote_count,
                i.comment_count,
                timezone.localtime(i.created_at).date(),
                _("oui") if i.hidden else "",
                i.merged_into.title if i.merged_into else "",
                i.action.label if i.action else "",
                i.answer,
                i.text,
            ]  # fmt: skip
            for i in rows.select_related("merged_into", "action").iterator(chunk_size=500)
        )
        response = StreamingHttpResponse(
            csv_stream(header, lines), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="idees.csv"'
        return response
    by_theme = dict(
        Idea.objects.for_institution(request.institution)
        .filter(merged_into=None)
        .values_list("theme")
        .annotate(n=Count("pk"))
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ideas/idea_list.html",
        {
            "page": Paginator(rows, 20).get_page(request.GET.get("page")),
            "themes": [
                (value, label, by_theme.get(value, 0)) for value, label in IdeaTheme.choices
            ],
            "statuses": IdeaStatus.choices,
            "theme": theme,
            "status": status,
            "order": order,
            "query": query.urlencode(),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def idea_detail(request, idea_id):
    idea = scoped_get_or_404(
        request, Idea.objects.select_related("merged_into", "action", "author"), pk=idea_id
    )
    can_edit = perms.has_capability(request.membership, perms.EDIT)
    plan = plan_services.current_plan(request.institution)
    moderation = IdeaModerationForm(
        initial={
            "status": idea.status,
            "reason": idea.reason,
            "answer": idea.answer,
            "hidden": idea.hidden,
        }  # fmt: skip
    )
    merge = IdeaMergeForm(idea=idea)
    to_action = IdeaActionForm(plan=plan) if plan is not None else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        step = request.POST.get("step")
        try:
            if step == "moderate":
                moderation = IdeaModerationForm(request.POST)
                if moderation.is_valid():
                    data = moderation.cleaned_data
                    ideas.set_status(idea, data["status"], reason=data["reason"])
                    ideas.answer(idea, data["answer"])
                    idea.hidden = data["hidden"]
                    idea.save(update_fields=["hidden", "updated_at"])
                    messages.success(request, _("L'idée est mise à jour."))
                    return redirect("ideas_detail", idea_id=idea.pk)
            elif step == "merge":
                merge = IdeaMergeForm(request.POST, idea=idea)
                if merge.is_valid():
                    into = ideas.merge(idea, merge.cleaned_data["into"])
                    messages.success(
                        request, _("L'idée est fusionnée avec « %(t)s ».") % {"t": into}
                    )
                    return redirect("ideas_detail", idea_id=into.pk)
            elif step == "action" and plan is not None:
                to_action = IdeaActionForm(request.POST, plan=plan)
                if to_action.is_valid():
                    action = ideas.to_action(idea, to_action.cleaned_data["axis"], by=request.user)
                    messages.success(request, _("L'action « %(a)s » est créée.") % {"a": action})
                    return redirect("plan_action", action_id=action.pk)
            elif step == "comment":
                comment = IdeaComment.objects.filter(idea=idea, pk=request.POST.get("comment") or 0)
                comment.update(hidden=request.POST.get("hide") == "1")
                return redirect("ideas_detail", idea_id=idea.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(
        request,
        "ideas/idea_detail.html",
        {
            "idea": idea,
            "votes": idea.votes.count(),
            "comments": idea.comments.select_related("user"),
            "merged": idea.merged.all(),
            "can_edit": can_edit,
            "moderation": moderation,
            "merge": merge,
            "to_action": to_action,
        },
    )
