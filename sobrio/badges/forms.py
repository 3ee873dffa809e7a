from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from sobrio.badges import baking
from sobrio.badges.models import BadgeClass, BadgeIssuer, BadgeRule
from sobrio.cleanup.models import (
    CleanupCampaign,
)
from sobrio.core.forms import Form, ModelForm
from sobrio.imports.forms import LimitedFileField
from sobrio.learning.models import Module, Path, Quiz, WorkshopKind


def _https(field, **kwargs):
    """Model URL fields typed without a scheme are read as https (Django 6's default)."""
    from django.db import models

    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def _image_field(label, max_bytes, help_text):
    return LimitedFileField(label=label, required=False, max_bytes=max_bytes, help_text=help_text)


class IssuerForm(ModelForm):
    formfield_callback = _https
    logo = _image_field(
        _("Logo (PNG)"), baking.MAX_PNG_BYTES, _("512 Ko au plus, 16 à 2048 pixels.")
    )

    class Meta:
        model = BadgeIssuer
        fields = ["name", "url", "email", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        try:
            return baking.check_png(upload.read())
        except baking.BadImage as error:
            raise ValidationError(str(error)) from None

    def save(self, commit=True):
        issuer = super().save(commit=False)
        if self.cleaned_data.get("logo"):
            issuer.image = self.cleaned_data["logo"]
        if commit:
            issuer.save()
        return issuer


RULE_FIELDS = {
    BadgeRule.QUIZ: "quiz",
    BadgeRule.MODULE: "module",
    BadgeRule.PATH: "path",
}


class BadgeClassForm(ModelForm):
    formfield_callback = _https
    png = _image_field(
        _("Image PNG"),
        baking.MAX_PNG_BYTES,
        _("512 Ko au plus, carrée de préférence. Vide : un disque bleu aux initiales du badge."),
    )
    svg = _image_field(
        _("Image SVG"),
        baking.MAX_SVG_BYTES,
        _("256 Ko au plus, sans script. Servie comme image du badge si elle est donnée."),
    )
    remove_svg = forms.BooleanField(label=_("Retirer l'image SVG"), required=False)

    class Meta:
        model = BadgeClass
        fields = [
            "name", "slug", "description", "criteria", "tags", "valid_days",
            "alignment_name", "alignment_url", "alignment_framework", "alignment_code",
            "rule", "quiz", "min_score", "module", "path", "workshop_kind", "campaign",
            "archived",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "criteria": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "slug": _("Lettres, chiffres et tirets : il nomme le badge en ligne de commande."),
            "criteria": _("Ce qu'il faut avoir fait pour l'obtenir, tel que le public le lira."),
            "tags": _("Séparés par des virgules."),
            "valid_days": _("Vide : sans expiration."),
        }

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        for name, model in (
            ("quiz", Quiz), ("module", Module), ("path", Path), ("workshop_kind", WorkshopKind),
            ("campaign", CleanupCampaign),
        ):  # fmt: skip
            self.fields[name].queryset = model.objects.for_institution(institution)
        self.fields["min_score"].validators.append(MaxValueValidator(100))
        self.fields["min_score"].widget.attrs["max"] = 100

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        taken = BadgeClass.objects.for_institution(self.institution).filter(slug=slug)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("Un autre badge porte déjà cet identifiant."))
        return slug

    def clean_png(self):
        upload = self.cleaned_data.get("png")
        try:
            return baking.check_png(upload.read()) if upload else None
        except baking.BadImage as error:
            raise ValidationError(str(error)) from None

    def clean_svg(self):
        upload = self.cleaned_data.get("svg")
        try:
            return baking.check_svg(upload.read()) if upload else None
        except baking.BadImage as error:
            raise ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        needed = RULE_FIELDS.get(data.get("rule"))
        if needed and not data.get(needed):
            self.add_error(needed, _("Choisissez-le : la règle en dépend."))
        if data.get("alignment_name") and not data.get("alignment_url"):
            self.add_error("alignment_url", _("Donnez l'adresse où la compétence est décrite."))
        return data

    def save(self, commit=True):
        badge = super().save(commit=False)
        badge.institution = self.institution
        if self.cleaned_data.get("png"):
            badge.image_png = self.cleaned_data["png"]
        if self.cleaned_data.get("svg"):
            badge.image_svg = self.cleaned_data["svg"]
        elif self.cleaned_data.get("remove_svg"):
            badge.image_svg = ""
        if commit:
            badge.save()
        return badge


class AwardForm(Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    evidence_url = forms.URLField(
        label=_("Preuve (adresse)"), max_length=500, required=False,
        assume_scheme="https",
    )  # fmt: skip
    narrative = forms.CharField(
        label=_("Commentaire"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class AwardListForm(Form):
    file = LimitedFileField(
        label=_("Liste des personnes (CSV, XLSX ou ODS)"),
        help_text=_(
            "Une colonne « email » ; facultatives : « nom », « preuve » (adresse), "
            "« commentaire ». 5 000 lignes au plus."
        ),
    )
    evidence_url = forms.URLField(
        label=_("Preuve commune (adresse)"), max_length=500, required=False,
        assume_scheme="https",
    )  # fmt: skip
    narrative = forms.CharField(label=_("Commentaire commun"), max_length=2000, required=False)
    valid_only = forms.BooleanField(
        label=_(
            "Délivrer aux lignes valides seulement (sinon rien n'est délivré s'il y a une erreur)"
        ),
        required=False,
    )


class RevokeForm(Form):
    reason = forms.CharField(
        label=_("Motif du retrait (public)"), max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip
