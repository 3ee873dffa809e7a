from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.assessment import exports, selectors, services
from sobrio.assessment.forms import (
    AnswerForm,
    AnswersImportForm,
    AssignForm,
    CampaignForm,
    DeclarationForm,
    EvidenceForm,
)
from sobrio.assessment.models import Answer, Campaign, CampaignStatus, Evidence
from sobrio.core import perms
from sobrio.core.tenancy import member_required, public, scoped_get_or_404
from sobrio.core.views import _form_errors
from sobrio.referentials import scales

PAGE_SIZE = 20
# Item tables carry more cells per row: 15 rows keep them under the 300-element budget.
ITEM_PAGE_SIZE = 15


def _page(request, rows, size=PAGE_SIZE):
    return Paginator(rows, size).get_page(request.GET.get("page"))


def _can_edit(request):
    return perms.has_capability(request.membership, perms.EDIT)


@require_GET
@member_required(perms.VIEW)
def home(request):
    campaigns = selectors.campaigns_with_results(request.institution)
    return render(
        request,
        "assessment/home.html",
        {
            "page": _page(request, campaigns),
            "can_edit": _can_edit(request),
            "mine": selectors.my_answers(request.membership)
            .filter(campaign__status=CampaignStatus.OPEN)[:1]
            .exists(),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def campaign_create(request):
    form = CampaignForm(request.POST or None, institution=request.institution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                institution=request.institution,
                referential=data["referential"],
                name=data["name"],
                scope=data["scope"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                working_group=data["working_group"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("La campagne est créée avec tous les items du référentiel.")
            )
            return redirect("assess_campaign", campaign_id=campaign.pk)
    return render(request, "assessment/campaign_form.html", {"form": form})


def _campaign(request, campaign_id):
    return scoped_get_or_404(
        request, Campaign.objects.select_related("referential"), pk=campaign_id
    )


@require_GET
@member_required(perms.VIEW)
def campaign_detail(request, campaign_id):
    campaign = _campaign(request, campaign_id)
    data = services.campaign_data(campaign)
    previous = selectors.previous_campaign(campaign)
    return render(
        request,
        "assessment/campaign_detail.html",
        {
            "campaign": campaign,
            "data": data,
            "results": data["results"],
            "statuses": selectors.status_counts(data),
            "families": services.family_scores(data),
            "radar": selectors.radar_for(campaign, data, previous),
            "previous": previous,
            "can_edit": _can_edit(request) and not campaign.is_closed,
            "working_group": campaign.working_group.select_related("user"),
        },
    )


@require_GET
@member_required(perms.VIEW)
def campaign_items(request, campaign_id):
    campaign = _campaign(request, campaign_id)
    data = services.campaign_data(campaign)
    rows, filters = selectors.filter_answers(data, request.GET, request.membership)
    return render(
        request,
        "assessment/campaign_items.html",
        {
            "campaign": campaign,
            "data": data,
            "page": _page(request, rows, ITEM_PAGE_SIZE),
            "filters": filters,
            "statuses": scales.statuses(campaign.scale),
            "query": selectors.query_without_page(request.GET),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def campaign_assign(request, campaign_id):
    campaign = _campaign(request, campaign_id)
    if campaign.is_closed:
        messages.error(request, _("La campagne est clôturée : ses réponses ne changent plus."))
        return redirect("assess_campaign", campaign_id=campaign.pk)
    form = AssignForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = campaign.answers.all()
        if data["codes"]:
            answers = answers.filter(item__code__in=data["codes"])
            unknown = set(data["codes"]) - set(answers.values_list("item__code", flat=True))
            if unknown:
                form.add_error("codes", _("Codes inconnus : %s") % ", ".join(sorted(unknown)))
        elif data["family"]:
            answers = answers.filter(item__family__code=data["family"])
        if form.is_valid():
            count = services.answers_assign(
                campaign=campaign,
                answers=answers,
                assignee=data["assignee"],
                unit=data["unit"],
                due_on=data["due_on"],
            )
            messages.success(
                request,
                ngettext("%(n)d item attribué.", "%(n)d items attribués.", count) % {"n": count},
            )
            return redirect("assess_campaign_items", campaign_id=campaign.pk)
    return render(
        request,
        "assessment/campaign_assign.html",
        {
            "campaign": campaign,
            "form": form,
            "title": _("Attribuer des items"),
            "submit": _("Attribuer"),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def campaign_close(request, campaign_id):
    campaign = _campaign(request, campaign_id)
    if campaign.is_closed:
        messages.info(request, _("Cette campagne est déjà clôturée."))
        return redirect("assess_campaign", campaign_id=campaign.pk)
    if request.method == "POST":
        services.campaign_close(campaign=campaign)
        messages.success(request, _("La campagne est clôturée : ses scores sont figés."))
        return redirect("assess_campaign", campaign_id=campaign.pk)
    return render(
        request,
        "assessment/campaign_close.html",
        {
            "campaign": campaign,
            "title": _("Clôturer la campagne"),
            "submit": _("Clôturer"),
            "cancel": reverse("assess_campaign", args=[campaign.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def campaign_remind(request, campaign_id):
    campaign = _campaign(request, campaign_id)
    pending = selectors.pending_for_reminder(campaign)
    if request.method == "POST":
        sent = services.reminders_send(institution=request.institution, campaign=campaign)
        messages.success(
            request,
            ngettext("%(n)d relance envoyée.", "%(n)d relances envoyées.", sent) % {"n": sent},
        )
        return redirect("assess_campaign", campaign_id=campaign.pk)
    return render(
        request,
        "assessment/campaign_remind.html",
        {
            "campaign": campaign,
            "pending": pending,
            "title": _("Relancer les personnes chargées"),
            "submit": _("Envoyer les relances"),
            "cancel": reverse("assess_campaign", args=[campaign.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def answers_import(request, campaign_id):
    campaign = _campaign(request, campaign_id)
    form = AnswersImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            changed = services.answers_import(
                campaign=campaign,
                data=upload.read(),
                filename=upload.name,
                membership=request.membership,
            )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                ngettext("%(n)d réponse mise à jour.", "%(n)d réponses mises à jour.", changed)
                % {"n": changed},
            )
            return redirect("assess_campaign", campaign_id=campaign.pk)
    return render(
        request,
        "assessment/answers_import.html",
        {
            "campaign": campaign,
            "form": form,
            "problems": problems,
            "title": _("Importer des réponses"),
            "submit": _("Importer"),
            "multipart": True,
        },
    )


@require_GET
@member_required(perms.VIEW)
def campaign_export(request, campaign_id, fmt):
    campaign = _campaign(request, campaign_id)
    data = services.campaign_data(campaign)
    if fmt == "pdf":
        return exports.pdf_response(request, campaign, data)
    if fmt in ("xlsx", "ods"):
        return exports.table_response(campaign, data, fmt)
    raise Http404


@require_GET
@member_required(perms.VIEW)
def campaign_compare(request, campaign_id):
    campaign = _campaign(request, campaign_id)
    others = selectors.comparable_campaigns(campaign)
    try:
        other_id = int(request.GET.get("avec", ""))
    except ValueError:
        other_id = None
    other = next((c for c in others if c.pk == other_id), None) or (others[0] if others else None)
    comparison = services.compare(other, campaign) if other else None
    page = None
    if comparison:
        changed_only = request.GET.get("changes") == "1"
        items = [i for i in comparison["items"] if i.changed or not changed_only]
        page = _page(request, items, ITEM_PAGE_SIZE)
    return render(
        request,
        "assessment/campaign_compare.html",
        {
            "campaign": campaign,
            "other": other,
            "others": others,
            "comparison": comparison,
            "page": page,
            "radar": selectors.compare_radar(comparison) if comparison else None,
            "query": selectors.query_without_page(request.GET),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def campaign_declaration(request, campaign_id):
    campaign = _campaign(request, campaign_id)
    if not campaign.is_rgesn:
        return render(request, "assessment/declaration_none.html", {"campaign": campaign})
    form = DeclarationForm(
        request.POST or None, initial={"published": campaign.declaration_published}
    )
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        if form.is_valid():
            services.declaration_publish(
                campaign=campaign, published=form.cleaned_data["published"]
            )
            messages.success(request, _("La déclaration est enregistrée."))
            return redirect("assess_campaign_declaration", campaign_id=campaign.pk)
    context = selectors.declaration_context(campaign)
    context.update(
        form=form if _can_edit(request) else None,
        public_url=request.build_absolute_uri(f"/declaration/{campaign.public_token}/"),
    )
    return render(request, "assessment/declaration_manage.html", context)


@public
@require_GET
def declaration_public(request, token, fmt="html"):
    campaign = (
        Campaign.objects.filter(public_token=token, declaration_published=True)
        .select_related("referential")
        .first()
    )
    if campaign is None or not campaign.is_rgesn:
        raise Http404
    context = selectors.declaration_context(campaign, public=True)
    if fmt == "pdf":
        return exports.declaration_pdf_response(request, context)
    response = render(request, "assessment/declaration_public.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
@member_required(perms.VIEW)
def my_items(request):
    answers = (
        selectors.my_answers(request.membership)
        .filter(campaign__status=CampaignStatus.OPEN)
        .select_related("item", "campaign__referential")
        .order_by("due_on", "campaign", "item__position")
    )
    return render(request, "assessment/my_items.html", {"page": _page(request, answers)})


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def answer_edit(request, answer_id):
    """Everyone reads an answer; who may change it is decided per answer (can_answer)."""
    answer = scoped_get_or_404(
        request,
        Answer.objects.select_related(
            "item", "item__family", "campaign__referential", "assignee__user", "assigned_unit"
        ),
        pk=answer_id,
    )
    campaign = answer.campaign
    editable = not campaign.is_closed and services.can_answer(request.membership, answer)
    initial = {"status": answer.status, "comment": answer.comment}
    form = AnswerForm(request.POST or None, answer=answer, initial=initial)
    for key, label in form.indicator_keys:
        form.fields[key].initial = answer.indicator_values.get(label, "")
    evidence_form = EvidenceForm()
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if request.POST.get("action") == "evidence":
            evidence_form = EvidenceForm(request.POST, request.FILES)
            if evidence_form.is_valid():
                try:
                    services.evidence_add(
                        answer=answer,
                        membership=request.membership,
                        label=evidence_form.cleaned_data["label"],
                        url=evidence_form.cleaned_data["url"],
                        upload=evidence_form.cleaned_data["upload"],
                    )
                except ValidationError as error:
                    _form_errors(evidence_form, error)
                else:
                    messages.success(request, _("La preuve est ajoutée."))
                    return redirect("assess_answer", answer_id=answer.pk)
            form = AnswerForm(answer=answer, initial=initial)
        elif form.is_valid():
            services.answer_update(
                answer=answer,
                membership=request.membership,
                status=form.cleaned_data["status"],
                comment=form.cleaned_data["comment"],
                indicator_values=form.indicator_values(),
            )
            messages.success(request, _("La réponse est enregistrée."))
            following = selectors.next_answer(answer, request.membership)
            if following is not None and request.POST.get("next") == "1":
                return redirect("assess_answer", answer_id=following.pk)
            return redirect("assess_answer", answer_id=answer.pk)
    return render(
        request,
        "assessment/answer_edit.html",
        {
            "answer": answer,
            "campaign": campaign,
            "item": answer.item,
            "form": form,
            "evidence_form": evidence_form,
            "evidence": answer.evidence.all(),
            "editable": editable,
            "status_label": answer.status_label,
            "actions": answer.actions.all(),
            "can_plan": perms.has_capability(request.membership, perms.EDIT) and not answer.is_done,
        },
    )


@require_GET
@member_required(perms.VIEW)
def evidence_download(request, evidence_id):
    evidence = scoped_get_or_404(request, Evidence, pk=evidence_id)
    if not evidence.file:
        # A link: shown, not followed, so that nobody is sent elsewhere without seeing where.
        return render(request, "assessment/evidence_link.html", {"evidence": evidence})
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1])


@require_http_methods(["GET", "POST"])
@member_required(perms.CONTRIBUTE)
def evidence_delete(request, evidence_id):
    evidence = scoped_get_or_404(
        request, Evidence.objects.select_related("answer__campaign"), pk=evidence_id
    )
    answer = evidence.answer
    if request.method == "POST":
        try:
            services.evidence_delete(evidence=evidence, membership=request.membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("La preuve est retirée."))
        return redirect("assess_answer", answer_id=answer.pk)
    return render(
        request,
        "assessment/evidence_delete.html",
        {
            "evidence": evidence,
            "answer": answer,
            "allowed": services.can_answer(request.membership, answer)
            and not answer.campaign.is_closed,
        },
    )
