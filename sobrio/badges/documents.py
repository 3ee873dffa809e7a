"""What an issuer serves: Open Badges 2.0 JSON-LD (issuer, badge class, assertion) and
Open Badges 3.0 (OpenBadgeCredential as a VC-JWT, the issuer's profile, its public keys and
a BitstringStatusList for revocation).

Identifiers are absolute URLs built from SOBRIO_BASE_URL (or, when it is unset, the
address the request came to), so a badge keeps verifying wherever it is shown."""

import base64
import datetime
import gzip
import hashlib

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sobrio.badges import keys as badge_keys

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OB3_CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
STATUS_BITS = 131_072  # 16 KB: the W3C minimum, so one revocation hides among many
JSONLD = "application/ld+json"


def base_url(request=None):
    if settings.BASE_URL:
        return settings.BASE_URL
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return ""


def url(name, *args, base=""):
    return base + reverse(name, args=args)


def identity_hash(email, salt):
    return "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()


def iso(moment):
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# --- Open Badges 2.0 -----------------------------------------------------------------------


def homepage(issuer, base):
    """The issuer's website, or its institution's « Participer » space here."""
    return issuer.url or url("participate_home", issuer.institution.slug, base=base)


def issuer_v2(issuer, base):
    data = {
        "@context": OB2_CONTEXT,
        "id": url("ob_issuer", issuer.uid, base=base),
        "type": "Issuer",
        "name": issuer.name,
        "url": homepage(issuer, base),
        "email": issuer.email,
    }
    if issuer.description:
        data["description"] = issuer.description
    if issuer.image:
        data["image"] = url("ob_issuer_image", issuer.uid, base=base)
    return data


def image_url(badge, base):
    return url("ob_badge_image", badge.uid, base=base)


def alignment(badge):
    if not (badge.alignment_name and badge.alignment_url):  # both required by 2.0
        return None
    data = {"targetName": badge.alignment_name, "targetUrl": badge.alignment_url}
    for key, value in (("targetCode", badge.alignment_code),):
        if value:
            data[key] = value
    return data


def badge_v2(badge, issuer, base):
    data = {
        "@context": OB2_CONTEXT,
        "id": url("ob_badge", badge.uid, base=base),
        "type": "BadgeClass",
        "name": badge.name,
        "description": badge.description,
        "image": image_url(badge, base),
        "criteria": {"narrative": badge.criteria},
        "issuer": url("ob_issuer", issuer.uid, base=base),
    }
    if badge.tag_list():
        data["tags"] = badge.tag_list()
    if alignment(badge):
        data["alignment"] = [alignment(badge)]
    return data


def assertion_v2(assertion, base):
    badge = assertion.badge
    data = {
        "@context": OB2_CONTEXT,
        "id": url("ob_assertion", assertion.uid, base=base),
        "type": "Assertion",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": assertion.salt,
            "identity": assertion.identity,
        },
        "badge": url("ob_badge", badge.uid, base=base),
        "verification": {"type": "hosted"},
        "issuedOn": iso(assertion.issued_at),
        "image": url("ob_assertion_png", assertion.uid, base=base),
    }
    if assertion.expires_at:
        data["expires"] = iso(assertion.expires_at)
    if assertion.evidence_url:
        data["evidence"] = {"id": assertion.evidence_url}
        if assertion.narrative:
            data["evidence"]["narrative"] = assertion.narrative
    if assertion.narrative:
        data["narrative"] = assertion.narrative
    return data


def revoked_v2(assertion, base):
    return {
        "@context": OB2_CONTEXT,
        "id": url("ob_assertion", assertion.uid, base=base),
        "revoked": True,
        "revocationReason": assertion.revocation_reason,
    }


# --- Open Badges 3.0 -----------------------------------------------------------------------


def profile_v3(issuer, base):
    data = {
        "id": url("ob3_issuer", issuer.uid, base=base),
        "type": ["Profile"],
        "name": issuer.name,
        "url": homepage(issuer, base),
        "email": issuer.email,
    }
    if issuer.description:
        data["description"] = issuer.description
    return data


def achievement_v3(badge, base):
    data = {
        "id": url("ob_badge", badge.uid, base=base),
        "type": ["Achievement"],
        "name": badge.name,
        "description": badge.description,
        "criteria": {"narrative": badge.criteria},
        "image": {"id": image_url(badge, base), "type": "Image"},
    }
    if badge.tag_list():
        data["tag"] = badge.tag_list()
    if alignment(badge):
        data["alignment"] = [{"type": ["Alignment"], **alignment(badge)}]
    return data


def status_url(issuer, base):
    return url("ob3_status", issuer.uid, base=base)


def credential_v3(assertion, issuer, base):
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": assertion.identity,
                "identityType": "emailAddress",
                "hashed": True,
                "salt": assertion.salt,
            }
        ],
        "achievement": achievement_v3(assertion.badge, base),
    }
    statuses = status_url(issuer, base)
    data = {
        "@context": OB3_CONTEXTS,
        "id": f"urn:uuid:{assertion.uid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": profile_v3(issuer, base),
        "validFrom": iso(assertion.issued_at),
        "name": assertion.badge.name,
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{statuses}#{assertion.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(assertion.status_index),
            "statusListCredential": statuses,
        },
    }
    if assertion.expires_at:
        data["validUntil"] = iso(assertion.expires_at)
    if assertion.evidence_url:
        evidence = {"id": assertion.evidence_url, "type": ["Evidence"]}
        if assertion.narrative:
            evidence["narrative"] = assertion.narrative
        data["evidence"] = [evidence]
    return data


def kid_url(key, base):
    return url("ob_key", key.kid, base=base)


def credential_jwt(assertion, issuer, base):
    """The OpenBadgeCredential signed RS256 by the issuer's current key (VC-JWT: the
    credential's properties and the registered claims in one payload)."""
    credential = credential_v3(assertion, issuer, base)
    claims = {
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        # no "sub": a VC-JWT's sub is the credentialSubject's id, and an earner known by
        # a hashed email has none (OB 3.0 §8.2.6.1; VC-JWT leaves sub out then)
        "nbf": int(assertion.issued_at.timestamp()),
        "iat": int(assertion.issued_at.timestamp()),
    }
    if assertion.expires_at:
        claims["exp"] = int(assertion.expires_at.timestamp())
    key = badge_keys.active_key(issuer)
    return badge_keys.sign(key, {**credential, **claims}, kid_url(key, base))


def encoded_list(revoked_indexes):
    bits = bytearray(STATUS_BITS // 8)
    for index in revoked_indexes:
        if 0 <= index < STATUS_BITS:
            bits[index // 8] |= 0x80 >> (index % 8)  # the first index is the leftmost bit
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")


def is_set(encoded, index):
    padded = encoded[1:] + "=" * (-len(encoded[1:]) % 4)
    bits = gzip.decompress(base64.urlsafe_b64decode(padded))
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_jwt(issuer, revoked_indexes, base):
    statuses = status_url(issuer, base)
    now = timezone.now()
    credential = {
        "@context": [OB3_CONTEXTS[0]],
        "id": statuses,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": url("ob3_issuer", issuer.uid, base=base),
        "validFrom": iso(now),
        "credentialSubject": {
            "id": f"{statuses}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(revoked_indexes),
        },
    }
    claims = {"iss": credential["issuer"], "jti": statuses, "nbf": int(now.timestamp())}
    key = badge_keys.active_key(issuer)
    return badge_keys.sign(key, {**credential, **claims}, kid_url(key, base), typ="vc+jwt")
