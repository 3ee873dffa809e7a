"""Digital Cleanup Day campaigns: pledges received once each, moderated when anonymous,
totals and leaderboards read live, and conversions that say what they assume.

GB and mails deleted are activity figures first. The only conversions shown come from the
campaign's factor set (purpose « cleanup »; Sobrio ships one built from ADEME Impact CO2)
and carry their source and range:
- storage: GB deleted × the yearly footprint of storing one GB, assuming the data would
  have stayed stored a full year;
- devices brought for reuse: manufacturing avoided only for the share the officer
  declares as replacing a purchase (the substitution assumption); none without it.
Devices brought for recycling avoid no manufacturing: they are counted, not converted.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrio.cleanup.models import (
    COUNT_FIELDS,
    DEVICE_FIELDS,
    DEVICE_KINDS,
    GB_FIELDS,
    CleanupCampaign,
    Pledge,
    PledgeState,
    Team,
)
from sobrio.core import charts, freshness, limits

FACTOR_SET_KEY = "cleanup-2"  # 2: no range the source does not give; the devices' phase named
STORAGE = "storage_gb_year"
BOARD_ROWS = 10  # a leaderboard's rows on a page (the page budget); the PDF has them all
DEVICE_LABELS = {
    "laptop": gettext_lazy("ordinateurs portables"),
    "smartphone": gettext_lazy("smartphones"),
    "tablet": gettext_lazy("tablettes"),
    "screen": gettext_lazy("écrans"),
}
GB_LABELS = {
    "gb_mailbox": gettext_lazy("messagerie"),
    "gb_personal_drive": gettext_lazy("espace personnel"),
    "gb_shared_drive": gettext_lazy("espace partagé"),
    "gb_phone": gettext_lazy("téléphone"),
    "gb_cloud": gettext_lazy("cloud"),
}
_IMPACT_CO2 = "ADEME, Impact CO2 (impactco2.fr)"


def _builtin_rows():
    """The shipped factors, kgCO2e, each with its source; min and max are the range of
    published figures where one is known."""
    rows = [
        {
            "category": STORAGE,
            "criterion": "gwp",
            "phase": "use",
            # one published value, so no range: the higher figures that circulate (up to
            # 400 g) name no publication that could be cited
            "value": 0.000235,
            "min": 0.000235,
            "max": 0.000235,
            "unit": "kgCO2e/Go/an",
            "source": _IMPACT_CO2
            + ", incubateur-ademe/impactco2, src/data/categories/usagenumerique.json : "
            "« stocker un Go de données pendant un an », 0,235 gCO2e "
            "(0,1245 construction et 0,1108 usage des centres de données). Valeur unique de "
            "la source : pas de plage.",
            "date": "2024",
        }
    ]
    for kind, value in (("laptop", 182.6), ("smartphone", 85.1), ("tablet", 59.7),
                        ("screen", 65.9)):  # fmt: skip
        rows.append(
            {
                "category": kind,
                "criterion": "gwp",
                "phase": "embodied",
                "value": value,
                "min": value,
                "max": value,
                "unit": "kgCO2e/appareil",
                "source": _IMPACT_CO2
                + ", étude ADEME-Arcep : fabrication et distribution d'un appareil neuf.",
                "date": "2022",
            }
        )
    return rows


def ensure_factor_set():
    """The shared « Journée du nettoyage numérique » set, created once."""
    from sobrio.footprint.models import Purpose
    from sobrio.footprint.services import ensure_builtin_set

    return ensure_builtin_set(
        FACTOR_SET_KEY, _builtin_rows, name=_("Journée du nettoyage numérique"), version="2",
        source=_IMPACT_CO2, licence="Licence Ouverte 2.0 (données ADEME)", published="2024",
        purpose=Purpose.CLEANUP,
    )  # fmt: skip


def factors(campaign):
    """(the campaign's factor set, {category: its gwp Factor})."""
    factor_set = campaign.factor_set or ensure_factor_set()
    return factor_set, {f.category: f for f in factor_set.factors.filter(criterion="gwp")}


# --- opening and pledging --------------------------------------------------------------


def today():
    return timezone.localdate()


def is_open(campaign, on=None):
    on = on or today()
    return campaign.starts_on <= on <= campaign.ends_on


def new_token():
    return uuid.uuid4()


class PledgeRefused(Exception):
    """A pledge that cannot be received, with the reason to show."""


def check_rate(campaign, address):
    """Anonymous pledges from one address to one campaign: a flood guard, not a quota. The
    default (SOBRIO_PLEDGES_PER_ADDRESS, 300 an hour) is more than a lecture hall behind
    one NAT address sends on the campaign's morning; the honeypot and the moderation do the
    rest. Counted in the shared cache (core/limits.py), the same on every worker and
    server. A signed-in participant is never limited by address (the caller skips it)."""
    if not address:
        return
    limits.hit("pledge", f"{campaign.pk}:{address}", settings.PLEDGES_PER_ADDRESS, 3600)


def submit(campaign, data, *, token, user=None, unit=None, address=None):
    """Receive one pledge: (pledge, created). The same token again returns the first
    pledge untouched (a form sent twice is one pledge: the unique token says so, in the
    database, however many workers receive it at once). data: the form's cleaned values
    (the fields of models.GB_FIELDS, COUNT_FIELDS, DEVICE_FIELDS, cables_kg, actions,
    team). Anonymous pledges (user None) wait for moderation, and so do the others when
    the campaign moderates all."""
    if not is_open(campaign):
        raise PledgeRefused(_("La campagne n'est pas ouverte aux déclarations aujourd'hui."))
    if user is None and not campaign.anonymous:
        raise PledgeRefused(_("Connectez-vous pour déclarer dans cette campagne."))
    team = data.get("team")
    if team is not None and team.campaign_id != campaign.pk:
        raise PledgeRefused(_("Cette équipe n'est pas de la campagne."))
    values = {f: data.get(f) or 0 for f in GB_FIELDS + COUNT_FIELDS + DEVICE_FIELDS}
    if not any(values.values()) and not data.get("cables_kg") and not data.get("actions"):
        raise PledgeRefused(_("Déclarez au moins un nettoyage, un appareil ou un geste."))
    if user is None:
        check_rate(campaign, address)  # what is refused above costs nothing
    pending = user is None or campaign.moderate_all
    # the team's unit by its key (no query for the unit's row), else the person's
    unit_id = team.unit_id if team is not None and team.unit_id else getattr(unit, "pk", None)
    try:
        with transaction.atomic():
            pledge = Pledge(
                institution_id=campaign.institution_id,
                campaign=campaign,
                token=token,
                user=user,
                team=team,
                unit_id=unit_id,
                state=PledgeState.PENDING if pending else PledgeState.ACCEPTED,
                cables_kg=data.get("cables_kg") or 0,
                actions=sorted(set(data.get("actions") or [])),
                **values,
            )
            # renewed once below, after the commit, rather than by the signal at the
            # insert and again at the commit: a cache write less on the busiest form
            pledge.figures_renewed_by_caller = True
            pledge.save(force_insert=True)
    except IntegrityError:  # the same form sent again (or twice at once): the first counts
        return Pledge.objects.get(token=token), False
    renew_figures(campaign.pk)
    if pledge.state == PledgeState.ACCEPTED and user is not None:
        for listener in ACCEPTED:
            listener(campaign, user)
    return pledge, True


# Listeners of a signed-in person's pledge accepted: (campaign, user).
ACCEPTED = []


def moderate(pledges, accept, *, by):
    """Accept or refuse pending pledges (a queryset); the number changed."""
    state = PledgeState.ACCEPTED if accept else PledgeState.REJECTED
    pending = pledges.filter(state=PledgeState.PENDING)
    people = list(pending.exclude(user=None).select_related("campaign", "user")) if accept else []
    campaigns = set(pending.values_list("campaign_id", flat=True).distinct())
    changed = pending.update(state=state, moderated_by=by, moderated_at=timezone.now())
    for campaign_id in campaigns:  # an update sends no signal: the pages are told here
        renew_figures(campaign_id)
    for pledge in people:
        for listener in ACCEPTED:
            listener(pledge.campaign, pledge.user)
    return changed


# --- totals ----------------------------------------------------------------------------------


def _total_of(fields):
    """One row's sum of fields, in SQL (for Sum() per team, unit or period)."""
    return sum((F(f) for f in fields[1:]), F(fields[0]))


GB_SUM, DEVICE_SUM = _total_of(GB_FIELDS), _total_of(DEVICE_FIELDS)


SUMMED = GB_FIELDS + COUNT_FIELDS + DEVICE_FIELDS + ("cables_kg",)


def totals(campaign):
    """Everything the pages, the report and the CLI show, JSON-ready; counts accepted
    pledges only (the received, accepted and pending counts say how many wait)."""
    pledges = Pledge.objects.filter(campaign=campaign)
    accepted = Q(state=PledgeState.ACCEPTED)
    row = pledges.aggregate(
        received=Count("pk"),
        accepted=Count("pk", filter=accepted),
        pending=Count("pk", filter=Q(state=PledgeState.PENDING)),
        people=Count("user", filter=accepted, distinct=True),
        anonymous=Count("pk", filter=accepted & Q(user=None)),
        teams=Count("team", filter=accepted, distinct=True),
        **{f: Sum(f, filter=accepted) for f in SUMMED},
    )
    sums = {f: row[f] or 0 for f in SUMMED}
    gb = {f: round(sums[f], 3) for f in GB_FIELDS}
    devices = {
        kind: {"reuse": sums[f"{kind}_reuse"], "recycling": sums[f"{kind}_recycling"]}
        for kind in DEVICE_KINDS
    }
    return {
        "pledges": {
            "received": row["received"],
            "accepted": row["accepted"],
            "pending": row["pending"],
        },  # fmt: skip
        # signed-in people counted once each, every accepted anonymous pledge as one person
        "participants": row["people"] + row["anonymous"],
        "teams": row["teams"],
        "gb_deleted": round(sum(gb.values()), 3),
        "gb_by_place": gb,
        "mails_deleted": sums["mails_deleted"],
        "files_deleted": sums["files_deleted"],
        "devices": devices,
        "devices_collected": sum(d["reuse"] + d["recycling"] for d in devices.values()),
        "cables_kg": round(sums["cables_kg"], 3),
    }


def action_counts(campaign):
    """{action code: accepted pledges that name it}, for the report and the CLI (read in
    Python: the list is JSON, which SQLite cannot count inside)."""
    counts = {}
    chosen = (
        Pledge.objects.filter(campaign=campaign, state=PledgeState.ACCEPTED)
        .exclude(actions=[])
        .values_list("actions", flat=True)
    )
    for codes in chosen.iterator(chunk_size=2000):
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
    return counts


def leaderboard(campaign, by="team"):
    """[{name, pledges, people, gb, devices}] per team (or per unit), most pledges first;
    accepted pledges only."""
    key = "team__name" if by == "team" else "unit__name"
    rows = (
        Pledge.objects.filter(campaign=campaign, state=PledgeState.ACCEPTED)
        .exclude(**{key: None})
        .values(key)
        .annotate(
            pledges=Count("pk"),
            people=Count("user", distinct=True),
            gb=Sum(GB_SUM),
            devices=Sum(DEVICE_SUM),
        )  # fmt: skip
        .order_by("-pledges", "-gb", key)
    )
    return [
        {
            "name": r[key],
            "pledges": r["pledges"],
            "people": r["people"],
            "gb": round(r["gb"] or 0, 3),
            "devices": r["devices"] or 0,
        }  # fmt: skip
        for r in rows
    ]


def _number(value):
    return formats.number_format(f"{value:g}", use_l10n=True)


@dataclass
class Conversion:
    label: str
    value: float | None  # kgCO2e
    low: float | None
    high: float | None
    assumption: str
    source: str


def conversions(campaign, figures, table):
    """The CO2e figures a campaign may show, each with its assumption and source; table:
    the second half of factors(campaign)."""
    out = []
    storage = table.get(STORAGE)
    if storage is not None:
        gb = figures["gb_deleted"]
        out.append(
            Conversion(
                _("Stockage évité pendant un an"),
                gb * storage.value,
                gb * storage.min,
                gb * storage.max,
                _(
                    "Suppose que les données supprimées seraient restées stockées une année "
                    "entière ; %(f)s %(u)s."
                )
                % {"f": _number(storage.value), "u": storage.unit},
                storage.source,
            )
        )
    if campaign.substitution_percent is None:
        return out
    share = campaign.substitution_percent / 100
    value = low = high = 0.0
    sources = []
    for kind in DEVICE_KINDS:
        factor = table.get(kind)
        count = figures["devices"][kind]["reuse"]
        if factor is None or not count:
            continue
        value += count * share * factor.value
        low += count * share * factor.min
        high += count * share * factor.max
        sources.append(f"{DEVICE_LABELS[kind]} : {_number(factor.value)} {factor.unit}")
    if sources:
        out.append(
            Conversion(
                _("Fabrication et distribution évitées par le réemploi"),
                value,
                low,
                high,
                _(
                    "Hypothèse de substitution : %(p)s %% des appareils réemployés évitent "
                    "l'achat d'un appareil neuf (%(f)s). Les appareils recyclés n'évitent "
                    "aucune fabrication."
                )
                % {"p": campaign.substitution_percent, "f": " ; ".join(sources)},
                next(iter(table[k].source for k in DEVICE_KINDS if k in table)),
            )
        )
    return out


def gb_per_device(table):
    """How many GB deleted for a year weigh as much as making one laptop: the order of
    magnitude the page shows next to the totals (None without both factors)."""
    if STORAGE not in table or "laptop" not in table or not table[STORAGE].value:
        return None
    return table["laptop"].value / table[STORAGE].value


# --- the campaign's rows ----------------------------------------------------------------------


def open_campaigns(institution, on=None):
    on = on or today()
    return CleanupCampaign.objects.for_institution(institution).filter(
        starts_on__lte=on, ends_on__gte=on
    )


def add_unit_teams(campaign):
    """One team per top-level unit of the institution not already in the campaign."""
    from sobrio.core.models import Unit

    taken = set(campaign.teams.values_list("name", flat=True))
    new = [
        Team(
            institution_id=campaign.institution_id, campaign=campaign, name=u.name[:120], unit=u
        )  # fmt: skip
        for u in Unit.objects.for_institution(campaign.institution).filter(parent=None)
        if u.name[:120] not in taken
    ]
    Team.objects.bulk_create(new)
    return len(new)


def export_rows(campaign):
    """(header, rows) of every pledge, for the CSV, rows read as written: no name nor
    address, a person is a number (the same within the export)."""
    header = [_("Date"), _("État"), _("Personne"), _("Équipe"), _("Unité")]
    header += [str(Pledge._meta.get_field(f).verbose_name) for f in GB_FIELDS + COUNT_FIELDS]
    header += [str(Pledge._meta.get_field(f).verbose_name) for f in DEVICE_FIELDS]
    header += [_("câbles et chargeurs (kg)"), _("Gestes")]
    return header, _export_rows(campaign)


def _export_rows(campaign):
    people = {}
    for p in (
        Pledge.objects.filter(campaign=campaign)
        .select_related("team", "unit")
        .order_by("created_at", "pk")
        .iterator(chunk_size=2000)
    ):
        person = "" if p.user_id is None else people.setdefault(p.user_id, len(people) + 1)
        yield (
            [timezone.localtime(p.created_at).strftime("%Y-%m-%d %H:%M"), p.get_state_display(),
             person, p.team.name if p.team else "", p.unit.name if p.unit else ""]
            + [getattr(p, f) for f in GB_FIELDS + COUNT_FIELDS + DEVICE_FIELDS]
            + [p.cables_kg, ", ".join(p.actions)]
        )  # fmt: skip


FIGURES_SECONDS = 300  # a copy lives five minutes at most, as the dashboard's


def _pledges_scope(campaign_id):
    return f"cleanup-pledges-{campaign_id}"


def renew_figures(campaign_id):
    """The campaign's pledges changed: its pages compute their figures again (once)."""
    freshness.renew_scopes(_pledges_scope(campaign_id))


def page_figures(campaign, board_rows=None):
    """What the campaign's pages and its report show: totals, leaderboards (their first
    board_rows rows; None: all), the chart, the conversions and the factor set.

    Kept in the shared cache under the campaign's pledge version (renewed by each pledge
    written, moderated or deleted), the institution's version (teams, factor sets) and
    the language: the live page of a campus's morning reads them, it does not compute them
    per view. Right after a pledge, one view computes the new figures while the others
    show the previous ones (one pledge behind) rather than all computing at once."""
    language = translation.get_language()
    key = ":".join(str(p) for p in (
        "sobrio-cleanup-figures", campaign.pk, board_rows, language,
        freshness.version(_pledges_scope(campaign.pk)),
        freshness.version(campaign.institution_id), freshness.version(freshness.GLOBAL),
    ))  # fmt: skip
    figures = cache.get(key)
    if figures is not None:
        return figures
    last_key = f"sobrio-cleanup-figures-last:{campaign.pk}:{board_rows}:{language}"
    if not cache.add(f"{key}:computing", True, 10):  # another view computes this version
        last = cache.get(last_key)
        if last is not None:
            return last
    figures = _page_figures(campaign, board_rows)
    cache.set(key, figures, FIGURES_SECONDS)
    cache.set(last_key, figures, FIGURES_SECONDS)
    return figures


def _page_figures(campaign, board_rows):
    figures = totals(campaign)
    factor_set, table = factors(campaign)
    teams = leaderboard(campaign)
    return {
        "figures": figures,
        "teams_board": teams[:board_rows],
        "units_board": leaderboard(campaign, by="unit")[:board_rows],
        "chart": charts.bars([(r["name"], r["pledges"], None, None) for r in teams[:10]]),
        "conversions": conversions(campaign, figures, table),
        "gb_per_laptop": gb_per_device(table),
        "factor_set": factor_set,
    }


def next_national_week(on=None):
    """The coming national week (this year's until March is over, then next year's)."""
    on = on or today()
    return national_week(on.year + (on.month > 3))


def national_week(year):
    """The Digital Cleanup Day is the third Saturday of March; actions run that week
    (Monday to Sunday around it)."""
    first = datetime.date(year, 3, 1)
    saturday = first + datetime.timedelta(days=(5 - first.weekday()) % 7 + 14)
    return saturday - datetime.timedelta(days=5), saturday + datetime.timedelta(days=1)


def validate_dates(starts_on, ends_on):
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("La fin de la campagne précède son début."))
