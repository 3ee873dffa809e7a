from django import forms
from django.utils.translation import gettext_lazy as _

from sobrio.core.forms import Form, ModelForm
from sobrio.imports.forms import LimitedFileField
from sobrio.referentials.models import Referential


class ReferentialImportForm(Form):
    file = LimitedFileField(
        max_bytes=20 * 1024 * 1024,
        label=_("Fichier du référentiel"),
        help_text=_(
            "Export JSON du guide national, JSON du RGESN 2024, zip du dossier markdown du "
            "guide, ou modèle Sobrio (CSV, XLSX, ODS, YAML). 20 Mo au plus."
        ),
    )
    name = forms.CharField(
        label=_("Nom"),
        required=False,
        max_length=200,
        help_text=_("Laisser vide pour garder le nom lu dans le fichier."),
    )
    version = forms.CharField(
        label=_("Version"),
        required=False,
        max_length=60,
        help_text=_("Laisser vide pour garder la version lue dans le fichier."),
    )


class ScaleForm(ModelForm):
    class Meta:
        model = Referential
        fields = ["scale"]
        widgets = {"scale": forms.RadioSelect}
