"""Open Badges: the issuer, awarding (by rule when something happens, by hand, by a list
of addresses), revocation and expiry, and the checks a verification makes.

A badge is awarded once per person (an email address): the database's unique constraint
decides, so a rule firing twice at once, or a list naming someone who has it already,
awards nothing more. The earner is emailed once the award is committed."""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrio.badges import baking
from sobrio.badges import documents as ob
from sobrio.badges import keys as badge_keys
from sobrio.badges.models import BadgeAssertion, BadgeClass, BadgeIssuer, BadgeKey, BadgeRule
from sobrio.imports.limits import Limits
from sobrio.imports.problems import ImportFailure, Problem
from sobrio.imports.reading import read_table
from sobrio.imports.values import norm

MAX_LIST_ROWS = 5_000


def issuer_of(institution, create=True):
    """The institution's issuer profile (made from the institution the first time)."""
    issuer = BadgeIssuer.objects.filter(institution=institution).first()
    if issuer is None and create:
        issuer, _created = BadgeIssuer.objects.get_or_create(
            institution=institution,
            defaults={
                "name": institution.name,
                "email": settings.DEFAULT_FROM_EMAIL,
            },
        )
    return issuer


def image_png(badge):
    return bytes(badge.image_png) if badge.image_png else baking.default_png(badge.name)


def normal_email(email):
    email = (email or "").strip().lower()
    validate_email(email)
    return email


# --- awarding -------------------------------------------------------------------------------


class AwardRefused(Exception):
    pass


def award(badge, *, email, user=None, name="", evidence_url="", narrative="", by=None,
          source=BadgeRule.MANUAL, now=None):  # fmt: skip
    """(assertion, created): the person's assertion of this badge, made if they have none."""
    if badge.archived:
        raise AwardRefused(
            _("Le badge « %(b)s » est archivé : il n'est plus délivré.") % {"b": badge}
        )
    email = normal_email(email)
    existing = BadgeAssertion.objects.filter(badge=badge, email=email).first()
    if existing is not None:
        return existing, False
    if user is None:
        from sobrio.core.models import User

        user = User.objects.filter(email=email).first()
    issued = now or timezone.now()
    salt = secrets.token_hex(8)
    try:
        with transaction.atomic():
            issuer = BadgeIssuer.objects.select_for_update().get(pk=issuer_of(badge.institution).pk)
            last = BadgeAssertion.objects.filter(institution_id=issuer.institution_id).aggregate(
                n=Max("status_index")
            )["n"]
            assertion = BadgeAssertion.objects.create(
                institution_id=badge.institution_id,
                badge=badge,
                user=user,
                email=email,
                holder_name=(name or (user.full_name if user else ""))[:150],
                salt=salt,
                identity=ob.identity_hash(email, salt),
                issued_at=issued,
                expires_at=(
                    issued + datetime.timedelta(days=badge.valid_days) if badge.valid_days else None
                ),
                evidence_url=evidence_url[:500],
                narrative=narrative[:2000],
                source=source,
                awarded_by=by,
                status_index=0 if last is None else last + 1,
            )
    except IntegrityError:  # awarded at the same moment by another event
        return BadgeAssertion.objects.get(badge=badge, email=email), False
    transaction.on_commit(lambda: notify(assertion))
    return assertion, True


def notify(assertion):
    base = ob.base_url()
    verify = base + reverse("badge_verify", args=[assertion.uid])
    send_mail(
        _("Vous avez obtenu le badge « %(b)s »") % {"b": assertion.badge},
        "\n".join(
            [
                _("Bonjour,"),
                "",
                _("%(issuer)s vous a délivré le badge numérique « %(b)s ».")
                % {"issuer": issuer_of(assertion.institution).name, "b": assertion.badge},
                _("Sa page publique, à partager :"),
                verify,
                _(
                    "Vous pouvez télécharger l'image du badge (Open Badges 2.0 et 3.0) sur "
                    "cette page et l'ajouter à votre sac à badges (Canvas Credentials, Open "
                    "Badge Passport, Moodle)."
                ),
            ]
        ),  # fmt: skip
        settings.DEFAULT_FROM_EMAIL,
        [assertion.email],
    )


def revoke(assertion, reason, *, now=None):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Donnez le motif du retrait : il est public."))
    assertion.revoked_at = now or timezone.now()
    assertion.revocation_reason = reason[:300]
    assertion.save(update_fields=["revoked_at", "revocation_reason", "updated_at"])
    return assertion


def state(assertion, now=None):
    """'valid', 'revoked' or 'expired'."""
    if assertion.revoked_at:
        return "revoked"
    if assertion.expires_at and assertion.expires_at <= (now or timezone.now()):
        return "expired"
    return "valid"


STATES = {
    "valid": gettext_lazy("valide"),
    "revoked": gettext_lazy("retiré"),
    "expired": gettext_lazy("expiré"),
}


def filter_state(queryset, wanted, now=None):
    now = now or timezone.now()
    live = Q(expires_at=None) | Q(expires_at__gt=now)
    if wanted == "valid":
        return queryset.filter(live, revoked_at=None)
    if wanted == "revoked":
        return queryset.exclude(revoked_at=None)
    if wanted == "expired":
        return queryset.filter(revoked_at=None, expires_at__lte=now)
    return queryset


def revoked_indexes(issuer):
    return BadgeAssertion.objects.filter(
        institution_id=issuer.institution_id, revoked_at__isnull=False
    ).values_list("status_index", flat=True)


# --- a list of addresses ------------------------------------------------------------------

LIST_COLUMNS = {
    "email": "email",
    "courriel": "email",
    "adresse": "email",
    "adresse electronique": "email",
    "e mail": "email",
    "mail": "email",
    "nom": "name",
    "name": "name",
    "preuve": "evidence",
    "evidence": "evidence",
    "commentaire": "narrative",
    "narrative": "narrative",
}


def read_list(data, filename):
    """The rows of a list of earners (CSV, XLSX or ODS): [(line, email, name, evidence,
    narrative)], and the problems found, each with its line and column."""
    table = read_table(data, filename, Limits.from_settings(max_rows=MAX_LIST_ROWS, min_columns=1))
    header = [LIST_COLUMNS.get(norm(h).replace("-", " ")) for h in table.header]
    if "email" not in header:
        raise ImportFailure([Problem(_("colonne « email » manquante"), filename, 1)])
    columns = {field: table.header[i] for i, field in enumerate(header) if field}
    rows, problems, seen = [], [], {}
    check_url = URLValidator(schemes=["http", "https"])
    for line, cells in table.rows():
        raw = {
            f: (str(cells[i]).strip() if i < len(cells) and cells[i] is not None else "")
            for i, f in enumerate(header)
            if f
        }
        try:
            email = normal_email(raw["email"])
        except ValidationError:
            problems.append(
                Problem(
                    _("adresse invalide : « %(v)s »") % {"v": raw["email"][:80]},
                    filename,
                    line,
                    columns["email"],
                )  # fmt: skip
            )
            continue
        if email in seen:
            problems.append(
                Problem(
                    _("adresse déjà ligne %(n)s") % {"n": seen[email]},
                    filename,
                    line,
                    columns["email"],
                    warning=True,
                )  # fmt: skip
            )
            continue
        seen[email] = line
        evidence = raw.get("evidence", "")
        if evidence:
            try:
                check_url(evidence)
            except ValidationError:
                problems.append(
                    Problem(
                        _("la preuve doit être une adresse http(s)"),
                        filename,
                        line,
                        columns["evidence"],
                    )  # fmt: skip
                )
                continue
        rows.append((line, email, raw.get("name", ""), evidence, raw.get("narrative", "")))
    return rows, problems


@dataclass
class ListResult:
    awarded: int
    already: int


def award_list(badge, rows, *, by, narrative="", evidence_url=""):
    """Awards the badge to each row in one transaction; rows already holding it count as such."""
    awarded = already = 0
    with transaction.atomic():
        for _line, email, name, evidence, row_narrative in rows:
            _assertion, created = award(
                badge, email=email, name=name, evidence_url=evidence or evidence_url,
                narrative=row_narrative or narrative, by=by,
            )  # fmt: skip
            awarded += created
            already += not created
    return ListResult(awarded, already)


# --- rules: what awards a badge on its own ---------------------------------------------------


def _by_rule(institution_id, rule, **match):
    return BadgeClass.objects.filter(institution_id=institution_id, rule=rule, archived=False,
                                     **match)  # fmt: skip


def _award_user(badge, user, source, evidence_url=""):
    if user is None or not user.email:
        return None
    return award(badge, email=user.email, user=user, source=source, evidence_url=evidence_url)[0]


def after_quiz(attempt):
    from sobrio.learning import quizzes

    badges = _by_rule(attempt.institution_id, BadgeRule.QUIZ, quiz_id=attempt.quiz_id)
    if not badges:
        return
    grade = quizzes.grade_of(attempt.quiz, attempt.user)
    if grade is None:
        return
    for badge in badges:
        needed = attempt.quiz.pass_mark if badge.min_score is None else badge.min_score
        if 100 * grade >= needed:
            _award_user(badge, attempt.user, BadgeRule.QUIZ)


def after_module(validation):
    for badge in _by_rule(
        validation.institution_id, BadgeRule.MODULE, module_id=validation.module_id
    ):
        _award_user(badge, validation.user, BadgeRule.MODULE)


def after_certificate(certificate):
    base = ob.base_url()  # the certificate is the evidence, when its address can be absolute
    verify = base + reverse("certificate_verify", args=[certificate.code]) if base else ""
    for badge in _by_rule(certificate.institution_id, BadgeRule.PATH, path_id=certificate.path_id):
        _award_user(badge, certificate.user, BadgeRule.PATH, evidence_url=verify)


def after_attendance(registration):
    kind = registration.session.kind_id
    for badge in _by_rule(registration.institution_id, BadgeRule.WORKSHOP).filter(
        Q(workshop_kind_id=kind) | Q(workshop_kind=None)
    ):
        _award_user(badge, registration.user, BadgeRule.WORKSHOP)


def after_pledge(campaign, user):
    for badge in _by_rule(campaign.institution_id, BadgeRule.CLEANUP).filter(
        Q(campaign=campaign) | Q(campaign=None)
    ):
        _award_user(badge, user, BadgeRule.CLEANUP)


def after_idea(idea):
    for badge in _by_rule(idea.institution_id, BadgeRule.IDEA):
        _award_user(badge, idea.author, BadgeRule.IDEA)


def connect():
    from sobrio.cleanup import services as cleanup
    from sobrio.ideas import services as ideas
    from sobrio.learning import paths, quizzes, workshops

    for listeners, listener in (
        (quizzes.GRADED, after_quiz),
        (paths.VALIDATED, after_module),
        (paths.CERTIFIED, after_certificate),
        (workshops.ATTENDED, after_attendance),
        (cleanup.ACCEPTED, after_pledge),
        (ideas.ACCEPTED, after_idea),
    ):
        if listener not in listeners:
            listeners.append(listener)


# --- verification -------------------------------------------------------------------------


@dataclass
class Check:
    label: str
    ok: bool
    detail: str = ""


def checks_of(assertion, now=None):
    """What the verification page states about an assertion of this server."""
    now = now or timezone.now()
    issuer = issuer_of(assertion.institution)
    rows = [
        Check(_("Délivré par ce serveur Sobrio"), True, issuer.name),
        Check(
            _("Non retiré"),
            assertion.revoked_at is None,
            (
                _("retiré le %(d)s : %(r)s")
                % {"d": assertion.revoked_at.strftime("%d/%m/%Y"), "r": assertion.revocation_reason}
                if assertion.revoked_at
                else ""
            ),
        ),
        Check(
            _("Non expiré"),
            not assertion.expires_at or assertion.expires_at > now,
            (
                _("valable jusqu'au %(d)s") % {"d": assertion.expires_at.strftime("%d/%m/%Y")}
                if assertion.expires_at
                else _("sans date d'expiration")
            ),
        ),
    ]
    return rows


def key_for(kid):
    """The key (ours) a kid URL names, or None."""
    tail = (kid or "").rstrip("/").rsplit("/", 1)[-1]
    try:
        return BadgeKey.objects.select_related("issuer").filter(kid=tail).first()
    except ValidationError:
        return None


def assertion_for_url(value):
    """Our assertion named by an OB 2.0 URL (or JSON carrying one), or None."""
    import json
    import uuid

    text = value.strip()
    if text.startswith("{"):
        try:
            text = str(json.loads(text).get("id", ""))
        except (ValueError, AttributeError):
            return None
    tail = text.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    try:
        uid = uuid.UUID(tail)
    except ValueError:
        return None
    return BadgeAssertion.objects.select_related("badge", "institution").filter(uid=uid).first()


@dataclass
class Unbaked:
    version: str  # "2.0", "3.0" or ""
    assertion: BadgeAssertion | None
    checks: list
    problem: str = ""


def verify_baked(data, now=None):
    """What a dropped PNG holds and whether it verifies here. Never fetches another
    server: a badge from elsewhere is named, not checked."""
    try:
        found = baking.unbake_png(data)
    except baking.BadImage as error:
        return Unbaked("", None, [], str(error))
    if found is None:
        return Unbaked(
            "", None, [], _("Cette image ne contient pas de badge (aucune donnée Open Badges).")
        )
    keyword, text = found
    if keyword == baking.OB2:
        assertion = assertion_for_url(text)
        if assertion is None:
            return Unbaked("2.0", None, [], _("Ce badge n'a pas été délivré par ce serveur."))
        return Unbaked("2.0", assertion, checks_of(assertion, now))
    return _verify_jwt(text, now)


def _verify_jwt(token, now=None):
    import jwt  # when a badge is checked, not at start-up

    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        return Unbaked("3.0", None, [], _("Le badge 3.0 n'est pas un jeton JWT lisible."))
    key = key_for(header.get("kid"))
    if key is None:
        return Unbaked("3.0", None, [], _("Ce badge n'a pas été signé par ce serveur."))
    try:
        claims = jwt.decode(
            token, badge_keys.public_key(key), algorithms=[badge_keys.ALGORITHM],
            options={"verify_exp": False, "verify_nbf": False, "verify_aud": False},
        )  # fmt: skip
    except jwt.PyJWTError:
        return Unbaked("3.0", None, [Check(_("Signature valide"), False)])
    uid = str(claims.get("jti", "")).removeprefix("urn:uuid:")
    assertion = BadgeAssertion.objects.select_related("badge", "institution").filter(
        uid=uid, institution_id=key.institution_id
    ).first() if _is_uuid(uid) else None  # fmt: skip
    if assertion is None:
        return Unbaked("3.0", None, [Check(_("Signature valide"), True)],
                       _("La signature est bonne mais ce badge n'existe plus ici."))  # fmt: skip
    return Unbaked("3.0", assertion, [Check(_("Signature valide"), True, str(key.kid)),
                                      *checks_of(assertion, now)])  # fmt: skip


def _is_uuid(text):
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
