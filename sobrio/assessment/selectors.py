"""Reads for the assessment pages. No writes here."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrio.assessment import scores, services
from sobrio.assessment.models import Answer, Campaign, CampaignStatus
from sobrio.core import charts
from sobrio.referentials import scales


class CampaignList:
    """A list of campaigns whose scores are computed for the page shown only (one query)."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        campaigns = list(self.queryset[index])
        _attach_scores(campaigns)
        return campaigns


def _attach_scores(campaigns):
    live = [c for c in campaigns if not (c.is_closed and c.snapshot)]
    lines = {}
    rows = Answer.objects.filter(campaign__in=live).values_list(
        "campaign_id", "item__family__code", "item__weight", "status", "item__priority_rank"
    )
    for campaign_id, family, weight, status, rank in rows:
        lines.setdefault(campaign_id, []).append(scores.Line(family, float(weight), status, rank))
    for campaign in campaigns:
        if campaign in live:
            campaign.results = scores.compute(lines.get(campaign.pk, []), campaign.scale)
        else:
            campaign.results = campaign.snapshot["results"]


def campaigns_with_results(institution):
    return CampaignList(
        Campaign.objects.for_institution(institution)
        .select_related("referential")
        .order_by("-status", "-starts_on", "-pk")  # running ("open") before closed
    )


def my_answers(membership):
    """Answers given to this member, or to one of their units (and the units below)."""
    if membership is None:
        return Answer.objects.none()
    from sobrio.core.perms import contributor_unit_ids

    unit_ids = contributor_unit_ids(membership)
    return Answer.objects.for_institution(membership.institution).filter(
        Q(assignee=membership) | Q(assigned_unit_id__in=unit_ids)
    )


def previous_campaign(campaign):
    """The latest closed campaign of the same referential (any version) and scope, started
    before this one: the dashed shape on the radar."""
    if campaign.starts_on is None:
        return None
    return (
        Campaign.objects.for_institution(campaign.institution)
        .filter(
            referential__key=campaign.referential.key,
            scope=campaign.scope,
            status=CampaignStatus.CLOSED,
            starts_on__lt=campaign.starts_on,
        )
        .exclude(pk=campaign.pk)
        .select_related("referential")
        .order_by("-starts_on", "-pk")
        .first()
    )


def comparable_campaigns(campaign):
    return list(
        Campaign.objects.for_institution(campaign.institution)
        .filter(referential__key=campaign.referential.key)
        .exclude(pk=campaign.pk)
        .select_related("referential")
        .order_by("-starts_on", "-pk")
    )


def status_counts(data):
    scale = data["referential"]["scale"]
    counts = data["results"]["counts"]
    return [(_(s.label), counts.get(s.key, 0)) for s in scales.statuses(scale)]


def family_label(code, name):
    """A family as the radar shows it: its name, shortened; its code when it has none."""
    if name and name != code:
        return name if len(name) <= 26 else name[:25] + "…"
    return _("Famille %(code)s (sans nom)") % {"code": code}


def _radar_labels(families):
    return [family_label(code, name) for code, name, _score in families]


def radar_for(campaign, data, previous=None):
    families = services.family_scores(data)
    series = [(campaign.name, [score for _c, _n, score in families])]
    if previous is not None:
        old = services.campaign_data(previous)["results"]["families"]
        series.insert(0, (previous.name, [old.get(code) for code, _n, _s in families]))
    return charts.radar(_radar_labels(families), series)


def compare_radar(comparison):
    families = comparison["families"]
    labels = [family_label(code, name) for code, name, *_ in families]
    return charts.radar(
        labels,
        [
            (_("Avant"), [before for _c, _n, before, _a in families]),
            (_("Après"), [after for _c, _n, _b, after in families]),
        ],
    )


def filter_answers(data, params, membership):
    rows = data["answers"]
    family = params.get("famille", "")
    status = params.get("statut", "")
    mine = params.get("moi") == "1"
    if family:
        rows = [r for r in rows if r["family"] == family]
    if status:
        rows = [r for r in rows if r["status"] == status]
    if mine and membership is not None:
        ids = set(my_answers(membership).values_list("pk", flat=True))
        rows = [r for r in rows if r["id"] in ids]
    return rows, {"famille": family, "statut": status, "moi": mine}


def query_without_page(params):
    query = params.copy()
    query.pop("page", None)
    return query.urlencode()


def pending_for_reminder(campaign, days_ahead=7):
    limit = timezone.localdate() + datetime.timedelta(days=days_ahead)
    return (
        campaign.answers.filter(
            status=scales.DEFAULT_STATUS, due_on__isnull=False, due_on__lte=limit
        )
        .exclude(assignee__isnull=True, assigned_unit__isnull=True)
        .count()
    )


def next_answer(answer, membership):
    """The next item (in the referential's order) this member may answer, if any."""
    from sobrio.core import perms

    following = answer.campaign.answers.filter(item__position__gt=answer.item.position)
    if not perms.has_capability(membership, perms.EDIT):
        following = following.filter(pk__in=my_answers(membership).values("pk"))
    return following.order_by("item__position").first()


def declaration_context(campaign, public=False):
    """The declaration's figures: the copy frozen at publication for the public page."""
    data = (
        campaign.declaration_snapshot
        if public and campaign.declaration_snapshot
        else services.campaign_data(campaign)
    )
    unmet = [a for a in data["answers"] if a["applicable"] and not a["done"]]
    return {
        "campaign": campaign,
        "institution": campaign.institution,
        "data": data,
        "results": data["results"],
        "unmet": unmet,
        "families": services.family_scores(data),
        "declared_on": (
            campaign.declaration_published_at
            if public and campaign.declaration_published_at
            else (campaign.closed_at or campaign.updated_at)
        ).date(),
    }
