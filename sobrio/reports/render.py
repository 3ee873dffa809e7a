"""A report as a web page body, a PDF (WeasyPrint, contents and page numbers) or an ODT
(odfpy) for those who edit in LibreOffice; the same figures in each."""

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrio.footprint.charts import bars

SECTIONS = [
    ("synthese", gettext_lazy("Synthèse des avancées")),
    ("difficultes", gettext_lazy("Difficultés rencontrées")),
    ("indicateurs", gettext_lazy("Indicateurs clés")),
    ("empreinte", gettext_lazy("Empreinte du parc")),
    ("autoevaluation", gettext_lazy("Autoévaluation")),
    ("budget", gettext_lazy("Budget")),
    ("perspectives", gettext_lazy("Perspectives et recommandations")),
]
CRITERIA = (
    ("gwp", gettext_lazy("Changement climatique")),
    ("adpe", gettext_lazy("Ressources abiotiques")),
    ("pe", gettext_lazy("Énergie primaire")),
)


def context(report, data, full=True):
    """What body.html needs beyond the data: charts, the action lists, labelled rows.

    full=False (the web page) leaves out the per-category detail, which Mesurer shows.
    """
    foot = data["footprint"]
    return {
        "full": full,
        "report": report,
        "data": data,
        "sections": SECTIONS,
        "axis_chart": bars(
            [(row["axis"], row["done"], None, None) for row in data.get("per_axis", [])]
        ),
        "footprint_chart": bars(
            [
                (c["label"], c["gwp"]["value"], c["gwp"]["min"], c["gwp"]["max"])
                for c in foot["categories"]
            ]
        ),
        "footprint_rows": [
            (code, label, foot["totals"][code], foot["previous"][code]) for code, label in CRITERIA
        ],
        "action_sections": [
            (_("Actions finies"), data["actions"]["done"]),
            (_("Actions commencées"), data["actions"]["started"]),
            (_("Actions en retard au dernier jour"), data["actions"]["late"]),
            (_("Actions abandonnées"), data["actions"]["abandoned"]),
        ]
        if data.get("plan")
        else [],
    }


def title(report):
    return f"{report.get_kind_display()} — {report.period}"


def pdf(report, data):
    from sobrio.assessment.exports import _pdf

    html = render_to_string(
        "reports/report_pdf.html", {**context(report, data), "title": title(report)}
    )
    return _pdf(html)


def odt(report, data):
    """The same sections as text, headings and tables, styled by LibreOffice's defaults."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TableColumnProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P

    from sobrio.footprint.templatetags.figures import fig, num

    doc = OpenDocumentText()
    column = Style(name="Col", family="table-column")
    column.addElement(TableColumnProperties(columnwidth="4cm"))
    doc.automaticstyles.addElement(column)

    def heading(text, level=1):
        doc.text.addElement(H(outlinelevel=level, text=str(text)))

    def para(text):
        for line in str(text or "").splitlines() or [""]:
            doc.text.addElement(P(text=line))

    def table(header, rows):
        t = Table(name=f"T{len(doc.text.childNodes)}")
        t.addElement(TableColumn(numbercolumnsrepeated=len(header), stylename=column))
        for values in [header, *rows]:
            tr = TableRow()
            for value in values:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            t.addElement(tr)
        doc.text.addElement(t)

    def bullet(items):
        lst = List()
        for text in items:
            item = ListItem()
            item.addElement(P(text=text))
            lst.addElement(item)
        doc.text.addElement(lst)

    ctx = context(report, data)
    heading(title(report), 1)
    para(f"{data['institution']} · {data['starts_on']} → {data['ends_on']}")
    heading(_("Synthèse des avancées"), 2)
    para(report.synthesis)
    if data.get("plan"):
        table(
            [_("Axe"), _("Finies"), _("Commencées"), _("En retard"), _("Abandonnées")],
            [
                [r["axis"], r["done"], r["started"], r["late"], r["abandoned"]]
                for r in data["per_axis"]
            ],
        )
        for section_title, rows in ctx["action_sections"]:
            if rows:
                heading(section_title, 3)
                bullet([f"{a['label']} — {a['axis']} ({a['date'] or '—'})" for a in rows])
    heading(_("Difficultés rencontrées"), 2)
    para(report.difficulties or _("Aucune difficulté signalée."))
    heading(_("Indicateurs clés"), 2)
    table(
        [_("Indicateur"), _("Début de période"), _("Fin de période"), _("Cible")],
        [
            [
                f"{i['name']} ({i['unit']})" if i["unit"] else i["name"],
                num(i["previous"]),
                num(i["value"]),
                num(i["target"]),
            ]
            for i in data.get("indicators", [])
        ],
    )
    heading(_("Empreinte du parc"), 2)
    table(
        [_("Critère"), str(data["footprint"]["year"]), _("Année précédente")],
        [
            [f"{label} ({total['unit']})", fig(total["total"]), fig(prev)]
            for _c, label, total, prev in ctx["footprint_rows"]
        ],
    )
    heading(_("Autoévaluation"), 2)
    bullet(
        [
            f"{c['name']} : {c['score'] if c['score'] is not None else '—'}"
            for c in data["assessment"]
        ]
        or ["—"]
    )
    heading(_("Budget"), 2)
    if data.get("budget"):
        table(
            [_("Axe"), _("Prévu"), _("Engagé"), _("Dépensé")],
            [
                [r["axis"], num(r["planned"]), num(r["committed"]), num(r["spent"])]
                for r in data["budget"]["by_axis"]
            ],
        )
    heading(_("Perspectives et recommandations"), 2)
    para(report.outlook)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()
