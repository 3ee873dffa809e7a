"""The assessment's cards on the cockpit: the latest score of each referential, with its
trend, and the items assigned to me."""

import datetime

from django.utils.translation import gettext_lazy as _

from sobrio.core import dashboard


def latest_scores(institution):
    """The latest campaign of each referential (by key), its score and the previous one's."""
    from sobrio.assessment import selectors
    from sobrio.assessment.models import Campaign

    latest = {}
    campaigns = (
        Campaign.objects.for_institution(institution)
        .select_related("referential")
        .order_by("-starts_on", "-pk")
    )
    for campaign in campaigns:
        latest.setdefault(campaign.referential.key, campaign)
    shown = list(latest.values())[:4]
    previous = {c.pk: selectors.previous_campaign(c) for c in shown}
    selectors._attach_scores(shown + [p for p in previous.values() if p])
    rows = []
    for campaign in shown:
        before = previous[campaign.pk]
        score = campaign.results["score"]
        rows.append(
            {
                "campaign": campaign,
                "score": score,
                "previous": before,
                "change": (score - before.results["score"])
                if before is not None and score is not None and before.results["score"] is not None
                else None,
            }
        )
    return rows


def scores_card(request):
    rows = latest_scores(request.institution)
    return {"rows": rows} if rows else None


def mine_card(request):
    from sobrio.assessment import selectors
    from sobrio.assessment.models import CampaignStatus

    answers = selectors.my_answers(request.membership).filter(campaign__status=CampaignStatus.OPEN)
    soon = datetime.date.today() + datetime.timedelta(days=7)
    items = answers.count()
    if not items:
        return None
    return {"items": items, "due": answers.filter(due_on__lte=soon).count()}


def register():
    dashboard.register_card(
        dashboard.Card(
            "assessment",
            20,
            "assessment/dashboard_card.html",
            scores_card,
            depends=("assessment", "referentials"),
        )  # fmt: skip
    )
    dashboard.register_card(
        dashboard.Card(
            "assessment-mine",
            50,
            "assessment/dashboard_mine.html",
            mine_card,
            depends=("assessment", "referentials"),
        )  # fmt: skip
    )
    dashboard.register_step(
        dashboard.Step(
            "campaign",
            30,
            _("Lancer une autoévaluation"),
            "assess_campaign_create",
            lambda institution: _has_campaign(institution),
        )
    )


def _has_campaign(institution):
    from sobrio.assessment.models import Campaign

    return Campaign.objects.for_institution(institution).exists()
