"""The issuers' RS256 keys for Open Badges 3.0: created on first use, kept encrypted with a
key derived from Django's SECRET_KEY (HKDF-SHA256, then Fernet), rotated on demand.

A rotated key no longer signs but stays published at its URL, so every credential it
signed still verifies. Losing SECRET_KEY makes the private keys unreadable: rotate then
(old credentials keep verifying with the published public keys)."""

import base64
import json

import jwt
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sobrio.awareness.models import BadgeIssuer, BadgeKey

ALGORITHM = "RS256"


def _fernet():
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"sobrio open badges keys"
    ).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _new_key(issuer):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key = BadgeKey(institution_id=issuer.institution_id, issuer=issuer)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    key.public_jwk = {**jwk, "kid": str(key.kid), "alg": ALGORITHM, "use": "sig"}
    key.private_key = _fernet().encrypt(pem)
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
        return _fernet().decrypt(bytes(key.private_key))
    except InvalidToken:
        raise ValueError(
            "This badge key cannot be decrypted with the current SECRET_KEY: "
            "rotate the issuer's key (sobrio badges rotate-key)."
        ) from None


def sign(key, payload, kid_url, typ="JWT"):
    return jwt.encode(
        payload, private_pem(key), algorithm=ALGORITHM, headers={"kid": kid_url, "typ": typ}
    )


def public_key(key):
    return jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(key.public_jwk))
