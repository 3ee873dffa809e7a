"""The team's page of the institution's participants: who takes part, and invitations for
the people whose address is outside the domains opened to participants."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.core.validators import validate_email
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sobrio.core import perms
from sobrio.core.enums import Role
from sobrio.core.forms import Form
from sobrio.core.models import Invitation, Membership
from sobrio.core.tenancy import member_required
from sobrio.imports.exporting import csv_text

MAX_INVITES = 200


class InviteForm(Form):
    emails = forms.CharField(
        label=gettext_lazy("Adresses à inviter"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Une par ligne (ou séparées par des virgules), 200 au plus. Chaque personne reçoit "
            "l'adresse de l'espace « Participer » et s'y connecte par un lien."
        ),
    )

    def clean_emails(self):
        words = self.cleaned_data["emails"].replace(",", " ").replace(";", " ").split()
        emails, wrong = [], []
        for word in dict.fromkeys(w.strip().lower() for w in words):
            try:
                validate_email(word)
                emails.append(word)
            except forms.ValidationError:
                wrong.append(word)
        if wrong:
            raise forms.ValidationError(
                _("Adresses invalides : %(list)s") % {"list": ", ".join(wrong[:10])}
            )
        if len(emails) > MAX_INVITES:
            raise forms.ValidationError(_("%(max)s adresses au plus.") % {"max": MAX_INVITES})
        return emails


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)
def participants(request):
    institution = request.institution
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        space = request.build_absolute_uri(
            reverse("participate_signin", kwargs={"slug": institution.slug})
        )
        sent = 0
        for email in form.cleaned_data["emails"]:
            if institution.opens_to(email):
                continue  # its domain is open already
            Invitation.objects.get_or_create(
                institution=institution,
                email=email,
                role=Role.PARTICIPANT,
                accepted_at=None,
                defaults={"invited_by": request.user},
            )
            send_mail(
                _("Sobrio : invitation à participer (%(name)s)") % {"name": institution},
                "\n".join(
                    [
                        _("Bonjour,"),
                        "",
                        _(
                            "%(inviter)s vous invite à l'espace « Participer » de %(name)s : "
                            "quiz, ateliers et parcours sur le numérique responsable."
                        )
                        % {"inviter": request.user, "name": institution.name},
                        _("Connectez-vous avec cette adresse, sans mot de passe :"),
                        space,
                    ]
                ),  # fmt: skip
                settings.DEFAULT_FROM_EMAIL,
                [email],
            )
            sent += 1
        messages.success(request, _("Invitations envoyées : %(n)s.") % {"n": sent})
        return redirect("participants")
    rows = (
        Membership.objects.for_institution(institution)
        .filter(role=Role.PARTICIPANT)
        .select_related("user", "affiliation")
        .order_by("user__email")
    )
    if request.GET.get("format") == "csv":
        header = [_("nom"), _("adresse"), _("unité"), _("depuis le"), _("dernière connexion")]
        data = [
            [
                m.user.full_name,
                m.user.email,
                m.affiliation.name if m.affiliation else "",
                m.created_at.date().isoformat(),
                m.user.last_login.date().isoformat() if m.user.last_login else "",
            ]
            for m in rows
        ]
        response = HttpResponse(csv_text(header, data), content_type="text/csv; charset=utf-8")
        name = f"participants-{datetime.date.today():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    pending = Invitation.objects.for_institution(institution).filter(
        role=Role.PARTICIPANT, accepted_at=None
    )
    return render(
        request,
        "core/participants.html",
        {
            "form": form,
            "page": Paginator(rows, 20).get_page(request.GET.get("page")),
            "count": rows.count(),
            "pending": pending.count(),
            "domains": institution.domains(),
        },
    )
