"""Workshops in the « Participer » space: a session's page (register, withdraw, confirm an
offered place, answer the survey), the iCalendar feed, the space's section."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.core import participation
from sobrio.core.tenancy import space_view
from sobrio.learning import workshops
from sobrio.learning.forms import RegistrationForm, SurveyForm
from sobrio.learning.models import Audience, Registration, RegistrationState, Session
from sobrio.learning.views.workshops import session_link


def _session(request, session_id):
    session = (
        Session.objects.for_institution(request.space)
        .select_related("kind")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    return session


def _signin(request, session):
    target = reverse("participate_signin", kwargs={"slug": request.space.slug})
    params = {"next": request.path}
    if session.audience == Audience.PUBLIC:
        params["seance"] = session.pk
    return redirect(f"{target}?{urlencode(params)}")


@require_http_methods(["GET", "POST"])
@space_view(signed_in=False)
def session_page(request, session_id):
    session = _session(request, session_id)
    link = lambda r: session_link(request, r)  # noqa: E731
    workshops.expire_offers(session, link_for=link)
    mine = None
    if request.space_membership is not None:
        mine = Registration.objects.filter(session=session, user=request.user).first()
    if request.method == "POST":
        if request.space_membership is None:
            return _signin(request, session)
        action = request.POST.get("action")
        try:
            if action == "register":
                form = RegistrationForm(request.POST, session=session)
                form.is_valid()
                mine = workshops.register(
                    session,
                    request.user,
                    form.answers(),
                    may_take_part=lambda i, _email: participation.is_community(i, request.user),
                    link_for=link,
                )
                messages.success(request, str(mine.get_state_display()))
            elif action == "withdraw" and mine is not None:
                workshops.withdraw(mine, link_for=link)
                messages.success(request, _("Vous êtes désinscrit·e : merci de libérer la place."))
            elif action == "confirm" and mine is not None:
                workshops.confirm_offer(mine, link_for=link)
                messages.success(request, _("Votre place est confirmée."))
            elif action == "survey" and mine is not None:
                form = SurveyForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Choisissez une note de 1 à 5."))
                workshops.answer_survey(
                    mine, form.cleaned_data["rating"], form.cleaned_data["comment"]
                )
                messages.success(request, _("Merci pour votre avis."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(request.path)
    now = timezone.now()
    ended = workshops.ends_at(session) < now
    registered = mine is not None and mine.state in workshops.ACTIVE
    return render(
        request,
        "learning/space/session.html",
        {
            "session": session,
            "mine": mine,
            "registered": registered,
            "open": workshops.is_open_for_registration(session, now),
            "free": workshops.free_places(session),
            "ended": ended,
            "show_link": mine is not None and mine.state == RegistrationState.CONFIRMED,
            "form": RegistrationForm(session=session),
            "survey_form": SurveyForm()
            if mine and mine.checked_in_at and not mine.surveyed and ended
            else None,
        },
    )


@require_GET
@space_view(signed_in=False)
def sessions_ics(request):
    """Every session to come, for a calendar application (no online link in it)."""
    sessions = (
        Session.objects.for_institution(request.space)
        .filter(starts_at__gte=timezone.now(), cancelled_at=None)
        .select_related("kind")
    )
    response = HttpResponse(workshops.calendar(sessions), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="ateliers.ics"'
    return response


def sessions_section(request, institution, membership):
    upcoming = list(
        Session.objects.for_institution(institution)
        .filter(starts_at__gte=timezone.now(), cancelled_at=None)
        .select_related("kind")[:10]
    )
    mine = {}
    if membership is not None:
        mine = {
            r.session_id: r
            for r in Registration.objects.filter(
                user=membership.user, session__institution=institution
            ).select_related("session")
        }
    if not upcoming and not mine:
        return None
    return {
        "sessions": [(s, mine.get(s.pk)) for s in upcoming],
        "past": [r for r in mine.values() if r.session.starts_at < timezone.now()][:10],
    }


def registrations_data(institution, user):
    return [
        {
            _("Séance"): str(r.session),
            _("Date"): timezone.localtime(r.session.starts_at).strftime("%d/%m/%Y %H:%M"),
            _("État"): str(r.get_state_display()),
            _("Présence"): _("oui") if r.checked_in_at else _("non"),
            _("Réponses"): " / ".join(r.answers),
        }
        for r in Registration.objects.for_institution(institution)
        .filter(user=user)
        .select_related("session__kind")
    ]


def registrations_erase(institution, user):
    mine = Registration.objects.for_institution(institution).filter(user=user)
    for registration in mine.filter(state__in=workshops.ACTIVE):
        workshops.withdraw(registration)  # the place goes to the next in line first
    deleted, _detail = mine.delete()
    return deleted


def public_session_asked(institution, params):
    """The sign-in is for a session open to the public and still open: any address."""
    session_id = str(params.get("seance", ""))
    if not session_id.isdigit():
        return False
    session = Session.objects.for_institution(institution).filter(pk=int(session_id)).first()
    return (
        session is not None
        and session.audience == Audience.PUBLIC
        and workshops.is_open_for_registration(session)
    )
