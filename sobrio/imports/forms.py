from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sobrio.core.forms import Form
from sobrio.imports import registry
from sobrio.imports.limits import Limits
from sobrio.imports.spec import CREATE, SKIP
from sobrio.imports.values import norm

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".ods")
LIST_ABOVE = 8  # more choices than this: a text box with suggestions, not a long select


class UploadForm(Form):
    kind = forms.ChoiceField(label=gettext_lazy("Contenu du fichier"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=gettext_lazy("Fichier"),
        help_text=gettext_lazy(
            "CSV (UTF-8 ou Windows-1252 ; séparateur ; , ou tabulation), XLSX ou ODS."
        ),
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        importers = registry.of_group(group)
        self.fields["kind"].choices = [(i.kind, i.label) for i in importers]
        self.fields["kind"].initial = importers[0].kind if importers else None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError(_("Format attendu : CSV, XLSX ou ODS."))
        too_big = Limits.from_settings().too_big(upload.size)
        if too_big:
            raise forms.ValidationError(too_big)
        return upload


class MappingForm(Form):
    """Columns (one text box each, suggestions from one shared list) and the values to map.

    Without JavaScript and within the page budget: a select per column would cost one
    element per field and per column.
    """

    valid_only = forms.BooleanField(
        label=gettext_lazy("Importer seulement les lignes valides"),
        required=False,
        help_text=gettext_lazy(
            "Les autres sont laissées de côté ; la liste des problèmes se télécharge."
        ),
    )

    def __init__(self, *args, spec, header, columns, values, choices, creatable, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec, self.header = spec, header
        self.field_by_label = {norm(f.label): f.name for f in spec.fields}
        self.field_by_label.update({norm(f.name): f.name for f in spec.fields})
        self.value_fields = []  # (form field name, mapped field, value dict)
        self.lists = {"sobrio-fields": [f.label for f in spec.fields]}
        for i, label in enumerate(header):
            name = columns.get(i)
            self.fields[f"col_{i}"] = forms.CharField(
                label=_("Colonne « %(label)s »") % {"label": label or i + 1},
                required=False,
                initial=spec.by_name[name].label if name else "",
                widget=forms.TextInput(attrs={"list": "sobrio-fields", "autocomplete": "off"}),
            )
        self.targets = {}
        for name, items in values.items():
            options = [(SKIP, _("laisser ces lignes de côté"))]
            if name in creatable:
                options.insert(0, (CREATE, _("créer")))
            options += list(choices.get(name, []))
            self.targets[name] = {norm(label): value for value, label in options}
            self.targets[name].update({norm(value): value for value, _label in options})
            big = len(options) > LIST_ABOVE
            if big:
                self.lists[f"sobrio-{name}"] = [label for _value, label in options]
            for n, item in enumerate(items):
                key = f"val_{name}_{n}"
                self.value_fields.append((key, name, item))
                label = ngettext(
                    "« %(value)s » (%(count)s ligne)",
                    "« %(value)s » (%(count)s lignes)",
                    item["count"],
                ) % {
                    "value": item["text"][:80],
                    "count": item["count"],
                }
                current = item.get("current")
                if big:
                    self.fields[key] = forms.CharField(
                        label=label,
                        required=False,
                        initial=dict(options).get(current, ""),
                        widget=forms.TextInput(
                            attrs={"list": f"sobrio-{name}", "autocomplete": "off"}
                        ),
                    )
                else:
                    self.fields[key] = forms.ChoiceField(
                        label=label,
                        required=False,
                        initial=current or "",
                        choices=[("", _("— laisser en erreur —")), *options],
                    )

    def column_fields(self):
        return [self[f"col_{i}"] for i in range(len(self.header))]

    def mapped_fields(self):
        return [self[key] for key, _name, _item in self.value_fields]

    def clean(self):
        data = super().clean()
        chosen = {}
        for i in range(len(self.header)):
            text = (data.get(f"col_{i}") or "").strip()
            if not text:
                continue
            name = self.field_by_label.get(norm(text))
            if name is None:
                self.add_error(f"col_{i}", _("Champ inconnu : choisissez-en un de la liste."))
            elif name in chosen.values():
                self.add_error(f"col_{i}", _("Ce champ a déjà une colonne."))
            else:
                chosen[i] = name
        self.chosen_columns = chosen
        self.chosen_values = {}
        for key, name, item in self.value_fields:
            text = (data.get(key) or "").strip()
            if not text:
                continue
            target = self.targets[name].get(norm(text))
            if target is None and self.resolve_text:
                target = self.resolve_text(name, text)
            if target is None:
                self.add_error(key, _("Valeur inconnue : choisissez-en une de la liste."))
            else:
                self.chosen_values.setdefault(name, {})[item["norm"]] = str(target)
        return data

    resolve_text = None  # (field, text) -> target, for targets typed rather than listed


class LimitedFileField(forms.FileField):
    """A file refused from its declared size, before anything reads it."""

    def __init__(self, *args, max_bytes=None, **kwargs):
        self.max_bytes = max_bytes
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            limits = Limits.from_settings()
            if self.max_bytes:
                limits = Limits.from_settings(max_bytes=min(self.max_bytes, limits.max_bytes))
            too_big = limits.too_big(upload.size)
            if too_big:
                raise forms.ValidationError(too_big)
        return upload
