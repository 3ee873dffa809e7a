import csv
import io

from django.db.models import Count

from sobrio.referentials.importers import TEMPLATE_COLUMNS
from sobrio.referentials.models import Referential


def referentials_with_counts(institution):
    return (
        Referential.objects.for_institution(institution)
        .annotate(item_count=Count("items", distinct=True))
        .order_by("name", "-imported_at")
    )


def versions(referential, institution):
    """Every version of the same referential visible to `institution`, newest first."""
    return list(
        Referential.objects.for_institution(institution)
        .filter(key=referential.key, institution=referential.institution)
        .order_by("-imported_at", "-pk")
    )


def template_csv():
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(aliases[0] for aliases in TEMPLATE_COLUMNS.values())
    writer.writerow(
        [
            "1.1",
            "Gouvernance",
            "Un exemple d'item, formulé comme une pratique à atteindre",
            "Texte explicatif, en markdown.",
            "Prioritaire",
            "Facile",
            "Direction générale, DSI",
            "Premier indicateur ; second indicateur",
            "",
            "",
        ]
    )
    writer.writerow(
        ["1.2", "Gouvernance", "Un second item", "", "Recommandée", "", "", "", "2", ""]
    )
    return out.getvalue()
