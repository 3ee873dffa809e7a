"""The network report as an ODT (the PDF and the page render report templates)."""

from django.utils.translation import gettext as _

from sobrio.core.numbers import num
from sobrio.core.odt import Document


def rows(board):
    out = []
    for _code, ref, b in board:
        name = f"{b['label']} — {ref}" if ref else b["label"]
        if not b["shown"]:
            out.append([name, b["members"], "—", "—", "—", b["reason"] or ""])
        else:
            out.append(
                [
                    name,
                    b["members"],
                    num(b["median"]),
                    f"{num(b['q1'])} – {num(b['q3'])}",
                    num(b["total"]) if b["total"] is not None else "—",
                    b["reason"] or "",
                ]
            )
    return out


def odt(context):
    doc = Document()
    doc.heading(
        _("Rapport du réseau « %(n)s », %(y)s") % {"n": context["network"], "y": context["year"]}
    )
    doc.para(context["network"].description)
    doc.heading(_("Membres"), 2)
    doc.bullet(
        [m.institution.name for m in context["named"]]
        + (
            [_("%(n)s membre(s) anonyme(s)") % {"n": context["anonymous"]}]
            if context["anonymous"]
            else []
        )
    )
    doc.heading(_("Chiffres consolidés et comparaison"), 2)
    doc.table(
        [_("Chiffre"), _("Membres"), _("Médiane"), _("Quartiles"), _("Total"), _("Note")],
        rows(context["board"]),
    )
    doc.heading(_("Actions partagées"), 2)
    doc.bullet([f"{a.title} ({a.theme})" for a in context["highlights"]] or ["—"])
    return doc.bytes()
