from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from sobrio.core import dashboard as cockpit
from sobrio.core import freshness, perms, selectors, services
from sobrio.core.forms import (
    AuditFilterForm,
    InstitutionForm,
    MemberForm,
    UnitForm,
    WelcomeForm,
)
from sobrio.core.models import Membership, Unit
from sobrio.core.navigation import safe_next
from sobrio.core.tenancy import member_required, scoped_get_or_404, switch_institution

PAGE_SIZE = 25


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _form_errors(form, error):
    """Attach a service's ValidationError to the form it came from."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_GET
@member_required(perms.VIEW)
def dashboard(request):
    """The programme at a glance: each app's card (core/dashboard.py), and the first steps
    until the institution has taken them. The cards take some forty queries: they are
    kept as HTML until the institution's data changes (core/freshness.py)."""

    def build():
        steps = cockpit.first_steps(request)
        cards = cockpit.cards(request)
        context = {
            "figures": selectors.dashboard_figures(request.institution),
            "steps": steps,
            "steps_left": sum(1 for s in steps if not s["done"]),
            "cards": cards,
        }
        html = render_to_string("core/cockpit.html", context, request=request)
        return html, not any(stale for _html, stale in cards)

    html = freshness.fragment(request, "cockpit", build)
    return render(request, "core/dashboard.html", {"cockpit": mark_safe(html)})  # noqa: S308


@require_http_methods(["GET", "POST"])
def institution_switch(request):
    if not request.user.is_authenticated:
        return redirect("login")
    if request.method == "GET":  # the switcher is a form in the header: here, its page
        return render(request, "core/institution_switch.html")
    try:
        institution_id = int(request.POST.get("institution", ""))
    except ValueError:
        institution_id = None
    membership = switch_institution(request, institution_id)
    messages.success(
        request, _("Vous travaillez maintenant pour %(name)s.") % {"name": membership.institution}
    )
    return redirect(safe_next(request, "dashboard"))


institution_switch.sobrio_capability = perms.AUTHENTICATED


@require_http_methods(["GET", "POST"])
@member_required(perms.MANAGE_SETTINGS)
def institution_edit(request):
    form = InstitutionForm(request.POST or None, instance=request.institution)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Les informations de l'établissement sont enregistrées."))
        return redirect("institution_edit")
    return render(request, "core/institution_form.html", {"form": form})


@require_GET
@member_required(perms.VIEW)
def unit_list(request):
    units = selectors.units_tree(request.institution)
    can_manage = perms.has_capability(request.membership, perms.EDIT)
    return render(
        request, "core/unit_list.html", {"page": _page(request, units), "can_manage": can_manage}
    )


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)  # units are data of the programme: officers keep them
def unit_create(request):
    return _unit_form(request, Unit(institution=request.institution))


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)  # units are data of the programme: officers keep them
def unit_update(request, unit_id):
    return _unit_form(request, scoped_get_or_404(request, Unit, pk=unit_id))


def _unit_form(request, unit):
    form = UnitForm(request.POST or None, instance=unit, institution=request.institution)
    if request.method == "POST" and form.is_valid():
        services.unit_save(unit=form.save(commit=False))
        messages.success(request, _("L'unité « %(name)s » est enregistrée.") % {"name": unit})
        return redirect("unit_list")
    return render(request, "core/unit_form.html", {"form": form, "unit": unit})


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)  # units are data of the programme: officers keep them
def unit_delete(request, unit_id):
    unit = scoped_get_or_404(request, Unit, pk=unit_id)
    if request.method == "POST":
        try:
            services.unit_delete(unit=unit)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("L'unité « %(name)s » est supprimée.") % {"name": unit})
        return redirect("unit_list")
    return render(request, "core/confirm_delete.html", {"object": unit, "cancel": "unit_list"})


@require_GET
@member_required(perms.MANAGE_MEMBERS)
def member_list(request):
    members = (
        Membership.objects.for_institution(request.institution)
        .staff()
        .select_related("user")
        .prefetch_related("units")
    )
    return render(request, "core/member_list.html", {"page": _page(request, members)})


@require_http_methods(["GET", "POST"])
@member_required(perms.MANAGE_MEMBERS)
def member_add(request):
    form = MemberForm(request.POST or None, institution=request.institution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership, created = services.member_add(
                institution=request.institution,
                email=data["email"],
                role=data["role"],
                units=data["units"],
                full_name=data["full_name"],
            )
        except services.Invite as invite:
            invitation = services.invitation_create(
                institution=request.institution,
                email=invite.email,
                role=data["role"],
                invited_by=request.user,
            )
            _send_invitation(request, invitation)
            messages.success(
                request,
                _(
                    "Invitation envoyée à %(email)s : la personne rejoindra l'établissement en "
                    "l'acceptant."
                )
                % {"email": invite.email},
            )
            return redirect("member_list")
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if created:
                _send_welcome(request, membership)
            messages.success(
                request,
                _("%(user)s est membre de l'établissement.") % {"user": membership.user},
            )
            return redirect("member_list")
    return render(request, "core/member_form.html", {"form": form})


def _send_welcome(request, membership):
    """A new account has no password: send the standard link to choose one, saying who
    invites the person, to which institution and with which role."""
    reset = WelcomeForm({"email": membership.user.email})
    reset.is_valid()
    reset.save(
        request=request,
        use_https=request.is_secure(),
        subject_template_name="registration/welcome_subject.txt",
        email_template_name="registration/welcome_email.txt",
        extra_email_context={
            "institution": membership.institution.name,
            "role": membership.get_role_display(),
            "inviter": request.user.get_full_name(),
        },
    )


def _send_invitation(request, invitation):
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    context = {
        "institution": invitation.institution.name,
        "role": invitation.get_role_display(),
        "inviter": request.user.get_full_name(),
        "url": request.build_absolute_uri(reverse("invitation_accept", args=[invitation.pk])),
    }
    send_mail(
        render_to_string("registration/invitation_subject.txt", context).strip(),
        render_to_string("registration/invitation_email.txt", context),
        None,
        [invitation.email],
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request, invitation_id):
    """The invited person, signed in with the invited address, accepts or not."""
    from sobrio.core.models import Invitation

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    invitation = (
        Invitation.objects.filter(
            pk=invitation_id, email__iexact=request.user.email, accepted_at=None
        )
        .select_related("institution")
        .first()
    )
    if invitation is None:
        raise Http404
    if request.method == "POST":
        membership = services.invitation_accept(invitation=invitation, user=request.user)
        switch_institution_to(request, membership)
        messages.success(
            request, _("Vous avez rejoint %(name)s.") % {"name": membership.institution}
        )
        return redirect("dashboard")
    return render(request, "core/invitation.html", {"invitation": invitation})


invitation_accept.sobrio_capability = perms.AUTHENTICATED


def switch_institution_to(request, membership):
    from sobrio.core.tenancy import SESSION_KEY

    request.session[SESSION_KEY] = membership.institution_id


@require_http_methods(["GET", "POST"])
@member_required(perms.MANAGE_MEMBERS)
def member_update(request, membership_id):
    membership = scoped_get_or_404(request, Membership, pk=membership_id)
    initial = {"role": membership.role, "units": membership.units.all()}
    form = MemberForm(
        request.POST or None, institution=request.institution, editing=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(
                membership=membership,
                role=form.cleaned_data["role"],
                units=form.cleaned_data["units"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("Le rôle de %(user)s est enregistré.") % {"user": membership.user}
            )
            return redirect("member_list")
    return render(request, "core/member_form.html", {"form": form, "membership": membership})


@require_http_methods(["GET", "POST"])
@member_required(perms.MANAGE_MEMBERS)
def member_remove(request, membership_id):
    membership = scoped_get_or_404(request, Membership, pk=membership_id)
    if request.method == "POST":
        try:
            services.member_remove(membership=membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(user)s ne fait plus partie de l'établissement.") % {"user": membership.user},
            )
        return redirect("member_list")
    return render(
        request, "core/confirm_delete.html", {"object": membership, "cancel": "member_list"}
    )


@require_GET
@member_required(perms.MANAGE_SETTINGS)
def audit_log(request):
    form = AuditFilterForm(request.GET or None, institution=request.institution)
    filters = form.cleaned_data if form.is_valid() else {}
    # 20 rows: the "what" filter lists every kind of row the institution changed, and grows
    # with the apps (the page budget).
    page = Paginator(selectors.audit_entries(request.institution, filters), 20).get_page(
        request.GET.get("page")
    )
    selectors.humanise(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "core/audit_log.html", {"page": page, "form": form, "query": query.urlencode()}
    )


LOOP = {
    "act": (
        gettext_lazy("Agir"),
        gettext_lazy("Le réemploi des équipements et la sensibilisation des personnes."),
    ),
}


def _loop_view(step):
    @require_GET
    @member_required(perms.VIEW)
    def view(request):
        title, lead = LOOP[step]
        return render(
            request,
            "core/loop_step.html",
            {
                "title": title,
                "lead": lead,
                "step": step,
                "parts": cockpit.parts(request, step),
            },
        )

    view.__name__ = f"{step}_home"
    return view


act_home = _loop_view("act")
