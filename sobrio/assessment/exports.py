"""Spreadsheet and PDF renderings of a campaign: the same data the screen shows."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sobrio.assessment import selectors, services
from sobrio.core.pdf import render_pdf
from sobrio.imports.exporting import dataset

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pdf": "application/pdf",
}


def _attachment(content, fmt, stem):
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(stem) or "export"}.{fmt}"'
    return response


def answers_dataset(data):
    headers = [
        _("Code"),
        _("Famille"),
        _("Intitulé"),
        _("Priorité"),
        _("Statut"),
        _("Commentaire"),
        _("Preuves"),
        _("Membre chargé"),
        _("Unité chargée"),
        _("Échéance"),
    ]
    rows = []
    for a in data["answers"]:
        rows.append(
            [
                a["code"],
                a["family_name"],
                a["title"],
                a["priority"],
                a["status_label"],
                a["comment"],
                "\n".join(e["url"] or e["label"] for e in a["evidence"]),
                a["assignee"],
                a["unit"],
                a["due_on"],
            ]
        )
    return dataset(headers, rows, str(_("Réponses")))  # every text cell made formula-safe


def scores_dataset(data):
    rows = [
        [f"{code} · {name}", "" if score is None else score]
        for code, name, score in services.family_scores(data)
    ]
    overall = data["results"]["score"]
    rows.append([_("Score global"), "" if overall is None else overall])
    return dataset([_("Famille"), _("Score")], rows, str(_("Scores")))


def table_bytes(data, fmt):
    import tablib

    book = tablib.Databook([answers_dataset(data), scores_dataset(data)])
    return book.export(fmt)


def table_response(campaign, data, fmt):
    return _attachment(table_bytes(data, fmt), fmt, campaign.name)


def campaign_pdf(request, campaign, data):
    html = render_to_string(
        "assessment/campaign_pdf.html",
        {
            "campaign": campaign,
            "data": data,
            "results": data["results"],
            "families": services.family_scores(data),
            "statuses": selectors.status_counts(data),
            "radar": selectors.radar_for(campaign, data),
        },
        request=request,
    )
    return render_pdf(html)


def pdf_response(request, campaign, data):
    return _attachment(campaign_pdf(request, campaign, data), "pdf", campaign.name)


def declaration_pdf_response(request, context):
    html = render_to_string("assessment/declaration_pdf.html", context, request=request)
    return _attachment(render_pdf(html), "pdf", f"declaration-{context['campaign'].name}")
