"""The issuers' RS256 keys for Open Badges 3.0: created on first use, kept encrypted with a
key derived from Django's SECRET_KEY (HKDF-SHA256, then Fernet), rotated on demand.

A rotated key no longer signs but stays published at its URL, so every credential it
signed still verifies. Losing SECRET_KEY makes the private keys unreadable: rotate then
(old credentials keep verifying with the published public keys)."""

import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction
from django.utils import timezone

from sobrio.badges.models import BadgeIssuer, BadgeKey
from sobrio.core import sealing

ALGORITHM = "RS256"
PURPOSE = "sobrio open badges keys"


def _new_key(issuer):
    import jwt  # when a badge is signed, not at start-up

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key = BadgeKey(institution_id=issuer.institution_id, issuer=issuer)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    key.public_jwk = {**jwk, "kid": str(key.kid), "alg": ALGORITHM, "use": "sig"}
    key.private_key = sealing.seal(pem, PURPOSE)
    key.save()
    return key


def active_key(issuer):
    """The issuer's signing key, created the first time it is needed."""
    key = issuer.keys.filter(retired_at=None).first()
    if key is not None:
        return key
    with transaction.atomic():
        BadgeIssuer.objects.select_for_update().get(pk=issuer.pk)
        return issuer.keys.filter(retired_at=None).first() or _new_key(issuer)


@transaction.atomic
def rotate(issuer):
    """A new signing key; the previous ones are retired (still published)."""
    BadgeIssuer.objects.select_for_update().get(pk=issuer.pk)
    issuer.keys.filter(retired_at=None).update(retired_at=timezone.now())
    return _new_key(issuer)


def private_pem(key):
    try:
        return sealing.unseal(key.private_key, PURPOSE)
    except sealing.Unreadable:
        raise ValueError(
            "This badge key cannot be decrypted with the current SECRET_KEY: "
            "rotate the issuer's key (sobrio badges rotate-key)."
        ) from None


def sign(key, payload, kid_url, typ="JWT"):
    import jwt  # when a badge is signed, not at start-up

    return jwt.encode(
        payload, private_pem(key), algorithm=ALGORITHM, headers={"kid": kid_url, "typ": typ}
    )


def public_key(key):
    import jwt  # when a badge is signed, not at start-up

    return jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(key.public_jwk))
