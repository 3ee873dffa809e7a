"""The team's pages for workshops and webinars: kinds, sessions, registrations, check-in."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.core import perms
from sobrio.core.tenancy import member_required, scoped_get_or_404
from sobrio.imports.exporting import csv_text
from sobrio.learning import workshops
from sobrio.learning.forms import SessionForm, WorkshopKindForm
from sobrio.learning.models import Registration, RegistrationState, Session, WorkshopKind


def _can_edit(request):
    return perms.has_capability(request.membership, perms.EDIT)


def session_link(request, registration):
    """The session's page in the « Participer » space, for emails."""
    from django.urls import reverse

    path = reverse(
        "participate_session",
        kwargs={"slug": registration.institution.slug, "session_id": registration.session_id},
    )
    return request.build_absolute_uri(path)


@require_GET
@member_required(perms.VIEW)
def session_list(request):
    now = timezone.now()
    sessions = (
        Session.objects.for_institution(request.institution)
        .select_related("kind")
        .annotate(
            registered=Count("registrations", filter=Q(registrations__state="confirmed")),
            waiting=Count("registrations", filter=Q(registrations__state="waiting")),
            present=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
        )
    )
    past = request.GET.get("passees") == "1"
    sessions = (
        sessions.filter(starts_at__lt=now).order_by("-starts_at", "pk")
        if past
        else sessions.filter(starts_at__gte=now - datetime.timedelta(hours=12)).order_by(
            "starts_at", "pk"
        )
    )
    page = Paginator(sessions, 15).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/session_list.html",
        {
            "page": page,
            "past": past,
            "query": "passees=1" if past else "",
            "can_edit": _can_edit(request),
            "can_check_in": perms.has_capability(request.membership, perms.CONTRIBUTE),
            "kinds": WorkshopKind.objects.for_institution(request.institution).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def kind_list(request):
    form = WorkshopKindForm(
        request.POST or None, instance=WorkshopKind(institution=request.institution)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Le type d'atelier est ajouté."))
        return redirect("learning_kinds")
    kinds = WorkshopKind.objects.for_institution(request.institution).annotate(n=Count("sessions"))
    return render(request, "learning/kind_list.html", {"kinds": kinds, "form": form})


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def kind_edit(request, workshopkind_id):
    kind = scoped_get_or_404(request, WorkshopKind, pk=workshopkind_id)
    form = WorkshopKindForm(request.POST or None, instance=kind)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Le type d'atelier est enregistré."))
        return redirect("learning_kinds")
    return render(request, "learning/kind_form.html", {"form": form, "kind": kind})


def _session_form(request, session):
    form = SessionForm(request.POST or None, instance=session, institution=request.institution)
    editing = session.pk is not None
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        told = 0
        if editing:  # an edit: the confirmed get the updated invitation if it moved
            told = workshops.session_changed(
                saved, form.changed_data, link_for=lambda r: session_link(request, r)
            )
        messages.success(request, _("La séance est enregistrée."))
        if told:
            messages.info(
                request,
                ngettext(
                    "%(n)s personne inscrite reçoit l'invitation mise à jour.",
                    "%(n)s personnes inscrites reçoivent l'invitation mise à jour.",
                    told,
                )
                % {"n": told},
            )
        return redirect("learning_session", session_id=saved.pk)
    return render(request, "learning/session_form.html", {"form": form, "session": session})


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def session_create(request):
    session = Session(institution=request.institution)
    kind_id = request.GET.get("type", "")
    kind = (
        WorkshopKind.objects.for_institution(request.institution).filter(pk=kind_id).first()
        if kind_id.isdigit()
        else None
    )
    if kind is not None:  # the kind's habits as defaults
        session.kind, session.duration_minutes = kind, kind.duration_minutes
    return _session_form(request, session)


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def session_edit(request, session_id):
    return _session_form(request, scoped_get_or_404(request, Session, pk=session_id))


@require_GET
@member_required(perms.VIEW)
def session_detail(request, session_id):
    session = scoped_get_or_404(request, Session.objects.select_related("kind"), pk=session_id)
    workshops.expire_offers(session, link_for=lambda r: session_link(request, r))
    registrations = session.registrations.select_related("user").order_by("queued_at", "pk")
    if request.GET.get("format") == "csv":
        header = [_("personne"), _("adresse"), _("état"), _("présence"), *session.questions]
        rows = [
            [
                r.user.full_name,
                r.user.email,
                str(r.get_state_display()),
                _("oui") if r.checked_in_at else _("non"),
                *(r.answers + [""] * len(session.questions))[: len(session.questions)],
            ]
            for r in registrations
        ]
        response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="inscriptions-{session.pk}.csv"'
        return response
    groups = {}
    for r in registrations:
        groups.setdefault(r.state, []).append(r)
    confirmed = len(groups.get(RegistrationState.CONFIRMED, []))
    present = sum(1 for r in registrations if r.checked_in_at)
    survey = session.survey.aggregate(mean=Avg("rating"), n=Count("pk"))
    return render(
        request,
        "learning/session_detail.html",
        {
            "session": session,
            "groups": [
                (RegistrationState(state).label, state, groups[state])
                for state in RegistrationState.values
                if state in groups
            ],
            "free": workshops.free_places(session),
            "confirmed": confirmed,
            "present": present,
            "attendance": present / confirmed if confirmed and session.starts_at < timezone.now()
            else None,
            "survey": survey,
            "comments": session.survey.exclude(comment="").order_by("-created_at")[:20],
            "can_edit": _can_edit(request),
            "can_check_in": perms.has_capability(request.membership, perms.CONTRIBUTE),
            "ended": workshops.ends_at(session) < timezone.now(),
        },
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def registration_decide(request, registration_id):
    """Approve or reject a registration awaiting approval (GET: the question)."""
    registration = scoped_get_or_404(
        request, Registration.objects.select_related("session", "user"), pk=registration_id
    )
    if request.method == "POST":
        link = lambda r: session_link(request, r)  # noqa: E731
        if request.POST.get("decision") == "approve":
            workshops.approve(registration, link_for=link)
            messages.success(request, _("L'inscription est validée."))
        elif request.POST.get("decision") == "reject":
            workshops.reject(registration)
            messages.success(request, _("L'inscription est refusée."))
        return redirect("learning_session", session_id=registration.session_id)
    return render(request, "learning/registration_decide.html", {"registration": registration})


@require_http_methods(["GET", "POST"])
@member_required(perms.CONTRIBUTE)
def session_checkin(request, session_id):
    """The list to tick on the day, from a phone: one button per person, no JavaScript."""
    session = scoped_get_or_404(request, Session.objects.select_related("kind"), pk=session_id)
    if request.method == "POST":
        registration = (
            session.registrations.filter(pk=request.POST.get("registration", "0") or 0)
            .select_related("user")
            .first()
        )
        if registration is not None:
            try:
                workshops.check_in(registration, present=request.POST.get("present") == "1")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        return redirect(f"{request.path}#r{registration.pk if registration else ''}")
    people = session.registrations.filter(state=RegistrationState.CONFIRMED).select_related("user")
    return render(
        request,
        "learning/session_checkin.html",
        {"session": session, "people": people, "present": people.exclude(checked_in_at=None)},
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def session_cancel(request, session_id):
    session = scoped_get_or_404(request, Session, pk=session_id)
    if request.method == "POST" and session.cancelled_at is None:
        workshops.cancel(session)
        messages.success(
            request, _("La séance est annulée ; les personnes inscrites sont prévenues.")
        )
        return redirect("learning_session", session_id=session.pk)
    return render(request, "learning/session_cancel.html", {"session": session})
