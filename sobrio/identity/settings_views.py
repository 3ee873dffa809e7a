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


def _free_name(institution, name, provider=None):
    """The label, stripped, unless another provider of the institution has it."""
    name = name.strip()
    taken = IdentityProvider.objects.filter(institution=institution, name=name)
    if provider is not None:
        taken = taken.exclude(pk=provider.pk)
    if taken.exists():
        raise forms.ValidationError(_("Un fournisseur porte déjà ce libellé."))
    return name


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
        return _free_name(self.institution, self.cleaned_data["name"])


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
    metadata_cert = forms.CharField(
        label=gettext_lazy("Certificat de signature des métadonnées (facultatif)"),
        max_length=64 * 1024, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Celui de la fédération, en PEM (-----BEGIN CERTIFICATE-----) : "
                               "les métadonnées lues à leur adresse, chaque jour, doivent "
                               "en être signées."),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        source = (data.get("url") or "").strip()
        if not source:
            return data
        from sobrio.identity import saml

        chosen = (data.get("entity_id") or "").strip()
        try:
            fields = saml.idp_fields(source, chosen, (data.get("metadata_cert") or "").strip())
        except saml.NotInMetadata:
            self.add_error("entity_id", _("Cet IdP n'est pas dans les métadonnées."))
            return data
        except saml.SeveralIdps:
            self.add_error("entity_id", _("Les métadonnées décrivent plusieurs IdP : "
                                          "choisissez-en un."))  # fmt: skip
            return data
        except saml.BadCertificate:
            self.add_error("metadata_cert", _("Ce n'est pas un certificat PEM."))
            return data
        except saml.NotSignedBy as failed:
            message = _("Ces métadonnées ne sont pas signées par ce certificat : %(why)s")
            self.add_error("metadata_cert", message % {"why": failed})
            return data
        except saml.Failed as failed:
            self.add_error(None, _("Ces métadonnées ne se lisent pas : %(why)s")
                           % {"why": failed})  # fmt: skip
            return data
        data.update(fields, url="")
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


LABELS = {
    "uid": gettext_lazy("Identifiant"), "mail": gettext_lazy("Adresse électronique"),
    "displayName": gettext_lazy("Nom affiché"), "givenName": gettext_lazy("Prénom"),
    "sn": gettext_lazy("Nom de famille"),
    "eduPersonPrincipalName": gettext_lazy("Identifiant fédéré (eduPersonPrincipalName)"),
    "eduPersonAffiliation": gettext_lazy("Statut (eduPersonAffiliation)"),
    "supannEntiteAffectation": gettext_lazy("Unité d'affectation (supannEntiteAffectation)"),
    "supannEtablissement": gettext_lazy("Établissement (supannEtablissement)"),
}  # fmt: skip


class ProviderForm(Form):
    """The label, on or off, and the name under which this provider sends each of the
    attributes Sobrio reads (the defaults of attributes.py shown; only changes kept)."""

    name = forms.CharField(label=gettext_lazy("Libellé du bouton"), max_length=80)
    enabled = forms.BooleanField(label=gettext_lazy("Actif (proposé sur les pages de "
                                                    "connexion)"), required=False)  # fmt: skip

    def __init__(self, *args, provider, **kwargs):
        from sobrio.identity import attributes

        self.provider = provider
        current = attributes.mapping(provider.kind, provider.attribute_map)
        initial = {"name": provider.name, "enabled": provider.enabled, **current}
        super().__init__(*args, initial=initial, **kwargs)
        self.defaults = attributes.mapping(provider.kind)
        for key in attributes.NAMES:
            self.fields[key] = forms.CharField(
                label=LABELS[key], max_length=200, required=False,
                help_text=_("Par défaut : %(name)s") % {"name": self.defaults[key]},
            )  # fmt: skip

    def clean_name(self):
        return _free_name(self.provider.institution, self.cleaned_data["name"], self.provider)

    def overrides(self):
        """Only the names that differ from the defaults (empty: the default)."""
        out = {}
        for key, default in self.defaults.items():
            value = (self.cleaned_data.get(key) or "").strip()
            if value and value != default:
                out[key] = value
        return out


@require_http_methods(["GET", "POST"])
@member_required(perms.MANAGE_SETTINGS)
def provider_edit(request, identityprovider_id):
    provider = scoped_get_or_404(request, IdentityProvider, pk=identityprovider_id)
    form = ProviderForm(request.POST or None, provider=provider)
    if request.method == "POST" and form.is_valid():
        provider.name = form.cleaned_data["name"]
        provider.enabled = form.cleaned_data["enabled"]
        provider.attribute_map = form.overrides()
        provider.save(update_fields=["name", "enabled", "attribute_map", "updated_at"])
        messages.success(request, _("« %(name)s » est enregistré.") % {"name": provider.name})
        return redirect("identity_providers")
    return render(request, "identity/provider_edit.html", {"provider": provider, "form": form})


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
