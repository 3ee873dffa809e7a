"""Sentences of the reports that the web page, the PDF and the ODT share."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sobrio.core.numbers import num

register = template.Library()


@register.filter
def campaign_line(c):
    """A cleanup campaign in one sentence, every count in French's singular or plural."""
    gb = c.get("gb_deleted") or 0
    parts = [
        ngettext("%(n)s participant·e", "%(n)s participant·es", c["participants"])
        % {"n": c["participants"]},
        ngettext("%(n)s équipe", "%(n)s équipes", c["teams"]) % {"n": c["teams"]},
        # French: singular below 2 (« 1,5 Go supprimé »)
        ngettext("%(gb)s Go supprimé", "%(gb)s Go supprimés", int(gb)) % {"gb": num(gb)},
        ngettext("%(n)s appareil collecté", "%(n)s appareils collectés", c["devices_collected"])
        % {"n": c["devices_collected"]},  # fmt: skip
    ]
    return _("Nettoyage numérique « %(name)s » : %(parts)s (déclarations acceptées).") % {
        "name": c["name"],
        "parts": ", ".join(parts),
    }
