"""A report as a web page body, a PDF (WeasyPrint, contents and page numbers) or an ODT
(odfpy) for those who edit in LibreOffice; the same figures in each."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrio.core.charts import bars
from sobrio.core.pdf import render_pdf

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
    return f"{report.get_kind_display()} — {report.period_label}"


def pdf(report, data):
    html = render_to_string(
        "reports/report_pdf.html", {**context(report, data), "title": title(report)}
    )
    return render_pdf(html)


def _day(value):
    """An ISO date (as snapshots keep them) as French readers write it."""
    import datetime

    from django.utils.formats import date_format

    if not value:
        return "—"
    try:
        return date_format(datetime.date.fromisoformat(str(value)[:10]), "SHORT_DATE_FORMAT")
    except ValueError:
        return str(value)


def odt(report, data):
    """The same sections as the PDF: headings, bordered tables with a shaded header row,
    right-aligned figures, dates and numbers written as in French."""
    from sobrio.core.numbers import num
    from sobrio.core.odt import Document
    from sobrio.footprint.templatetags.figures import fig
    from sobrio.reports.templatetags.reports import campaign_line

    doc = Document()
    heading, para, table, bullet = doc.heading, doc.para, doc.table, doc.bullet

    ctx = context(report, data)
    heading(title(report), 1)
    para(f"{data['institution']} · {_day(data['starts_on'])} → {_day(data['ends_on'])}")
    heading(_("Synthèse des avancées"), 2)
    para(report.synthesis)
    if data.get("plan"):
        table(
            [_("Axe"), _("Finies"), _("Commencées"), _("En retard"), _("Abandonnées")],
            [
                [r["axis"], num(r["done"]), num(r["started"]), num(r["late"]), num(r["abandoned"])]
                for r in data["per_axis"]
            ],
        )
        for section_title, rows in ctx["action_sections"]:
            if rows:
                heading(section_title, 3)
                bullet([f"{a['label']} — {a['axis']} ({_day(a['date'])})" for a in rows])
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
    bullet([f"{c['name']} : {num(c['score'])}" for c in data["assessment"]] or ["—"])
    heading(_("Sensibilisation"), 2)
    awareness = data.get("awareness")
    if awareness:
        bullet(
            [
                _("Séances tenues : %(n)s") % {"n": awareness["sessions"]},
                _("Présent·es / inscrit·es : %(p)s / %(r)s")
                % {"p": awareness["present"], "r": awareness["registered"]},
                _("Satisfaction : %(s)s / 5") % {"s": num(awareness["satisfaction"])},
                _("Personnes formées : %(n)s") % {"n": awareness["trained"]},
                _("Attestations délivrées : %(n)s") % {"n": awareness["certificates"]},
            ]
            + [campaign_line(c) for c in awareness.get("campaigns", [])]
            + (
                [
                    _("Idées : %(r)s reçues, %(a)s retenues, %(d)s réalisées")
                    % {"r": ideas["received"], "a": ideas["accepted"], "d": ideas["done"]}
                ]
                if (ideas := awareness.get("ideas"))
                else []
            )
        )
    else:
        bullet(["—"])
    heading(_("Réemploi"), 2)
    reuse = data.get("reuse")
    if reuse:
        rate = reuse["rate"]
        bullet(
            [
                _("Taux de réemploi %(y)s : %(r)s %% (%(a)s ÷ %(b)s, décret 2023-266)")
                % {"y": reuse["year"], "r": num(rate["rate"]), "a": rate["reused"],
                   "b": rate["reformed_stock_jan1"]},
                _("Remis au recyclage : %(kg)s kg") % {"kg": num(reuse["kg_recycled"])},
            ]
            + [f"{p['label']} : {p['n']}" for p in reuse["paths"]]
            + ([_("Impact évité : %(v)s kgCO2e") % {"v": num(reuse["avoided"])}]
               if reuse["avoided"] is not None else [])
        )  # fmt: skip
    else:
        bullet(["—"])
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
    return doc.bytes()
