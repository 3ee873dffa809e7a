"""Réseau: membership (invitation, acceptance, what is shared, withdrawal), the benchmark
of each figure under statistical secrecy, shared actions, and signed exchange of figures
between servers (Ed25519)."""

import base64
import datetime
import json
import uuid

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from sobrio.core import freshness, sealing
from sobrio.imports.problems import ImportFailure
from sobrio.imports.reading import load_json
from sobrio.network import figures, stats
from sobrio.network.models import (
    GROUPS,
    InstitutionKey,
    MemberState,
    Network,
    NetworkMember,
    ReceivedExport,
    SharedAction,
    SharedValue,
)

PURPOSE = "sobrio network keys"
GROUP_CODES = [code for code, _label in GROUPS]
REASONS = {
    "fewer_than_3": _("moins de 3 établissements partagent ce chiffre (secret statistique)"),
    "dominant": _(
        "un établissement fait plus de 85 % du total : ni le total, ni ce qui permettrait de "
        "le retrouver (valeurs, étendue, quartiles) n'est montré, seulement la médiane "
        "(secret statistique)"
    ),
}


# --- membership ----------------------------------------------------------------------------


def create(slug, name, description=""):
    return Network.objects.create(slug=slug, name=name, description=description)


def invite(network, institution, remote=False):
    member, created = NetworkMember.objects.get_or_create(
        network=network, institution=institution, defaults={"remote": remote}
    )
    if not created and member.state == MemberState.WITHDRAWN:
        member.state = MemberState.INVITED
        member.save(update_fields=["state"])
    return member


def accept(member):
    member.state = MemberState.MEMBER
    member.joined_at = timezone.now()
    member.withdrawn_at = None
    member.save(update_fields=["state", "joined_at", "withdrawn_at"])
    return member


def share(member, groups, anonymous=False):
    unknown = sorted(set(groups) - set(GROUP_CODES))
    if unknown:
        raise ValidationError(_("Chiffres inconnus : %(f)s") % {"f": ", ".join(unknown)})
    member.figures = [g for g in GROUP_CODES if g in groups]
    member.anonymous = anonymous
    member.save(update_fields=["figures", "anonymous"])
    return member


def withdraw(member):
    """Sharing stops at once: nothing of the member is read, its received values go."""
    member.state = MemberState.WITHDRAWN
    member.withdrawn_at = timezone.now()
    member.figures = []
    member.save(update_fields=["state", "withdrawn_at", "figures"])
    member.values.all().delete()
    member.actions.all().delete()
    return member


def active(network):
    return network.members.filter(state=MemberState.MEMBER).select_related("institution")


# --- values and benchmark ------------------------------------------------------------------


FIGURE_SECONDS = 24 * 3600


def member_figure(institution, code, year):
    """figures.compute(), kept in the shared cache under the institution's data version
    (core/freshness.py): a network of seventy reads its members' figures, it does not
    compute them again at each visit; a change of one member renews that member's only."""
    key = ":".join(str(p) for p in (
        "sobrio-network-figure", institution.pk, code, year,
        freshness.version(institution.pk), freshness.version(freshness.GLOBAL),
    ))  # fmt: skip
    rows = cache.get(key)
    if rows is None:
        rows = figures.compute(institution, code, year)
        cache.set(key, rows, FIGURE_SECONDS)
    return rows


def warm_figures(today=None):
    """A chore of the cluster (every ten minutes): each local member's shared figures for
    the years the network's pages show, computed into the cache when its data changed —
    so that the first visit of a network of seventy reads them instead of computing them.
    A member whose figures are kept costs a cache read."""
    this = (today or TODAY()).year
    computed = 0
    for member in NetworkMember.objects.filter(
        state=MemberState.MEMBER, remote=False
    ).select_related("institution"):
        for code, (group, *_rest) in figures.FIGURES.items():
            if group not in member.figures:
                continue
            years = years_around(this) if code.startswith("footprint") else [this]
            for year in years:
                member_figure(member.institution, code, year)
                computed += 1
    return computed


def values(network, code, year):
    """[(member, referential, value, basis)] of the members sharing this figure."""
    group = figures.FIGURES[code][0]
    members = [m for m in active(network) if group in m.figures]
    received = {}
    for value in SharedValue.objects.filter(
        member__in=[m for m in members if m.remote], figure=code, year=year
    ):  # one query for every remote member
        received.setdefault(value.member_id, []).append((value.referential, value.value,
                                                         value.basis))  # fmt: skip
    out = []
    for member in members:
        if member.remote:
            rows = received.get(member.pk, [])
        else:
            rows = member_figure(member.institution, code, year)
        out += [(member, ref, value, basis) for ref, value, basis in rows if value is not None]
    return out


def _basis_key(basis):
    return json.dumps(basis, sort_keys=True)


def benchmark(network, code, year, institution=None, referential=None):
    """The contract of `sobrio network benchmark`, plus the groups of other bases and the
    asking institution's position. Figures of different bases are never pooled: the
    largest group is benchmarked, the others are listed apart."""
    _group, label, unit, additive = figures.FIGURES[code]
    rows = [r for r in values(network, code, year) if referential is None or r[1] == referential]
    groups = {}
    for member, _ref, value, basis in rows:
        groups.setdefault(_basis_key(basis), []).append((member, value))
    main_key = max(groups, key=lambda k: len(groups[k]), default=None)
    main = groups.get(main_key, [])
    numbers = [v for _m, v in main]
    shown, total_shown, reason = stats.secrecy(numbers, additive)
    result = {
        "members": len(main),
        "shown": shown,
        "reason": str(REASONS[reason]) if reason else None,
        "median": None,
        "q1": None,
        "q3": None,
        "min": None,
        "max": None,
        "total": None,
        "values": [],
    }
    if shown and reason == "dominant":
        # secondary suppression: the total is hidden, so is whatever would rebuild it
        # (each value, or the range and quartiles, from which three or four members' values
        # follow): the median alone is shown
        result["median"] = stats.quartiles(sorted(numbers))[1]
    elif shown:
        q1, median, q3 = stats.quartiles(sorted(numbers))
        result.update(median=median, q1=q1, q3=q3, min=min(numbers), max=max(numbers))
        if total_shown:
            result["total"] = sum(numbers)
        result["values"] = [
            {"institution": m.institution.name, "value": v}
            for m, v in sorted(main, key=lambda r: r[1])
            if not m.anonymous
        ]
    result["label"], result["unit"] = str(label), str(unit)
    result["basis"] = json.loads(main_key) if main_key else {}
    result["apart"] = [
        {"basis": json.loads(k), "members": len(v)} for k, v in groups.items() if k != main_key
    ]
    mine = next((v for m, v in main if institution and m.institution_id == institution.pk), None)
    result["mine"] = mine
    if mine is not None and shown:
        result["rank"] = 1 + sum(1 for v in numbers if v < mine)
    return result


def referentials(network, year):
    return sorted({ref for _m, ref, _v, _b in values(network, "assessment_score", year) if ref})


def trend(network, code, years, referential=None):
    return [(year, benchmark(network, code, year, referential=referential)) for year in years]


# --- shared actions --------------------------------------------------------------------


def publish(member, action, *, results="", indicators=""):
    if action.institution_id != member.institution_id:
        raise ValidationError(_("Cette action n'est pas de votre plan."))
    return SharedAction.objects.create(
        network=member.network,
        member=member,
        action=action,
        title=action.label,
        theme=str(action.axis.name),
        description=action.description,
        results=results,
        indicators=indicators,
    )


def copy_into_plan(shared, institution, axis):
    """The action in one's own plan, its origin kept in its description."""
    from sobrio.plan.models import Action

    if axis.institution_id != institution.pk:
        raise ValidationError(_("Choisissez un axe de votre plan."))
    origin = _("Reprise de « %(t)s », publiée dans le réseau « %(n)s » par %(i)s.") % {
        "t": shared.title,
        "n": shared.network,
        "i": _origin_name(shared),
    }
    return Action.objects.create(
        institution=institution,
        plan=axis.plan,
        axis=axis,
        label=shared.title[:300],
        description=(shared.description + "\n\n" + origin).strip(),
    )


def _origin_name(shared):
    return _("un membre anonyme") if shared.member.anonymous else shared.member.institution.name


# --- keys and signed files -------------------------------------------------------------------


def _b64(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_of(institution):
    found = InstitutionKey.objects.filter(institution=institution).first()
    if found is not None:
        return found
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    try:
        with transaction.atomic():
            return InstitutionKey.objects.create(
                institution=institution,
                public_key=_b64(public),
                private_key=sealing.seal(raw, PURPOSE),
            )
    except IntegrityError:
        return InstitutionKey.objects.get(institution=institution)


def _canonical(payload):
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def export(institution, network, years):
    """What the institution chose to share with the network, signed."""
    member = NetworkMember.objects.filter(network=network, institution=institution).first()
    if member is None or member.state != MemberState.MEMBER:
        raise ValidationError(
            _("%(i)s n'est pas membre du réseau %(n)s.") % {"i": institution, "n": network.slug}
        )
    rows = []
    for code, (group, *_rest) in figures.FIGURES.items():
        if group in member.figures:
            for year in years:
                for ref, value, basis in figures.compute(institution, code, year):
                    rows.append(
                        {
                            "figure": code,
                            "year": year,
                            "referential": ref,
                            "value": value,
                            "basis": basis,
                        }
                    )
    payload = {
        "format": "sobrio-network-export/1",
        "export_id": str(uuid.uuid4()),
        "generated_at": timezone.now().isoformat(),
        "network": network.slug,
        "institution": institution.slug,
        "institution_name": institution.name,
        "anonymous": member.anonymous,
        "figures": member.figures,
        "values": rows,
    }
    key = key_of(institution)
    private = Ed25519PrivateKey.from_private_bytes(sealing.unseal(key.private_key, PURPOSE))
    return {
        "payload": payload,
        "signature": _b64(private.sign(_canonical(payload))),
        "public_key": key.public_key,
    }


class Refused(Exception):
    pass


MAX_VALUES = 10_000
MAX_ABS_VALUE = 1e15  # far beyond any figure shared (t CO2e, people, devices)


def import_file(text):
    """Accepts a signed export from a remote member: checks the format, the signature
    against the key this server knows for that member, membership and replay."""
    try:
        document = load_json(text, "export")
        payload, signature = document["payload"], _unb64(document["signature"])
        network = Network.objects.get(slug=payload["network"])
        values = payload["values"]
        if not isinstance(values, list) or len(values) > MAX_VALUES:
            raise Refused(_("trop de valeurs, ou valeurs illisibles"))
    except ImportFailure as failure:
        raise Refused(failure.problems[0].reason) from None
    except Network.DoesNotExist:
        raise Refused(_("réseau inconnu sur ce serveur")) from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise Refused(_("fichier illisible : ce n'est pas un export signé de Sobrio")) from None
    member = (
        NetworkMember.objects.filter(network=network, institution__slug=payload.get("institution"))
        .select_related("institution")
        .first()
    )
    if member is None or member.state != MemberState.MEMBER:
        raise Refused(_("l'établissement n'est pas membre du réseau"))
    key = InstitutionKey.objects.filter(institution=member.institution).first()
    if key is None:
        raise Refused(_("aucune clé publique connue pour cet établissement"))
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(key.public_key)).verify(
            signature, _canonical(payload)
        )
    except (InvalidSignature, ValueError):
        raise Refused(
            _("signature invalide : le fichier a été modifié ou ne vient pas de cet établissement")
        ) from None
    try:
        generated = parse_datetime(str(payload.get("generated_at", "")))
    except ValueError:
        generated = None
    if generated is None or timezone.is_naive(generated):
        raise Refused(_("date de l'export illisible ou sans fuseau horaire"))
    for row in values:
        if not isinstance(row, dict):
            raise Refused(_("fichier illisible : ce n'est pas un export signé de Sobrio"))
        value = row.get("value")
        if isinstance(value, int | float) and not abs(value) <= MAX_ABS_VALUE:
            raise Refused(_("valeur hors des bornes d'un chiffre du réseau : %(v)s") % {"v": value})
    last = member.exports.order_by("-generated_at").first()
    if last is not None and generated <= last.generated_at:
        raise Refused(_("export déjà reçu ou plus ancien que le dernier reçu (rejeu)"))
    with transaction.atomic():
        try:
            ReceivedExport.objects.create(
                member=member, export_id=payload["export_id"], generated_at=generated
            )
        except (IntegrityError, ValidationError):
            raise Refused(_("export déjà reçu (rejeu)")) from None
        member.values.all().delete()
        for row in values:
            if row.get("figure") not in figures.FIGURES or not isinstance(row.get("year"), int):
                continue
            value = row.get("value")
            SharedValue.objects.create(
                member=member,
                figure=row["figure"],
                year=row["year"],
                referential=str(row.get("referential", ""))[:200],
                value=float(value) if isinstance(value, int | float) else None,
                basis=row.get("basis") if isinstance(row.get("basis"), dict) else {},
            )
        member.remote = True
        member.figures = [g for g in payload.get("figures", []) if g in GROUP_CODES]
        member.anonymous = bool(payload.get("anonymous"))
        member.save(update_fields=["remote", "figures", "anonymous"])
    return member


def register_key(member, public_key):
    """The remote member's public key, read from its published URL by the network's admin."""
    raw = _unb64(public_key)
    Ed25519PublicKey.from_public_bytes(raw)  # a valid key or ValueError
    InstitutionKey.objects.update_or_create(
        institution=member.institution, defaults={"public_key": _b64(raw), "private_key": b""}
    )


def years_around(year, n=5):
    return list(range(year - n + 1, year + 1))


TODAY = datetime.date.today
