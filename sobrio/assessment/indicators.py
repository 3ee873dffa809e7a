"""Indicators computed from self-assessments (see core/indicators.py)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrio.core.indicators import Param, Reading, Source, register


def latest_score(institution, on, referential=""):
    """Score of the latest campaign of a referential (its key) begun by the date, its frozen
    figures once closed. Without a referential, the latest self-assessment of practices
    (maturity scale): an eco-design audit (RGESN) is another series."""
    from sobrio.assessment.models import Campaign
    from sobrio.assessment.services import campaign_data
    from sobrio.referentials import scales

    campaigns = Campaign.objects.for_institution(institution).filter(
        Q(starts_on__lte=on) | Q(starts_on__isnull=True, created_at__date__lte=on)
    )
    if referential:
        campaigns = campaigns.filter(referential__key=referential)
    else:
        campaigns = campaigns.filter(referential__scale=scales.MATURITY)
    campaign = campaigns.order_by("-starts_on", "-created_at").first()
    if campaign is None:
        return Reading(None, _("aucune campagne d'autoévaluation commencée à cette date"))
    score = campaign_data(campaign)["results"]["score"]
    if score is None:
        return Reading(None, _("campagne « %(name)s » sans réponse notée") % {"name": campaign})
    return Reading(float(score), _("campagne « %(name)s »") % {"name": campaign})


def register_all():
    register(
        Source(
            "assessment_score",
            gettext_lazy("Score de l'autoévaluation"),
            "/100",
            "number",
            "up",
            latest_score,
            (Param("referential", gettext_lazy("Référentiel"), (), ""),),
        )
    )
