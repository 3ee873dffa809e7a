"""The team's pages of Open Badges: the issuer profile and its keys, badge classes and
their rules, awarding by hand or from a list, the assertions (valid, revoked, expired)
with their export and revocation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.badges import documents as ob
from sobrio.badges import keys as badge_keys
from sobrio.badges import services as badges
from sobrio.badges.forms import AwardForm, AwardListForm, BadgeClassForm, IssuerForm, RevokeForm
from sobrio.badges.models import BadgeAssertion, BadgeClass
from sobrio.core import perms
from sobrio.core.tenancy import member_required, scoped_get_or_404
from sobrio.imports.exporting import csv_stream
from sobrio.imports.problems import ImportFailure, errors


def _can_edit(request):
    return perms.has_capability(request.membership, perms.EDIT)


@require_GET
@member_required(perms.VIEW)
def badge_list(request):
    now = timezone.now()
    live = Q(assertions__expires_at=None) | Q(assertions__expires_at__gt=now)
    rows = BadgeClass.objects.for_institution(request.institution).annotate(
        n_valid=Count("assertions", filter=live & Q(assertions__revoked_at=None)),
        n_revoked=Count("assertions", filter=Q(assertions__revoked_at__isnull=False)),
    )
    return render(
        request,
        "badges/badge_list.html",
        {
            "badges": rows,
            "issuer": badges.issuer_of(request.institution, create=False),
            "can_edit": _can_edit(request),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def issuer_edit(request):
    issuer = badges.issuer_of(request.institution)
    form = IssuerForm(request.POST or None, request.FILES or None, instance=issuer)
    if request.method == "POST":
        if request.POST.get("rotate"):
            key = badge_keys.rotate(issuer)
            messages.success(
                request,
                _("Nouvelle clé de signature %(k)s : les badges déjà signés restent vérifiables.")
                % {"k": str(key.kid)[:8]},
            )
            return redirect("badges_issuer")
        if form.is_valid():
            form.save()
            messages.success(request, _("Le profil d'émetteur est enregistré."))
            return redirect("badges_list")
    base = ob.base_url(request)
    return render(
        request,
        "badges/badge_issuer.html",
        {
            "form": form,
            "issuer": issuer,
            "keys": [(k, ob.kid_url(k, base)) for k in issuer.keys.all()],
            "issuer_url": ob.url("ob_issuer", issuer.uid, base=base),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def badge_edit(request, badgeclass_id=None):
    badge = None
    if badgeclass_id is not None:
        badge = scoped_get_or_404(request, BadgeClass, pk=badgeclass_id)
    form = BadgeClassForm(
        request.POST or None, request.FILES or None, instance=badge,
        institution=request.institution,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        badge = form.save()
        messages.success(request, _("Le badge est enregistré."))
        return redirect("badges_class", badgeclass_id=badge.pk)
    return render(request, "badges/badge_form.html", {"form": form, "badge": badge})


def rule_text(badge):
    rule = badge.get_rule_display()
    target = {
        "quiz": badge.quiz,
        "module": badge.module,
        "path": badge.path,
        "workshop": badge.workshop_kind or _("tout atelier"),
        "cleanup": badge.campaign or _("toute campagne"),
    }.get(badge.rule)
    text = f"{rule} : {target}" if target else rule
    if badge.rule == "quiz":
        mark = badge.quiz.pass_mark if badge.min_score is None else badge.min_score
        text += " " + _("(note d'au moins %(m)s %%)") % {"m": mark}
    return text


def _detail(request, badge, award_form=None, list_form=None, problems=()):
    counts = {
        state: badges.filter_state(badge.assertions.all(), state).count() for state in badges.STATES
    }
    return render(
        request,
        "badges/badge_detail.html",
        {
            "badge": badge,
            "rule": rule_text(badge),
            "counts": counts,
            "recent": badge.assertions.all()[:10],
            "can_edit": _can_edit(request),
            "award_form": award_form or AwardForm(),
            "list_form": list_form or AwardListForm(),
            "problems": problems,
            "json_url": ob.url("ob_badge", badge.uid, base=ob.base_url(request)),
        },
    )


@require_GET
@member_required(perms.VIEW)
def badge_detail(request, badgeclass_id):
    return _detail(request, scoped_get_or_404(request, BadgeClass, pk=badgeclass_id))


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def badge_award(request, badgeclass_id):
    badge = scoped_get_or_404(request, BadgeClass, pk=badgeclass_id)
    if request.method == "GET":  # the forms live on the badge's page
        return _detail(request, badge)
    form = AwardForm(request.POST)
    if not form.is_valid():
        return _detail(request, badge, award_form=form)
    try:
        assertion, created = badges.award(badge, by=request.user, **form.cleaned_data)
    except badges.AwardRefused as refused:
        messages.error(request, str(refused))
        return redirect("badges_class", badgeclass_id=badge.pk)
    if created:
        messages.success(request, _("Badge délivré à %(e)s ; un courriel lui est envoyé.")
                         % {"e": assertion.email})  # fmt: skip
    else:
        on = assertion.issued_at.strftime("%d/%m/%Y")
        messages.info(
            request,
            _("%(e)s a déjà ce badge (délivré le %(d)s).") % {"e": assertion.email, "d": on},
        )
    return redirect("badges_assertion", badgeassertion_id=assertion.pk)


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def badge_award_list(request, badgeclass_id):
    badge = scoped_get_or_404(request, BadgeClass, pk=badgeclass_id)
    if request.method == "GET":
        return _detail(request, badge)
    form = AwardListForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, badge, list_form=form)
    upload = form.cleaned_data["file"]
    try:
        rows, problems = badges.read_list(upload.read(), upload.name)
        if errors(problems) and not form.cleaned_data["valid_only"]:
            raise ImportFailure(errors(problems))
        result = badges.award_list(
            badge, rows, by=request.user, narrative=form.cleaned_data["narrative"],
            evidence_url=form.cleaned_data["evidence_url"],
        )  # fmt: skip
    except ImportFailure as failure:
        return _detail(request, badge, list_form=form, problems=failure.problems)
    except badges.AwardRefused as refused:
        messages.error(request, str(refused))
        return redirect("badges_class", badgeclass_id=badge.pk)
    messages.success(
        request,
        ngettext("%(n)s badge délivré", "%(n)s badges délivrés", result.awarded)
        % {"n": result.awarded}
        + " ; "
        + ngettext(
            "%(n)s personne l'avait déjà.", "%(n)s personnes l'avaient déjà.", result.already
        )
        % {"n": result.already},
    )
    for problem in problems:
        messages.warning(request, _("Laissée de côté : %(p)s") % {"p": problem})
    return redirect("badges_class", badgeclass_id=badge.pk)


def _assertions(request):
    rows = BadgeAssertion.objects.for_institution(request.institution).select_related("badge")
    wanted = request.GET.get("etat", "")
    rows = badges.filter_state(rows, wanted)
    badge = request.GET.get("badge", "")
    if badge.isdigit():
        rows = rows.filter(badge_id=int(badge))
    return rows, wanted, badge


@require_GET
@member_required(perms.VIEW)
def assertion_list(request):
    rows, wanted, badge = _assertions(request)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "badges/assertion_list.html",
        {
            "page": page,
            "states": badges.STATES,
            "wanted": wanted,
            "badge": badge,
            "badges": BadgeClass.objects.for_institution(request.institution),
            "query": request.GET.urlencode(),
            "now": timezone.now(),
        },
    )


@require_GET
@member_required(perms.VIEW)
def assertion_export(request):
    rows, _wanted, _badge = _assertions(request)
    base = ob.base_url(request)
    header = [_("Badge"), _("Titulaire"), _("Adresse"), _("Délivré le"), _("Expire le"),
              _("État"), _("Retiré le"), _("Motif du retrait"), _("Délivré par"),
              _("Assertion (Open Badges 2.0)")]  # fmt: skip

    def lines():
        for a in rows.iterator(chunk_size=500):
            yield [
                a.badge.name, a.holder_name, a.email, a.issued_at.strftime("%Y-%m-%d"),
                a.expires_at.strftime("%Y-%m-%d") if a.expires_at else "",
                str(badges.STATES[badges.state(a)]),
                a.revoked_at.strftime("%Y-%m-%d") if a.revoked_at else "",
                a.revocation_reason, a.get_source_display(),
                ob.url("ob_assertion", a.uid, base=base),
            ]  # fmt: skip

    response = StreamingHttpResponse(csv_stream(header, lines()), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="badges-delivres.csv"'
    return response


@require_http_methods(["GET", "POST"])
@member_required(perms.VIEW)
def assertion_detail(request, badgeassertion_id):
    assertion = scoped_get_or_404(
        request, BadgeAssertion.objects.select_related("badge"), pk=badgeassertion_id
    )
    form = RevokeForm(request.POST or None)
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        if form.is_valid() and not assertion.revoked_at:
            try:
                badges.revoke(assertion, form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error("reason", error)
            else:
                messages.success(
                    request, _("Le badge est retiré : sa vérification échoue désormais.")
                )
                return redirect("badges_assertion", badgeassertion_id=assertion.pk)
    return render(
        request,
        "badges/assertion_detail.html",
        {
            "assertion": assertion,
            "state": badges.state(assertion),
            "form": form,
            "can_edit": _can_edit(request),
            "verify_url": reverse("badge_verify", args=[assertion.uid]),
        },
    )
