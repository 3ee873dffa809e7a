import nh3
from django import template
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

from sobrio.referentials import markup

register = template.Library()


@register.filter
def qtext(text, fmt="moodle"):
    """A question's text in its GIFT format, made safe: markdown and HTML pass nh3 (no
    script, style or event attribute survives); plain and Moodle text are escaped."""
    if fmt == "markdown":
        return mark_safe(markup.render(text))  # noqa: S308 - cleaned by nh3
    if fmt == "html":
        cleaned = nh3.clean(
            text or "",
            tags=markup.ALLOWED_TAGS | {"img", "span", "sub", "sup"},
            attributes={"a": {"href", "title"}, "img": {"src", "alt"}, "abbr": {"title"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
        return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3
    return mark_safe(linebreaks(escape(text or "")))  # noqa: S308 - escaped first


@register.filter
def percent(value):
    """0.734 -> "73,4 %"; None -> "—"."""
    if value is None:
        return "—"
    text = f"{100 * value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} %"


@register.filter
def item(mapping, key):
    return mapping.get(str(key)) if isinstance(mapping, dict) else None
