"""Secrets kept in the database (private keys): sealed with a key derived from Django's
SECRET_KEY (HKDF-SHA256, then Fernet). Losing SECRET_KEY makes them unreadable: the keys
sealed with it must then be replaced (rotated), never recovered."""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class Unreadable(ValueError):
    pass


def _fernet(purpose):
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(data, purpose):
    return _fernet(purpose).encrypt(data)


def unseal(token, purpose):
    try:
        return _fernet(purpose).decrypt(bytes(token))
    except InvalidToken:
        raise Unreadable(purpose) from None
