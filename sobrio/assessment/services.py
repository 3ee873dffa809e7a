"""Writes and reads of assessment campaigns. Views, CLI and tasks all come through here.

A campaign is read through `campaign_data()`: live while it runs, and once closed the
snapshot taken at closing, so that nothing done later (a new referential version, an
edited member, a deleted unit) changes what a closed campaign says.
"""

import datetime
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sobrio.assessment import scores
from sobrio.assessment.models import Answer, Campaign, CampaignStatus, Evidence
from sobrio.core import freshness, perms
from sobrio.imports.limits import Limits
from sobrio.imports.problems import ImportFailure, Problem
from sobrio.imports.reading import read_table
from sobrio.referentials import scales
from sobrio.referentials.importers import natural_key


class CampaignClosed(ValidationError):
    def __init__(self):
        super().__init__(_("La campagne est clôturée : ses réponses ne changent plus."))


def _check_open(campaign):
    if campaign.is_closed:
        raise CampaignClosed


# --- create, assign, answer -------------------------------------------------------------


def campaign_create(
    *, institution, referential, name, scope="", starts_on=None, ends_on=None, working_group=()
):
    if referential.institution_id not in (None, institution.pk):
        raise ValidationError(_("Ce référentiel n'est pas disponible pour cet établissement."))
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("La fin précède le début.")})
    with transaction.atomic():
        campaign = Campaign.objects.create(
            institution=institution,
            referential=referential,
            name=name,
            scope=scope,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        campaign.working_group.set(working_group)
        Answer.objects.bulk_create(
            Answer(institution=institution, campaign=campaign, item=item)
            for item in referential.items.all()
        )
    return campaign


def answers_assign(*, campaign, answers, assignee=None, unit=None, due_on=None):
    """Give `answers` (a queryset of the campaign's) to a member and/or a unit."""
    _check_open(campaign)
    for target in (assignee, unit):
        if target is not None and target.institution_id != campaign.institution_id:
            raise ValidationError(_("Ce membre ou cette unité n'appartient pas à l'établissement."))
    with transaction.atomic():
        freshness.renew(campaign.institution_id)  # one UPDATE: no signal per answer
        return answers.filter(campaign=campaign).update(
            assignee=assignee, assigned_unit=unit, due_on=due_on, updated_at=timezone.now()
        )


def can_answer(membership, answer):
    """Officers and admins answer anything; a contributor, what is assigned to them."""
    if perms.has_capability(membership, perms.EDIT):
        return True
    if not perms.has_capability(membership, perms.CONTRIBUTE):
        return False
    if answer.assignee_id == membership.pk:
        return True
    return answer.assigned_unit_id is not None and perms.can_edit_unit_data(
        membership, answer.assigned_unit_id
    )


def answer_update(*, answer, membership, status, comment="", indicator_values=None):
    _check_open(answer.campaign)
    if not can_answer(membership, answer):
        raise PermissionDenied
    if scales.parse_status(answer.campaign.scale, status) is None:
        raise ValidationError({"status": _("Statut inconnu sur l'échelle de ce référentiel.")})
    answer.status = scales.parse_status(answer.campaign.scale, status).key
    answer.comment = comment
    if indicator_values is not None:
        answer.indicator_values = indicator_values
    answer.answered_at = timezone.now()
    answer.answered_by = membership.user
    with transaction.atomic():
        answer.save()
    return answer


def evidence_add(*, answer, membership, label="", url="", upload=None):
    _check_open(answer.campaign)
    if not can_answer(membership, answer):
        raise PermissionDenied
    if not url and upload is None:
        raise ValidationError(_("Indiquez un lien ou joignez un fichier."))
    evidence = Evidence(
        institution=answer.institution,
        answer=answer,
        label=label,
        url=url,
        added_by=membership.user,
    )
    if upload is not None:
        extension = PurePosixPath(upload.name.lower()).suffix.lstrip(".")
        if extension not in settings.EVIDENCE_EXTENSIONS:
            raise ValidationError(
                {
                    "upload": _("Type de fichier refusé (.%(ext)s). Types acceptés : %(list)s.")
                    % {"ext": extension, "list": ", ".join(settings.EVIDENCE_EXTENSIONS)}
                }
            )
        if upload.size > settings.EVIDENCE_MAX_BYTES:
            raise ValidationError(
                {
                    "upload": _("Fichier trop volumineux : %(max)s Mo au plus.")
                    % {"max": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}
                }
            )
        evidence.file = upload
        evidence.size = upload.size
        evidence.content_type = getattr(upload, "content_type", "") or ""
        evidence.label = label or upload.name[:200]
    with transaction.atomic():
        evidence.save()
    return evidence


def evidence_delete(*, evidence, membership):
    _check_open(evidence.answer.campaign)
    if not can_answer(membership, evidence.answer):
        raise PermissionDenied
    with transaction.atomic():
        if evidence.file:
            evidence.file.delete(save=False)
        evidence.delete()


# --- reading a campaign -----------------------------------------------------------------


def _live_answers(campaign):
    answers = (
        campaign.answers.select_related("item", "item__family", "assignee__user", "assigned_unit")
        .prefetch_related("evidence")
        .order_by("item__position")
    )
    scale = campaign.referential.scale
    rows = []
    for answer in answers:
        item = answer.item
        info = scales.status(scale, answer.status)
        rows.append(
            {
                "id": answer.pk,
                "code": item.code,
                "title": item.title,
                "family": item.family.code,
                "family_name": item.family.name,
                "priority": item.priority,
                "priority_rank": item.priority_rank,
                "weight": float(item.weight),
                "indicators": list(item.indicators),
                "status": answer.status,
                "status_label": info.label,
                "done": info.done,
                "applicable": info.applicable,
                "comment": answer.comment,
                "indicator_values": answer.indicator_values,
                "assignee_id": answer.assignee_id,
                "assignee": str(answer.assignee.user) if answer.assignee else "",
                "unit_id": answer.assigned_unit_id,
                "unit": answer.assigned_unit.name if answer.assigned_unit else "",
                "due_on": answer.due_on.isoformat() if answer.due_on else "",
                "evidence": [
                    {"label": str(e), "url": e.url, "file_id": e.pk if e.file else None}
                    for e in answer.evidence.all()
                ],
            }
        )
    return rows


def _build(campaign, answers):
    referential = campaign.referential
    families = list(referential.families.values("code", "name"))
    lines = [
        scores.Line(a["family"], a["weight"], a["status"], a["priority_rank"]) for a in answers
    ]
    return {
        "referential": {
            "id": referential.pk,
            "name": referential.name,
            "version": referential.version,
            "publisher": referential.publisher,
            "licence": referential.licence,
            "source_url": referential.source_url,
            "scale": referential.scale,
        },
        "families": families,
        "answers": answers,
        "results": scores.compute(lines, referential.scale),
    }


def campaign_data(campaign):
    if campaign.is_closed and campaign.snapshot:
        return campaign.snapshot
    return _build(campaign, _live_answers(campaign))


def campaign_close(*, campaign):
    _check_open(campaign)
    with transaction.atomic():
        campaign.snapshot = _build(campaign, _live_answers(campaign))
        campaign.snapshot["closed_at"] = timezone.now().isoformat()
        campaign.status = CampaignStatus.CLOSED
        campaign.closed_at = timezone.now()
        campaign.save()
    return campaign


def family_scores(data):
    """[(code, name, score)] in the referential's order, for tables and the radar."""
    results = data["results"]["families"]
    return [(f["code"], f["name"], results.get(f["code"])) for f in data["families"]]


@dataclass
class ComparedItem:
    code: str
    title: str
    before: str
    after: str
    before_done: bool
    after_done: bool
    before_value: float | None = None  # on the scale (0 to 1); None: not applicable
    after_value: float | None = None

    @property
    def changed(self):
        return self.before != self.after

    @property
    def trend(self):
        """Every move up the scale is progress and every move down a setback, not only a
        change to or from the top status."""
        if not self.changed:
            return "same"
        if self.before_value is not None and self.after_value is not None:
            if self.after_value > self.before_value:
                return "up"
            if self.after_value < self.before_value:
                return "down"
        return "changed"


def _scale_value(data, answer):
    if not answer:
        return None
    try:
        return scales.status(data["referential"]["scale"], answer["status"]).value
    except KeyError:
        return None


def compare(before, after):
    """Item by item (matched on code), and the score's evolution, of two campaigns."""
    old, new = campaign_data(before), campaign_data(after)
    old_by_code = {a["code"]: a for a in old["answers"]}
    new_by_code = {a["code"]: a for a in new["answers"]}
    codes = sorted(old_by_code.keys() | new_by_code.keys(), key=natural_key)
    items = []
    for code in codes:
        a, b = old_by_code.get(code), new_by_code.get(code)
        items.append(
            ComparedItem(
                code=code,
                title=(b or a)["title"],
                before=a["status_label"] if a else "—",
                after=b["status_label"] if b else "—",
                before_done=bool(a and a["done"]),
                after_done=bool(b and b["done"]),
                before_value=_scale_value(old, a),
                after_value=_scale_value(new, b),
            )
        )
    names = {f["code"]: f["name"] for f in old["families"]} | {
        f["code"]: f["name"] for f in new["families"]
    }
    # the later campaign's own order, as its synthesis radar draws them (not rotated)
    family_codes = [f["code"] for f in new["families"]] + [
        f["code"] for f in old["families"] if f["code"] not in {g["code"] for g in new["families"]}
    ]
    families = [
        (
            code,
            names[code],
            old["results"]["families"].get(code),
            new["results"]["families"].get(code),
        )
        for code in family_codes
    ]
    return {
        "before": old,
        "after": new,
        "score_before": old["results"]["score"],
        "score_after": new["results"]["score"],
        "families": families,
        "items": items,
    }


# --- answers imported from a spreadsheet ------------------------------------------------

CODE_HEADERS = {"code", "numero", "numéro", "id", "critere", "critère"}
STATUS_HEADERS = {"statut", "status", "etat", "état", "réponse", "reponse"}
COMMENT_HEADERS = {"commentaire", "comment", "commentaires", "remarque"}


MAX_ANSWER_ROWS = 5000


def _table_rows(data, filename):
    """Header and rows through the shared reader (bounded size, rows and columns)."""
    try:
        table = read_table(data, filename, Limits.from_settings(max_rows=MAX_ANSWER_ROWS))
        return table.header, list(table.rows())
    except ImportFailure as failure:
        raise ValidationError([str(p) for p in failure.problems]) from None


def answers_import(*, campaign, data, filename, membership=None):
    """Statuses and comments from a filled sheet (code, statut, commentaire): all or nothing.

    Returns the number of answers changed; raises ValidationError listing every problem
    as "ligne N, colonne C : raison". Without `membership` (the command line), the import
    acts for the institution as a whole.
    """
    _check_open(campaign)
    if membership is not None and not perms.has_capability(membership, perms.EDIT):
        raise PermissionDenied
    if not data.strip():
        raise ValidationError(_("%(file)s : le fichier est vide.") % {"file": filename})
    titles, rows = _table_rows(data, filename)
    header = [str(h or "").strip().lower() for h in titles]

    def column(names):
        return next((i for i, h in enumerate(header) if h in names), None)

    code_col, status_col, comment_col = (
        column(CODE_HEADERS),
        column(STATUS_HEADERS),
        column(COMMENT_HEADERS),
    )
    if code_col is None or status_col is None:
        raise ValidationError(
            _("%(file)s, ligne 1 : colonnes « code » et « statut » attendues (et « commentaire »).")
            % {"file": filename}
        )
    answers = {a.item.code: a for a in campaign.answers.select_related("item")}
    problems, changes, seen = [], [], set()
    for line, row in rows:
        cells = [str(c if c is not None else "").strip() for c in row]
        if not any(cells):
            continue

        def cell(index, cells=cells):
            return cells[index] if index is not None and index < len(cells) else ""

        code, status_text, comment = cell(code_col), cell(status_col), cell(comment_col)
        answer = answers.get(code)
        if answer is None:
            problems.append(
                Problem(
                    _("code inconnu dans ce référentiel : %s") % code, "", line, titles[code_col]
                )
            )
            continue
        if code in seen:
            problems.append(
                Problem(_("code %s déjà présent plus haut") % code, "", line, titles[code_col])
            )
            continue
        seen.add(code)
        status = scales.parse_status(campaign.scale, status_text)
        if status is None:
            labels = ", ".join(s.label for s in scales.statuses(campaign.scale))
            problems.append(
                Problem(
                    _("statut « %(s)s » inconnu ; attendu : %(l)s")
                    % {"s": status_text, "l": labels},
                    "",
                    line,
                    titles[status_col],
                )
            )
            continue
        if status.key != answer.status or (comment_col is not None and comment != answer.comment):
            changes.append(
                (answer, status.key, comment if comment_col is not None else answer.comment)
            )
    if problems:
        raise ValidationError([f"{filename}, {p}" for p in problems])
    now = timezone.now()
    with transaction.atomic():
        for answer, status, comment in changes:
            answer.status, answer.comment = status, comment
            answer.answered_at = now
            answer.answered_by = membership.user if membership is not None else None
            answer.save()
    return len(changes)


# --- reminders --------------------------------------------------------------------------


def declaration_publish(*, campaign, published):
    """Publish a frozen copy of the declaration (or withdraw it): published again, the copy
    is taken again; nothing written after publishing reaches the public page."""
    with transaction.atomic():
        campaign.declaration_published = bool(published)
        if published:
            campaign.declaration_snapshot = campaign_data(campaign)
            campaign.declaration_published_at = timezone.now()
        else:
            campaign.declaration_snapshot = {}
        campaign.save(
            update_fields=[
                "declaration_published",
                "declaration_snapshot",
                "declaration_published_at",
                "updated_at",
            ]
        )
    return campaign


def reminders_send(*, institution=None, campaign=None, today=None, days_ahead=7):
    """Email each assignee the open items due within `days_ahead` days or late.

    One email per person, listing their items; returns the number of emails sent.
    """
    today = today or timezone.localdate()
    limit = today + datetime.timedelta(days=days_ahead)
    pending = (
        Answer.objects.filter(
            campaign__status=CampaignStatus.OPEN,
            status=scales.DEFAULT_STATUS,
            due_on__isnull=False,
            due_on__lte=limit,
        )
        .select_related("item", "campaign", "assignee__user", "assigned_unit")
        .prefetch_related("assigned_unit__members__user")  # no query per unit in the loop
        .order_by("due_on")
    )
    if institution is not None:
        pending = pending.for_institution(institution)
    if campaign is not None:
        pending = pending.filter(campaign=campaign)
    by_person = {}
    for answer in pending:
        recipients = []
        if answer.assignee is not None:
            recipients.append(answer.assignee.user)
        elif answer.assigned_unit is not None:
            recipients.extend(
                m.user
                for m in answer.assigned_unit.members.all()
                if m.institution_id == answer.institution_id
            )
        for user in recipients:
            by_person.setdefault(user.email, []).append(answer)
    messages = []
    for email, answers in by_person.items():
        lines = [
            _("- %(code)s %(title)s (%(campaign)s), échéance le %(due)s")
            % {
                "code": a.item.code,
                "title": a.item.title[:100],
                "campaign": a.campaign.name,
                "due": a.due_on.strftime("%d/%m/%Y"),
            }
            for a in answers
        ]
        body = "\n".join(
            [
                _("Bonjour,"),
                "",
                _("Ces éléments d'autoévaluation vous attendent dans Sobrio :"),
                "",
                *lines,
                "",
                _("Répondez depuis la page « Mes éléments » de la rubrique Évaluer."),
            ]
        )
        subject = ngettext(
            "Sobrio : %(n)d élément d'autoévaluation à renseigner",
            "Sobrio : %(n)d éléments d'autoévaluation à renseigner",
            len(answers),
        ) % {"n": len(answers)}
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    if messages:
        send_mass_mail(messages, fail_silently=False)
        Answer.objects.filter(pk__in=[a.pk for a in pending]).update(reminded_at=timezone.now())
    return len(messages)
