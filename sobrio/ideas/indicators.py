"""Indicators of the idea box (see core/indicators.py): ideas received, accepted and done
over the twelve months up to the date read; and what a report says of its period."""

from django.utils.translation import gettext_lazy

from sobrio.core.indicators import Reading, Source, period_bounds, register
from sobrio.core.indicators import period_note as _period_note
from sobrio.core.indicators import twelve_months as _window


def _ideas_reading(statuses, note):
    def compute(institution, on):
        from sobrio.ideas.models import Idea

        start, end = _window(on)
        rows = Idea.objects.for_institution(institution).filter(
            merged_into=None, created_at__gte=start, created_at__lt=end
        )
        if statuses:
            rows = rows.filter(status__in=statuses)
        return Reading(rows.count(), note % {"period": _period_note(on)})

    return compute


def register_all():
    for key, label, statuses, note in (
        ("ideas_received", gettext_lazy("Idées reçues (12 mois)"), (),
         gettext_lazy("idées proposées %(period)s (doublons fusionnés exclus)")),
        ("ideas_accepted", gettext_lazy("Idées retenues (12 mois)"), ("accepted", "done"),
         gettext_lazy("idées proposées %(period)s, retenues ou réalisées")),
        ("ideas_done", gettext_lazy("Idées réalisées (12 mois)"), ("done",),
         gettext_lazy("idées proposées %(period)s et réalisées")),
    ):  # fmt: skip
        register(Source(key, label, gettext_lazy("idées"), "number", "up",
                        _ideas_reading(statuses, note)))  # fmt: skip


def report_figures(institution, starts_on, ends_on):
    """The ideas proposed in a report's period [starts_on, ends_on], and what became of them."""
    from sobrio.ideas.models import Idea

    start, end = period_bounds(starts_on, ends_on)
    new_ideas = Idea.objects.for_institution(institution).filter(
        merged_into=None, created_at__gte=start, created_at__lt=end
    )
    return {
        "received": new_ideas.count(),
        "accepted": new_ideas.filter(status__in=("accepted", "done")).count(),
        "done": new_ideas.filter(status="done").count(),
    }
