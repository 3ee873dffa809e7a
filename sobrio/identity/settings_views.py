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
from sobrio.identity import services
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


class OidcForm(CasForm):
    url = forms.URLField(label=gettext_lazy("Émetteur (issuer)"), max_length=500,
                         assume_scheme="https",
                         help_text=gettext_lazy("Sobrio lit sa configuration à "
                                                "/.well-known/openid-configuration."))  # fmt: skip
    client_id = forms.CharField(label=gettext_lazy("Identifiant client"), max_length=200)
    secret = forms.CharField(label=gettext_lazy("Secret du client"), max_length=500,
                             required=False, widget=forms.PasswordInput,
                             help_text=gettext_lazy("Gardé chiffré ; vide pour un client "
                                                    "public."))  # fmt: skip


class SamlForm(CasForm):
    url = forms.CharField(
        label=gettext_lazy("Métadonnées de l'IdP"), max_length=5 * 1024 * 1024,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Leur adresse (https://…), ou le XML collé ; l'IdP y est "
                               "avec son certificat de signature."),
    )  # fmt: skip
    entity_id = forms.CharField(label=gettext_lazy("Identifiant d'entité de l'IdP"),
                                max_length=500, required=False,
                                help_text=gettext_lazy("Seulement si les métadonnées en "
                                                       "décrivent plusieurs."))  # fmt: skip

    def clean(self):
        data = super().clean()
        source = (data.get("url") or "").strip()
        if not source:
            return data
        from sobrio.identity import saml

        try:
            if source.startswith(("https://", "http://")):
                xml, url = saml.fetch_metadata(source)
            else:
                xml, url = source, ""
            idps = saml.read_metadata(xml)
        except saml.Failed as failed:
            raise forms.ValidationError(
                _("Ces métadonnées ne se lisent pas : %(why)s") % {"why": failed}
            ) from None
        chosen = (data.get("entity_id") or "").strip()
        if chosen and chosen not in idps:
            self.add_error("entity_id", _("Cet IdP n'est pas dans les métadonnées."))
        elif not chosen and len(idps) > 1:
            self.add_error("entity_id", _("Les métadonnées décrivent plusieurs IdP : "
                                          "choisissez-en un."))  # fmt: skip
        data.update(metadata=xml, metadata_url=url, entity_id=chosen or idps[0], url="")
        return data


@require_http_methods(["GET", "POST"])
@member_required(perms.MANAGE_SETTINGS)
def providers(request):
    kind = request.POST.get("kind") if request.method == "POST" else None
    if kind == "passwords":  # the admin keeps passwords for admins, or opens them again
        institution = request.institution
        institution.passwords_admins_only = request.POST.get("admins_only") == "1"
        institution.save(update_fields=["passwords_admins_only", "updated_at"])
        messages.success(request, _("Le choix des mots de passe est enregistré."))
        return redirect("identity_providers")
    cas = CasForm(request.POST if kind == Kind.CAS else None, institution=request.institution,
                  prefix="cas")  # fmt: skip
    oidc = OidcForm(request.POST if kind == Kind.OIDC else None, institution=request.institution,
                    prefix="oidc")  # fmt: skip
    saml = SamlForm(request.POST if kind == Kind.SAML else None, institution=request.institution,
                    prefix="saml")  # fmt: skip
    form = {Kind.CAS: cas, Kind.OIDC: oidc, Kind.SAML: saml}.get(kind)
    if form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        secret = data.pop("secret", "")
        provider = IdentityProvider(institution=request.institution, kind=kind, **data)
        if kind == Kind.OIDC:
            provider.url = provider.url.rstrip("/")
            services.seal_secret(provider, secret)
        provider.save()
        messages.success(request, _("« %(name)s » est ajouté : les personnes de "
                                    "l'établissement peuvent s'en servir pour se connecter.")
                         % {"name": provider.name})  # fmt: skip
        return redirect("identity_providers")
    rows = IdentityProvider.objects.for_institution(request.institution)
    return render(request, "identity/providers.html",
                  {"providers": rows, "cas_form": cas, "oidc_form": oidc,
                   "saml_form": saml})  # fmt: skip


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
