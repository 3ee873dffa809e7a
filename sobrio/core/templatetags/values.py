"""A form's value as a person reads it, for the pages that show a record without letting
it be changed: the label of a choice (« À décider », never « undecided »), Oui or Non
(never True), a number with French separators, — when empty."""

import datetime
import decimal

from django import forms, template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def shown(bound_field):
    field, value = bound_field.field, bound_field.value()
    if isinstance(field, forms.BooleanField):
        return _("Oui") if value in (True, "True", "on", "1", 1) else _("Non")
    if value in (None, "", [], ()):
        return "—"
    if isinstance(field, forms.ModelChoiceField):
        try:
            found = field.queryset.filter(pk=value).first()
        except (TypeError, ValueError):  # a list (a multiple choice), a value of another type
            found = None
        return str(found) if found is not None else "—"
    if isinstance(field, forms.ChoiceField):
        labels = {str(k): v for k, v in field.choices if not isinstance(v, (list, tuple))}
        return str(labels.get(str(value), value))
    if isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool):
        return number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return value
