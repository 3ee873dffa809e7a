"""Réemploi: deciding an asset's path (one, many, or from a file), refurbishment and
sanitisation, redistribution campaigns, and the figures the rest of the loop reads (the
décret's reuse rate, devices by path, kg recycled, avoided impact, the waste register)."""

import datetime
import hashlib
import logging
import random
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrio.imports.limits import Limits
from sobrio.imports.problems import ImportFailure, Problem
from sobrio.imports.reading import load_json, read_table
from sobrio.imports.values import norm, parse_bool, parse_date, parse_decimal
from sobrio.inventory.enums import AssetStatus
from sobrio.inventory.models import Asset
from sobrio.reuse import law
from sobrio.reuse.models import (
    OUTSIDE_OK,
    Application,
    ApplicationState,
    BeneficiaryKind,
    Disposal,
    Refurbishment,
    ReusePath,
    ReuseSettings,
    Sanitisation,
    Selection,
)

logger = logging.getLogger(__name__)

# The décret's equipment: screens (2°) and small IT and telecom (6°) of R543-172 C. env.
RATE_CATEGORIES = {
    "laptop",
    "desktop",
    "workstation",
    "thin_client",
    "monitor",
    "tablet",
    "smartphone",
    "desk_phone",
    "printer",
    "peripheral",
}
NO_DATA_MEDIA = {"monitor", "peripheral", "projector"}  # nothing to wipe
MAX_ROWS = 20_000


def settings_for(institution):
    found = ReuseSettings.objects.filter(institution=institution).first()
    return found or ReuseSettings(institution=institution)


# --- deciding an asset's path ---------------------------------------------------------


def wiped_for_outside(asset):
    """A purge or destroy record exists (or the device holds no data)."""
    if asset.category in NO_DATA_MEDIA:
        return True
    return asset.sanitisations.filter(category__in=OUTSIDE_OK).exists()


def problems_of(asset, path, kind, unit_value, exception):
    """The reasons a decision cannot be recorded, as (text, source); the law's can be
    overridden by a justification, the sanitisation rule cannot."""
    found = []
    if not exception.strip():
        found += [(r.reason, r.source) for r in law.check(path, kind, unit_value)]
    if law.leaves(path) and not wiped_for_outside(asset):
        found.append(
            (
                _(
                    "Aucun effacement « purge » ou « destruction » enregistré : un appareil ne "
                    "sort pas de l'établissement sans."
                ),
                "NIST SP 800-88 rév. 2",
            )
        )
    return found


def _apply_to_asset(asset, disposal):
    if disposal.path == ReusePath.REASSIGNED:  # a second life inside: it keeps counting
        asset.status = AssetStatus.IN_SERVICE
        asset.retirement_date = None  # the footprint charges it on (reformed_on keeps the date)
        if disposal.unit_id:
            asset.unit_id = disposal.unit_id
    else:  # it leaves the stock: the footprint stops charging it at this date
        asset.status = AssetStatus.RETIRED
        asset.retirement_date = asset.retirement_date or disposal.decided_on
    asset.status_changed_on = disposal.decided_on
    asset.save(
        update_fields=["status", "unit", "retirement_date", "status_changed_on", "updated_at"]
    )


def decide(
    asset,
    path,
    *,
    on,
    by=None,
    beneficiary="",
    kind="",
    unit_value=None,
    unit=None,
    exception="",
    committed_reuse=False,
    excluded="",
    weight_kg=None,
    eco_organism="",
    eco_organism_siret="",
    waste_code="",
    document_ref="",
    document=None,
):
    problems = problems_of(asset, path, kind, unit_value, exception)
    if problems:
        raise ValidationError([f"{text} ({source})" for text, source in problems])
    with transaction.atomic():
        disposal = Disposal.objects.create(
            institution_id=asset.institution_id,
            asset=asset,
            path=path,
            decided_on=on,
            decided_by=by,
            reformed_on=asset.retirement_date or asset.status_changed_on,
            beneficiary=beneficiary[:200],
            beneficiary_kind=kind,
            unit=unit,
            unit_value=unit_value,
            exception=exception.strip(),
            committed_reuse=committed_reuse
            or path in (ReusePath.DONATION, ReusePath.SOLIDARITY_SALE),
            excluded=excluded,
            weight_kg=weight_kg,
            eco_organism=eco_organism,
            eco_organism_siret=eco_organism_siret,
            waste_code=waste_code,
            document_ref=document_ref,
            document=document or "",
        )
        _apply_to_asset(asset, disposal)
    _changed(asset.institution_id)
    return disposal


def _changed(institution_id):
    from sobrio.inventory import signals

    transaction.on_commit(lambda: signals.changed(institution_id, sender="reuse"))


def undecided(institution):
    """Retired assets whose path is not decided yet."""
    return (
        Asset.objects.for_institution(institution)
        .filter(status=AssetStatus.RETIRED, disposals__isnull=True)
        .order_by(F("retirement_date").desc(nulls_last=True), "inventory_number")  # latest first
    )


def refurbishable(institution):
    return undecided(institution).filter(refurbishment__isnull=True)


# --- a file of decisions ----------------------------------------------------------------

COLUMNS = {
    "numero d'inventaire": "inventory_number",
    "inventory number": "inventory_number",
    "destination": "path",
    "date": "date",
    "beneficiaire": "beneficiary",
    "beneficiary": "beneficiary",
    "type de beneficiaire": "kind",
    "beneficiary type": "kind",
    "valeur unitaire (€)": "unit_value",
    "valeur unitaire": "unit_value",
    "unit value (€)": "unit_value",
    "unit value": "unit_value",
    "derogation": "exception",
    "exception": "exception",
    "poids (kg)": "weight_kg",
    "weight (kg)": "weight_kg",
    "engagement de reemploi": "committed_reuse",
    "reuse commitment": "committed_reuse",
    "reference du justificatif": "document_ref",
    "justificatif": "document_ref",
    "proof reference": "document_ref",
}
COLUMNS = {norm(k): v for k, v in COLUMNS.items()}  # compared as norm() reads headers
REQUIRED = ("inventory_number", "path", "date")


def _choice(enum, text):
    """A code, or its French label, of a TextChoices."""
    wanted = norm(text)
    for value, label in enum.choices:
        if wanted in (norm(value), norm(label)):
            return value
    return None


def read_decisions(data, filename, institution):
    """([(line, asset, fields)], problems) for a CSV or XLSX of decisions."""
    table = read_table(data, filename, Limits.from_settings(max_rows=MAX_ROWS))
    header = [COLUMNS.get(norm(h)) for h in table.header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        names = {"inventory_number": "Numéro d'inventaire", "path": "Destination", "date": "Date"}
        raise ImportFailure(
            [
                Problem(
                    _("colonnes manquantes : %(c)s") % {"c": ", ".join(names[c] for c in missing)},
                    filename,
                    1,
                )
            ]
        )
    column = {field: table.header[i] for i, field in enumerate(header) if field}
    cells = []
    for line, row in table.rows():
        cells.append(
            (
                line,
                {
                    f: ("" if i >= len(row) or row[i] is None else row[i])
                    for i, f in enumerate(header)
                    if f
                },
            )
        )
    numbers = {str(raw["inventory_number"]).strip() for _line, raw in cells}
    assets = {
        a.inventory_number: a
        for a in Asset.objects.for_institution(institution).filter(inventory_number__in=numbers)
    }
    recorded = set(
        Disposal.objects.filter(asset__in=assets.values()).values_list(
            "asset_id", "path", "decided_on"
        )
    )  # a file sent twice records nothing twice
    rows, problems, seen = [], [], {}

    def bad(line, field, reason):
        problems.append(Problem(reason, filename, line, column.get(field, "")))

    for line, raw in cells:
        number = str(raw["inventory_number"]).strip()
        asset = assets.get(number)
        if asset is None:
            bad(
                line,
                "inventory_number",
                _("aucun équipement « %(n)s » dans l'inventaire") % {"n": number[:80]},
            )
            continue
        if number in seen:
            bad(
                line,
                "inventory_number",
                _("équipement déjà décidé ligne %(n)s") % {"n": seen[number]},
            )
            continue
        seen[number] = line
        fields, ok = {}, True
        path = _choice(ReusePath, raw["path"])
        if path is None:
            bad(
                line,
                "path",
                _(
                    "destination inconnue : « %(v)s » (reassigned, donation, "
                    "solidarity_sale, domain_sale, takeback_reuse, recycling)"
                )
                % {"v": str(raw["path"])[:60]},
            )
            ok = False
        kind = ""
        if str(raw.get("kind", "")).strip():
            kind = _choice(BeneficiaryKind, raw["kind"])
            if kind is None:
                bad(
                    line,
                    "kind",
                    _("type de bénéficiaire inconnu : « %(v)s »") % {"v": str(raw["kind"])[:60]},
                )
                ok = False
        try:
            fields["on"] = parse_date(raw["date"])
        except ValueError as error:
            bad(line, "date", str(error))
            ok = False
        for field in ("unit_value", "weight_kg"):
            value = str(raw.get(field, "")).strip()
            if value:
                try:
                    number_value = Decimal(str(parse_decimal(value))).quantize(Decimal("0.01"))
                    if number_value < 0:
                        raise ValueError(_("nombre positif attendu"))
                    fields[field] = number_value
                except (ValueError, ArithmeticError) as error:
                    bad(line, field, str(error))
                    ok = False
        committed = str(raw.get("committed_reuse", "")).strip()
        reference = str(raw.get("document_ref", "")).strip()[:200]
        try:
            fields["committed_reuse"] = parse_bool(committed) if committed else False
        except ValueError as error:
            bad(line, "committed_reuse", str(error))
            ok = False
        if fields.get("committed_reuse") and not reference:
            bad(
                line,
                "document_ref",
                _("un engagement de réemploi se prouve : la référence du justificatif manque"),
            )
            ok = False
        if not ok:
            continue
        if (asset.pk, path, fields["on"]) in recorded:
            bad(
                line,
                "inventory_number",
                _("décision déjà enregistrée pour cet équipement à cette date"),
            )
            continue
        exception = str(raw.get("exception", "")).strip()
        for text, source in problems_of(asset, path, kind, fields.get("unit_value"), exception):
            field = "unit_value" if "€" in text else "kind" if kind else "path"
            bad(line, field, f"{text} ({source}) — " + _("ou une justification en « Dérogation »"))
            ok = False
        if ok:
            fields.update(
                path=path,
                kind=kind,
                beneficiary=str(raw.get("beneficiary", "")).strip(),
                exception=exception,
                document_ref=reference,
            )
            rows.append((line, asset, fields))
    return rows, problems


def import_decisions(data, filename, institution, *, by=None, valid_only=False):
    """All the file's decisions, or none (unless valid_only): (count, problems left out)."""
    rows, problems = read_decisions(data, filename, institution)
    if problems and not valid_only:
        raise ImportFailure(problems)
    with transaction.atomic():
        for _line, asset, fields in rows:
            path = fields.pop("path")
            decide(asset, path, by=by, **fields)
    return len(rows), problems


# --- refurbishment ----------------------------------------------------------------------


def add_to_batch(batch, assets):
    added = 0
    for asset in assets:
        _obj, created = Refurbishment.objects.get_or_create(
            asset=asset, defaults={"institution_id": batch.institution_id, "batch": batch}
        )
        added += created
    return added


REPORT_FIELDS = {
    "serial": "serial",
    "serial number": "serial",
    "serialnumber": "serial",
    "numero de serie": "serial",
    "device serial": "serial",
    "method": "method",
    "methode": "method",
    "erasure method": "method",
    "tool": "tool",
    "outil": "tool",
    "software": "tool",
    "version": "tool_version",
    "tool version": "tool_version",
    "category": "category",
    "categorie": "category",
    "nist": "category",
    "verification": "verification",
    "result": "verification",
    "resultat": "verification",
    "date": "date",
    "operator": "done_by",
    "operateur": "done_by",
    "media": "media",
    "disk": "media",
}


REPORT_FIELDS = {norm(k): v for k, v in REPORT_FIELDS.items()}


def _report_rows(data, filename):
    if filename.lower().endswith(".json"):
        from sobrio.imports.reading import decode_text

        loaded = load_json(decode_text(data, filename), filename)
        items = loaded.get("devices", [loaded]) if isinstance(loaded, dict) else loaded
        if not isinstance(items, list):
            raise ImportFailure(
                [
                    Problem(
                        _("un objet par appareil, ou une liste « devices », est attendu"), filename
                    )
                ]
            )
        for index, item in enumerate(items, start=1):
            if isinstance(item, dict):
                yield index, {REPORT_FIELDS.get(norm(k)): v for k, v in item.items()}
        return
    table = read_table(data, filename, Limits.from_settings(max_rows=MAX_ROWS))
    header = [REPORT_FIELDS.get(norm(h)) for h in table.header]
    for line, row in table.rows():
        yield line, {f: row[i] for i, f in enumerate(header) if f and i < len(row)}


def read_wipe_report(batch, data, filename, *, done_by=""):
    """Sanitisation records from a wiping tool's report (CSV or JSON, per device or per
    batch), matched to the batch's devices by serial number: (records, problems)."""
    by_serial = {
        r.asset.serial_number.strip().lower(): r.asset
        for r in batch.devices.select_related("asset")
        if r.asset.serial_number
    }
    return _wipe_records(
        by_serial,
        batch.institution_id,
        data,
        filename,
        done_by,
        _("numéro de série « %(s)s » absent du lot"),
    )


def read_wipes(institution, data, filename, *, done_by=""):
    """A report that arrives after the devices left (a refurbisher's certificates, say),
    matched by serial to any asset of the institution: (records, problems). A serial that
    two assets share names neither."""
    by_serial, shared = {}, set()
    for asset in Asset.objects.for_institution(institution).exclude(serial_number=""):
        serial = asset.serial_number.strip().lower()
        if serial in by_serial:
            shared.add(serial)
        by_serial[serial] = asset
    for serial in shared:
        by_serial[serial] = None
    return _wipe_records(
        by_serial, institution.pk, data, filename, done_by,
        _("numéro de série « %(s)s » inconnu de l'inventaire (ou porté par deux équipements)"),
    )  # fmt: skip


def import_wipes(institution, data, filename, *, done_by=""):
    """All the report's records, or none: their count."""
    records, problems = read_wipes(institution, data, filename, done_by=done_by)
    if problems:
        raise ImportFailure(problems)
    if not records:
        raise ImportFailure([Problem(_("aucun appareil dans ce rapport"), filename)])
    with transaction.atomic():
        Sanitisation.objects.bulk_create(records)
    return len(records)


def _wipe_records(by_serial, institution_id, data, filename, done_by, unknown):
    records, problems = [], []
    for line, row in _report_rows(data, filename):
        serial = str(row.get("serial") or "").strip().lower()
        asset = by_serial.get(serial)
        if asset is None:
            problems.append(Problem(unknown % {"s": serial[:60]}, filename, line, "serial"))
            continue
        category = _choice_category(row.get("category"), row.get("method"))
        try:
            on = parse_date(row["date"]) if row.get("date") else timezone.localdate()
        except ValueError as error:
            problems.append(Problem(str(error), filename, line, "date"))
            continue
        records.append(
            Sanitisation(
                institution_id=institution_id,
                asset=asset,
                category=category,
                method=str(row.get("method") or "")[:120] or _("non précisée"),
                tool=str(row.get("tool") or "")[:120] or _("non précisé"),
                tool_version=str(row.get("tool_version") or "")[:40],
                media=str(row.get("media") or "")[:200],
                verification=str(row.get("verification") or "")[:200] or _("non précisée"),
                done_by=(str(row.get("done_by") or "") or done_by)[:150],
                done_on=on,
                report={k: str(v)[:200] for k, v in row.items() if k},
            )
        )
    return records, problems


def _choice_category(category, method):
    text = norm(f"{category or ''} {method or ''}")
    if "destroy" in text or "destruction" in text or "shred" in text and "disk" in text:
        return "destroy"
    if any(w in text for w in ("purge", "secure erase", "sanitize", "crypto", "nvme format")):
        return "purge"
    return "clear"


# --- redistribution campaigns --------------------------------------------------------------


def new_seed():
    return secrets.token_hex(8)


def is_open(campaign, on=None):
    on = on or timezone.localdate()
    return campaign.opens_on <= on <= campaign.closes_on and campaign.drawn_at is None


def allowed_kinds(campaign):
    """The campaign's eligible kinds the law allows a donation to (students as
    individuals never: through an association)."""
    return [k for k in campaign.eligible if not law.check(ReusePath.DONATION, k)]


def apply(campaign, user, *, kind, need, organisation="", no_device=False):
    if not is_open(campaign):
        raise ValidationError(_("Les demandes de cette campagne sont closes."))
    if kind not in allowed_kinds(campaign):
        raise ValidationError(_("Cette campagne n'est pas ouverte à ce type de demande."))
    if kind != BeneficiaryKind.STAFF and not organisation.strip():
        raise ValidationError(_("Donnez le nom de l'association."))
    application, created = Application.objects.get_or_create(
        campaign=campaign,
        user=user,
        defaults={
            "institution_id": campaign.institution_id,
            "kind": kind,
            "need": need[:300],
            "organisation": organisation[:200],
            "no_device": no_device,
        },
    )
    if not created:
        raise ValidationError(_("Vous avez déjà fait une demande pour cette campagne."))
    return application


def draw_order(seed, application_ids):
    """The draw: application ids in the order a generator seeded by the published seed
    gives. Anyone with the seed and the ids (sorted) finds the same order."""
    ids = sorted(application_ids)
    rng = random.Random(int(hashlib.sha256(seed.encode()).hexdigest(), 16))  # noqa: S311
    rng.shuffle(ids)
    return ids


@transaction.atomic
def draw(campaign, places=None):
    """Ranks every submitted application (priority first, when the campaign says so) and
    selects as many as there are devices offered; the rest wait."""
    pending = list(campaign.applications.filter(state=ApplicationState.SUBMITTED))
    order = {pk: i for i, pk in enumerate(draw_order(campaign.seed, [a.pk for a in pending]))}
    if campaign.selection == Selection.PRIORITY:
        pending.sort(key=lambda a: (not a.no_device, order[a.pk]))
    else:
        pending.sort(key=lambda a: order[a.pk])
    places = len(available_devices(campaign)) if places is None else places
    for rank, application in enumerate(pending, start=1):
        application.rank = rank
        application.state = (
            ApplicationState.SELECTED if rank <= places else ApplicationState.WAITING
        )
        application.save(update_fields=["rank", "state", "updated_at"])
    campaign.drawn_at = timezone.now()
    campaign.save(update_fields=["drawn_at", "updated_at"])
    return pending


def available_devices(campaign):
    """Refurbished, graded, purged devices of the institution, not yet given or promised."""
    return (
        Asset.objects.for_institution(campaign.institution)
        .filter(refurbishment__isnull=False, application__isnull=True)
        .exclude(refurbishment__grade="")
        .filter(Q(sanitisations__category__in=OUTSIDE_OK) | Q(category__in=NO_DATA_MEDIA))
        .exclude(disposals__path__in=law.OUTSIDE)
        .distinct()
        .select_related("refurbishment")
        .order_by("refurbishment__grade", "inventory_number")
    )


def allocate(application, asset):
    if application.state not in (ApplicationState.SELECTED, ApplicationState.ALLOCATED):
        raise ValidationError(_("Seule une demande retenue reçoit un appareil."))
    if (
        not available_devices(application.campaign).filter(pk=asset.pk).exists()
        and application.device_id != asset.pk
    ):
        raise ValidationError(
            _("Cet appareil n'est pas disponible (reconditionné, gradé, effacé).")
        )
    application.device = asset
    application.state = ApplicationState.ALLOCATED
    application.save(update_fields=["device", "state", "updated_at"])
    return application


def beneficiary_name(application):
    if application.organisation:
        return application.organisation
    return application.user.full_name or application.user.email


def hand_over(application, *, signed_by, on=None, by=None):
    """The device is given: the signed agreement is recorded as a donation."""
    if application.state != ApplicationState.ALLOCATED or application.device is None:
        raise ValidationError(_("Attribuez d'abord un appareil à cette demande."))
    if not signed_by.strip():
        raise ValidationError(_("Qui a signé la convention à la remise ?"))
    on = on or timezone.localdate()
    with transaction.atomic():
        decide(
            application.device,
            ReusePath.DONATION,
            on=on,
            by=by,
            beneficiary=beneficiary_name(application),
            kind=application.kind,
            document_ref=_("Convention de don n° %(n)s") % {"n": agreement_number(application)},
        )
        application.state = ApplicationState.HANDED_OVER
        application.handed_over_on = on
        application.signed_by = signed_by.strip()[:150]
        application.save(update_fields=["state", "handed_over_on", "signed_by", "updated_at"])
    return application


def agreement_number(application):
    return f"{application.campaign_id}-{application.pk}"


def purge_expired(now=None):
    """Applications of campaigns closed longer than their retention period go. One
    campaign's failure is logged and never stops the others (of any institution)."""
    from sobrio.reuse.models import RETENTION_MAX_DAYS, RedistributionCampaign

    today = (now or timezone.now()).date()
    deleted = 0
    for campaign in Application.objects.values_list("campaign", flat=True).distinct():
        try:
            c = RedistributionCampaign.objects.get(pk=campaign)
            days = min(
                max(int(c.retention_days), 1), RETENTION_MAX_DAYS
            )  # rows older than the bound
            if c.closes_on + datetime.timedelta(days=days) < today:
                with transaction.atomic():
                    deleted += c.applications.exclude(state=ApplicationState.HANDED_OVER).delete()[
                        0
                    ]
        except Exception:  # noqa: BLE001 - the next campaigns must still be purged
            logger.exception("reuse purge: campaign %s skipped", campaign)
    return deleted


# --- the figures -------------------------------------------------------------------------


def _over_ten_years(asset, reformed_on):
    """Over ten years old when reformed: after the tenth anniversary of its start, not on
    it (a 29 February start has its anniversary on the 28th)."""
    start = asset.commissioning_date or asset.purchase_date
    if not (start and reformed_on):
        return False
    try:
        tenth = start.replace(year=start.year + 10)
    except ValueError:
        tenth = start.replace(year=start.year + 10, day=28)
    return reformed_on > tenth


def rate(institution, year):
    """The décret 2023-266 reuse rate: items sent to reuse or re-use in `year` (given,
    sold, taken back: law.RATE_PATHS, not an internal reassignment) over the reformed items
    in stock on 1 January, both without the exclusions (over ten years old when reformed,
    classified information, security obligations); sales and take-backs count only with
    the taker's proven commitment to reuse."""
    jan1 = datetime.date(year, 1, 1)
    assets = Asset.objects.for_institution(institution).filter(category__in=RATE_CATEGORIES)
    flagged = set(
        Disposal.objects.for_institution(institution)
        .exclude(excluded="")
        .values_list("asset_id", flat=True)
    )
    # In stock on 1 January: reformed before it (its retirement date, when its status
    # changed, or the date its decision kept: a reassigned asset is back in service) and
    # no decision taken before it.
    stock = (
        assets.filter(
            Q(status=AssetStatus.RETIRED, retirement_date__lt=jan1)
            | Q(status=AssetStatus.RETIRED, retirement_date=None, status_changed_on__lt=jan1)
            | Q(disposals__reformed_on__lt=jan1, disposals__decided_on__gte=jan1)
        )
        .exclude(disposals__decided_on__lt=jan1)
        .distinct()
    )
    kept = dict(
        Disposal.objects.filter(asset__in=stock)
        .exclude(reformed_on=None)
        .values_list("asset_id", "reformed_on")
    )
    reused = (
        Disposal.objects.for_institution(institution)
        .filter(decided_on__year=year, path__in=law.RATE_PATHS, asset__category__in=RATE_CATEGORIES)
        .filter(Q(committed_reuse=True) | ~Q(path__in=law.NEEDS_COMMITMENT))
        .select_related("asset")
    )
    excluded, in_stock, sent = {}, 0, {}  # items: an asset row may stand for several
    for asset in stock:
        reformed = asset.retirement_date or kept.get(asset.pk) or asset.status_changed_on
        if asset.pk in flagged or _over_ten_years(asset, reformed):
            excluded[asset.pk] = asset.quantity
        else:
            in_stock += asset.quantity
    for disposal in reused:
        asset = disposal.asset
        reformed = disposal.reformed_on or asset.retirement_date or disposal.decided_on
        if asset.pk in flagged or _over_ten_years(asset, reformed):
            excluded[asset.pk] = asset.quantity
        else:
            sent[asset.pk] = asset.quantity
    reused_items = sum(sent.values())
    return {
        "reformed_stock_jan1": in_stock,
        "reused": reused_items,
        "excluded": sum(excluded.values()),
        "rate": round(100 * reused_items / in_stock, 1) if in_stock else None,
    }


def reassigned(institution, year):
    """Items of the rate's categories reassigned inside the institution in `year`: shown
    beside the rate, never in it (law.RATE_PATHS)."""
    return (
        Disposal.objects.for_institution(institution)
        .filter(
            decided_on__year=year,
            path=ReusePath.REASSIGNED,
            asset__category__in=RATE_CATEGORIES,
        )
        .aggregate(n=Sum("asset__quantity"))["n"]
        or 0
    )


def by_path(institution, year):
    rows = (
        Disposal.objects.for_institution(institution)
        .filter(decided_on__year=year)
        .values("path")
        .annotate(n=Sum("asset__quantity"), kg=Sum("weight_kg"))
    )
    found = {r["path"]: r for r in rows}
    return [
        (code, label, found.get(code, {}).get("n", 0), found.get(code, {}).get("kg"))
        for code, label in ReusePath.choices
    ]


def kg_recycled(institution, year):
    total = (
        Disposal.objects.for_institution(institution)
        .filter(decided_on__year=year, path=ReusePath.RECYCLING)
        .aggregate(kg=Sum("weight_kg"))["kg"]
    )
    return float(total or 0)


def avoided(institution, year):
    """Avoided impact of the devices given a second life outside in `year`: per-year
    factor × years of second use × the substitution rate the officer set (none without
    it). Devices of a category without a factor are counted apart, never guessed."""
    from sobrio.reuse import factors

    settings = settings_for(institution)
    factor_set = settings.factor_set or factors.ensure_factor_set()
    table = {f.category: f for f in factor_set.factors.filter(criterion="gwp")}
    given = (
        Disposal.objects.for_institution(institution)
        .filter(decided_on__year=year, path__in=law.OUTSIDE)
        .filter(Q(committed_reuse=True) | ~Q(path__in=law.NEEDS_COMMITMENT))
    )
    counts = dict(given.values_list("asset__category").annotate(n=Sum("asset__quantity")))
    result = {
        "set": factor_set,
        "counts": counts,
        "without_factor": 0,
        "value": None,
        "min": None,
        "max": None,
        "years": settings.second_life_years,
        "substitution": settings.substitution_percent,
    }
    result["without_factor"] = sum(n for c, n in counts.items() if c not in table)
    if settings.substitution_percent is None:
        return result
    share = float(settings.second_life_years) * settings.substitution_percent / 100
    low = high = value = 0.0
    for category, n in counts.items():
        factor = table.get(category)
        if factor is not None:
            value += n * factor.value * share
            low += n * factor.min * share
            high += n * factor.max * share
    result.update(value=value, min=low, max=high)
    return result


# --- the waste register ------------------------------------------------------------------

REGISTER_HEADER = [
    "Motif de la déclaration",
    "Identifiant unique",
    "SIRET du déclarant",
    "SIRET de l'expéditeur ou détenteur",
    "Nom du site d'enlèvement",
    "Adresse du site d'enlèvement",
    "Code postal du site d'enlèvement",
    "Commune du site d'enlèvement",
    "Pays du site d'enlèvement",
    "Dénomination du déchet",
    "Code déchet",
    "Code Bâle",
    "POP",
    "Déchet dangereux",
    "Date d'expédition",
    "Quantité (t)",
    "Type de quantité",
    "Volume (m³)",
    "Producteur initial",
    "Type de destination",
    "Identifiant de la destination",
    "Nom de la destination",
    "Adresse de la destination",
    "Code de traitement prévu",
    "Mode de traitement prévu",
    "SIRET de l'éco-organisme",
    "Nom de l'éco-organisme",
    "Courtier",
    "Négociant",
    "Mode de transport",
    "Identifiant du transporteur",
    "Nom du transporteur",
    "Adresse du transporteur",
    "Récépissé du transporteur",
    "Nombre d'équipements",
    "Pièce (BSD)",
]
HAZARDOUS_SUFFIX = "*"


def register_rows(institution, year):
    """One row per shipment (same date, eco-organism and document): recycling and
    take-backs of the year, with the eco-organism's identifiers."""
    settings = settings_for(institution)
    shipments = (
        Disposal.objects.for_institution(institution)
        .filter(decided_on__year=year, path__in=[ReusePath.RECYCLING, ReusePath.TAKEBACK_REUSE])
        .values(
            "decided_on",
            "eco_organism",
            "eco_organism_siret",
            "document_ref",
            "waste_code",
            "path",
            "beneficiary",
        )
        .annotate(n=Sum("asset__quantity"), kg=Sum("weight_kg"))
        .order_by("decided_on", "eco_organism", "document_ref")
    )
    siret = institution.national_identifier
    for s in shipments:
        code = s["waste_code"] or "16 02 14"
        yield [
            _("Réemploi") if s["path"] == ReusePath.TAKEBACK_REUSE else _("Traitement"),
            f"{institution.slug}-{s['decided_on']:%Y%m%d}-{norm(s['eco_organism'] or 'x')[:20]}-"
            f"{norm(s['document_ref'] or '')[:20]}".replace(" ", "_").rstrip("-"),
            siret,
            siret,
            settings.site_name or institution.name,
            settings.site_address,
            settings.site_postcode,
            settings.site_city,
            "FR",
            _("Équipements électriques et électroniques mis au rebut"),
            code,
            "",
            "non",
            "oui" if code.endswith(HAZARDOUS_SUFFIX) else "non",
            s["decided_on"].isoformat(),
            f"{(Decimal(s['kg'] or 0) / 1000).quantize(Decimal('0.001'), ROUND_HALF_UP)}".replace(
                ".", ","
            ),
            "ESTIME" if s["kg"] is None else "REEL",
            "",
            institution.name,
            "ECO_ORGANISME" if s["eco_organism"] else "",
            s["eco_organism_siret"],
            s["eco_organism"] or s["beneficiary"],
            "",
            "R4" if s["path"] == ReusePath.RECYCLING else "R3",
            _("Réemploi") if s["path"] == ReusePath.TAKEBACK_REUSE else _("Recyclage"),
            s["eco_organism_siret"],
            s["eco_organism"],
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            s["n"],
            s["document_ref"],
        ]


# --- the asset's story ---------------------------------------------------------------------


def story(asset):
    """(date, text) rows of an asset's second life, oldest first."""
    rows = []
    disposals = list(asset.disposals.all())
    kept = next((d.reformed_on for d in disposals if d.reformed_on), None)
    reformed = asset.retirement_date or kept
    if reformed:
        rows.append((reformed, _("Réformé : fin de la première vie")))
    for d in disposals:
        text = d.get_path_display()
        if d.beneficiary:
            text += f" — {d.beneficiary}"
        if d.document_ref:
            text += f" ({d.document_ref})"
        if d.exception:
            text += " — " + _("dérogation : %(j)s") % {"j": d.exception}
        rows.append((d.decided_on, text))
    try:
        refurbishment = asset.refurbishment
    except Refurbishment.DoesNotExist:
        refurbishment = None
    if refurbishment is not None:
        text = _("Reconditionnement, lot « %(b)s »") % {"b": refurbishment.batch}
        if refurbishment.grade:
            text += " — " + _("grade %(g)s") % {"g": refurbishment.grade}
        if refurbishment.operating_system:
            text += f" — {refurbishment.operating_system}"
        rows.append((refurbishment.batch.opened_on, text))
    for s in asset.sanitisations.all():
        rows.append(
            (
                s.done_on,
                _("Effacement %(c)s : %(m)s, %(t)s %(v)s, vérifié : %(ver)s (%(who)s)")
                % {
                    "c": s.get_category_display(),
                    "m": s.method,
                    "t": s.tool,
                    "v": s.tool_version,
                    "ver": s.verification,
                    "who": s.done_by,
                },
            )
        )
    application = (
        Application.objects.filter(device=asset).select_related("campaign", "user").first()
    )
    if application is not None:
        rows.append(
            (
                application.handed_over_on or application.updated_at.date(),
                _("Campagne « %(c)s » : %(s)s — %(b)s")
                % {
                    "c": application.campaign,
                    "s": application.get_state_display(),
                    "b": beneficiary_name(application),
                },
            )
        )
    return sorted(rows, key=lambda r: r[0])
