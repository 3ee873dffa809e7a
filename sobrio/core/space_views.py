"""The « Participer » space of an institution: its home, the sign-in by one-time link,
and « Mes données » (core/participation.py holds the rules)."""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sobrio.core import limits, participation
from sobrio.core.clients import client_address
from sobrio.core.forms import Form
from sobrio.core.models import Unit
from sobrio.core.navigation import safe_next
from sobrio.core.tenancy import SESSION_KEY, space_view


class SignInForm(Form):
    email = forms.EmailField(
        label=gettext_lazy("Votre adresse électronique"),
        help_text=gettext_lazy("Celle de l'établissement, ou celle où vous avez été invité·e."),
    )


def _home(request):
    return reverse("participate_home", kwargs={"slug": request.space.slug})


@require_GET
@space_view(signed_in=False)
def home(request):
    """What is open now, and (signed in) my registrations, results and certificates."""
    return render(
        request,
        "core/space/home.html",
        {"sections": participation.sections(request, request.space, request.space_membership)},
    )


@require_http_methods(["GET", "POST"])
@space_view(signed_in=False)
def signin(request):
    form = SignInForm(request.POST or None)
    sent, limited = False, None
    if request.method == "POST" and form.is_valid():
        next_url = safe_next(request, _home(request))
        path = reverse(
            "participate_link", kwargs={"slug": request.space.slug, "token": participation.TOKEN}
        )
        try:
            participation.request_link(
                request.space,
                form.cleaned_data["email"],
                address=client_address(request),
                link_template=request.build_absolute_uri(f"{path}?{urlencode({'next': next_url})}"),
                open_to_all=participation.asks_open_to_all(request.space, request.POST.dict()),
            )
            sent = True
        except limits.Limited as refused:
            limited = refused
            form.add_error(None, refused.message)
    context = {
        "form": form,
        "sent": sent,
        "next": safe_next(request, ""),
        "public": participation.asks_open_to_all(
            request.space, {**request.GET.dict(), **request.POST.dict()}
        ),
        "session_param": (request.GET.get("seance") or request.POST.get("seance") or "")[:12],
    }
    if limited is not None:
        return limits.limited_response(request, limited, "core/space/signin.html", context)
    return render(request, "core/space/signin.html", context)


@require_http_methods(["GET", "POST"])
@space_view(signed_in=False)
def link(request, token):
    """GET asks for a click (mail scanners open links: they must not spend them); POST
    signs in."""
    if request.method == "GET":
        return render(request, "core/space/link.html", {"next": safe_next(request, "")})
    try:
        user, membership = participation.consume(request.space, token)
    except participation.SignInRefused as refused:
        return render(request, "core/space/link.html", {"error": str(refused)}, status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_KEY] = membership.institution_id
    messages.success(request, _("Vous êtes connecté·e."))
    return redirect(safe_next(request, _home(request)))


class AffiliationForm(Form):
    full_name = forms.CharField(
        label=gettext_lazy("Le nom que Sobrio montre"),
        max_length=150,
        required=False,
        help_text=gettext_lazy(
            "Sur vos attestations, vos badges et les listes de résultats ; jamais votre "
            "adresse. Vide : le nom que donne votre établissement, ou vos initiales."
        ),
    )
    affiliation = forms.ModelChoiceField(
        label=gettext_lazy("Mon unité de rattachement"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("— aucune —"),
        help_text=gettext_lazy("Pour suivre la sensibilisation par unité ; facultatif."),
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affiliation"].queryset = Unit.objects.for_institution(institution)


@require_http_methods(["GET", "POST"])
@space_view(signed_in=True)
def my_data(request):
    membership = request.space_membership
    form = AffiliationForm(
        request.POST or None,
        institution=request.space,
        initial={"affiliation": membership.affiliation_id, "full_name": request.user.full_name},
    )
    if request.method == "POST" and form.is_valid():
        membership.affiliation = form.cleaned_data["affiliation"]
        membership.save(update_fields=["affiliation", "updated_at"])
        participation.rename(request.user, form.cleaned_data["full_name"])
        messages.success(request, _("Vos choix sont enregistrés."))
        return redirect("participate_data", slug=request.space.slug)
    data = participation.personal_data(request.space, request.user)
    if request.GET.get("format") == "json":
        payload = {str(label): rows for label, rows in data}
        response = HttpResponse(
            json.dumps(payload, ensure_ascii=False, indent=2, default=str),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="mes-donnees-sobrio.json"'
        return response
    return render(
        request,
        "core/space/my_data.html",
        {
            "data": data,
            "is_participant": request.space_membership.role == "participant",
            "form": form,
            "retention_days": settings.PARTICIPANT_RETENTION_DAYS,
            "trace_days": settings.TRACE_ADDRESS_DAYS,
        },
    )


@require_POST
@space_view(signed_in=True)
def my_data_erase(request):
    if request.POST.get("confirm") != "oui":
        messages.error(request, _("Cochez la case pour confirmer la suppression."))
        return redirect("participate_data", slug=request.space.slug)
    institution, user = request.space, request.user
    participation.erase(institution, user)
    if not get_user_model().objects.filter(pk=user.pk).exists():
        logout(request)  # the account went with the data
    messages.success(request, _("Vos données ont été supprimées."))
    return redirect("participate_home", slug=institution.slug)
