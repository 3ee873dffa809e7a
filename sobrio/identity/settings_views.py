"""The institution's settings for sign-in: its identity providers (the admin) and the
unit codes they sent (the officer maps each once)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from sobrio.core import perms
from sobrio.core.forms import Form
from sobrio.core.models import Unit
from sobrio.core.tenancy import member_required, scoped_get_or_404
from sobrio.identity.models import IdentityProvider, Kind, UnitCode


class CasForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Libellé du bouton"),
        max_length=80,
        help_text=gettext_lazy("Par exemple : ENT de l'université."),
    )
    url = forms.URLField(label=gettext_lazy("Adresse du serveur CAS"), max_length=500,
                         assume_scheme="https",
                         help_text=gettext_lazy("Celle qui précède /login, par exemple "
                                                "https://cas.univ-x.fr/cas/."))  # fmt: skip

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if IdentityProvider.objects.filter(institution=self.institution, name=name).exists():
            raise forms.ValidationError(_("Un fournisseur porte déjà ce libellé."))
        return name


@require_http_methods(["GET", "POST"])
@member_required(perms.MANAGE_SETTINGS)
def providers(request):
    form = CasForm(request.POST or None, institution=request.institution)
    if request.method == "POST" and form.is_valid():
        IdentityProvider.objects.create(institution=request.institution, kind=Kind.CAS,
                                        **form.cleaned_data)  # fmt: skip
        messages.success(request, _("Le serveur CAS est ajouté : ses personnes peuvent se "
                                    "connecter."))  # fmt: skip
        return redirect("identity_providers")
    rows = IdentityProvider.objects.for_institution(request.institution)
    return render(request, "identity/providers.html", {"providers": rows, "form": form})


@require_http_methods(["GET", "POST"])
@member_required(perms.MANAGE_SETTINGS)
def provider_remove(request, identityprovider_id):
    provider = scoped_get_or_404(request, IdentityProvider, pk=identityprovider_id)
    if request.method == "POST":
        provider.delete()
        messages.success(request, _("« %(name)s » est retiré.") % {"name": provider.name})
        return redirect("identity_providers")
    return render(request, "core/confirm_delete.html",
                  {"object": provider, "cancel": "identity_providers"})  # fmt: skip


@require_http_methods(["GET", "POST"])
@member_required(perms.EDIT)  # units are data of the programme: officers keep them
def unit_codes(request):
    codes = list(UnitCode.objects.for_institution(request.institution).select_related("unit"))
    units = list(Unit.objects.for_institution(request.institution))
    if request.method == "POST":
        by_pk = {str(u.pk): u for u in units}
        changed = 0
        for code in codes:
            value = request.POST.get(f"code-{code.pk}")
            if value is None:
                continue
            unit = by_pk.get(value)
            if (unit.pk if unit else None) != code.unit_id:
                code.unit = unit
                code.save(update_fields=["unit", "updated_at"])
                changed += 1
        messages.success(request, ngettext("Correspondances enregistrées : %(n)s modifiée.",
                                           "Correspondances enregistrées : %(n)s modifiées.",
                                           changed) % {"n": changed})  # fmt: skip
        return redirect("identity_unit_codes")
    return render(request, "identity/unit_codes.html", {"codes": codes, "units": units})
