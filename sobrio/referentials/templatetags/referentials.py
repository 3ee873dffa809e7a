from django import template
from django.utils.safestring import mark_safe

from sobrio.referentials import markup

register = template.Library()


@register.filter
def markdown(text):
    """Imported markdown, cleaned by nh3: safe to mark as such."""
    return mark_safe(markup.render(text))  # noqa: S308 - nh3 removed anything unsafe


@register.filter
def isodate(value):
    """An ISO date string (as kept in snapshots) shown as dd/mm/yyyy."""
    import datetime

    try:
        return datetime.date.fromisoformat(str(value)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return value


@register.filter
def term(value):
    """A status, priority or difficulty of a published scale, in the reader's language."""
    from django.utils.translation import gettext

    return gettext(str(value)) if value else value
