from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def get(mapping, key):
    return mapping.get(key)


@register.filter
def share(part, whole):
    """'42 %' of part over whole; — when the whole is nothing."""
    if not whole:
        return "—"
    return f"{number_format(100 * float(part or 0) / float(whole), decimal_pos=0)} %"
