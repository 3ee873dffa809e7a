"""OpenID Connect as a relying party, with Authlib (the code flow with PKCE S256, state
and nonce) and its JOSE library joserfc (the id_token checked against the issuer's
JWKS: signature, iss, aud, exp, iat, nonce, at_hash)."""

import base64
import hashlib
import json
import secrets

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]

TIMEOUT = 10
SCOPE = "openid profile email supann"
MAX_DOCUMENT = 512 * 1024  # a discovery document or a key set: a few kilobytes


class Failed(Exception):
    """The provider could not vouch (unreachable, wrong answer, bad token): the reason
    for the log; the person sees a French message."""


def _get_json(url):
    try:
        answer = requests.get(url, timeout=TIMEOUT, stream=True)
        body = answer.raw.read(MAX_DOCUMENT + 1, decode_content=True)
        answer.close()
    except requests.RequestException as exc:
        raise Failed(f"{url}: {exc}") from None
    if answer.status_code != 200 or len(body) > MAX_DOCUMENT:
        raise Failed(f"{url}: HTTP {answer.status_code}, {len(body)} bytes")
    try:
        return json.loads(body)
    except ValueError:
        raise Failed(f"{url}: not JSON") from None


def discovery(provider):
    """The issuer's discovery document, kept an hour in the shared cache (a sign-in reads
    it twice, on the way out and back; its keys rarely change)."""
    from django.core.cache import cache

    url = provider.url.rstrip("/") + "/.well-known/openid-configuration"
    key = "sobrio-oidc-discovery:" + hashlib.sha256(url.encode()).hexdigest()
    document = cache.get(key)
    if document is None:
        document = _get_json(url)
        if document.get("issuer", "").rstrip("/") != provider.url.rstrip("/"):
            raise Failed(f"discovery names issuer {document.get('issuer')!r}")
        cache.set(key, document, 3600)
    return document


def _session(provider, secret, redirect_uri):
    return OAuth2Session(provider.client_id, secret or None, scope=SCOPE,
                         redirect_uri=redirect_uri, code_challenge_method="S256",
                         timeout=TIMEOUT)  # fmt: skip


def authorization(provider, secret, redirect_uri):
    """(the URL to send the person to, what the session keeps for the way back)."""
    document = discovery(provider)
    verifier, nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(24)
    url, state = _session(provider, secret, redirect_uri).create_authorization_url(
        document["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    return url, {"state": state, "nonce": nonce, "verifier": verifier}


def claims(provider, secret, redirect_uri, code, kept):
    """(the person's claims: the id_token's, completed by the userinfo endpoint; the
    id_token itself, which signing out hands back to the provider)."""
    document = discovery(provider)
    session = _session(provider, secret, redirect_uri)
    try:
        token = session.fetch_token(
            document["token_endpoint"],
            code=code,
            code_verifier=kept["verifier"],
            grant_type="authorization_code",
        )
    except Exception as exc:  # noqa: BLE001 - the provider refused the code, or did not answer
        raise Failed(f"token: {exc}") from None
    if "id_token" not in token:
        raise Failed("no id_token")
    found = check_id_token(token["id_token"], _get_json(document["jwks_uri"]),
                           issuer=document["issuer"], client_id=provider.client_id,
                           nonce=kept["nonce"], access_token=token.get("access_token"))  # fmt: skip
    out = dict(found)
    if document.get("userinfo_endpoint") and token.get("access_token"):
        try:
            answer = session.get(document["userinfo_endpoint"], timeout=TIMEOUT)
            if answer.status_code == 200:
                info = answer.json()
                if info.get("sub") == out.get("sub"):  # OIDC core 5.3.2: the same person
                    out = {**info, **out}
        except (requests.RequestException, ValueError):
            pass  # the id_token's claims are enough when they hold mail and name
    return out, token["id_token"]


def end_session_url(provider, id_token, back):
    """OpenID Connect RP-Initiated Logout 1.0: the provider's end_session_endpoint, told
    who signs out (id_token_hint) and where to come back; "" when it offers none."""
    from urllib.parse import urlencode

    endpoint = discovery(provider).get("end_session_endpoint")
    if not endpoint:
        return ""
    query = {"client_id": provider.client_id, "post_logout_redirect_uri": back}
    if id_token and len(id_token) < 8192:
        query["id_token_hint"] = id_token
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode(query)


def check_id_token(id_token, jwks, *, issuer, client_id, nonce, access_token=None):
    """The id_token's claims once its signature (one of the issuer's keys, an asymmetric
    algorithm: never "none" nor a shared secret) and its claims are right; Failed else."""
    try:
        found = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=ALGORITHMS)
        jwt.JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": client_id},
            nonce={"essential": True, "value": nonce},
            sub={"essential": True}, exp={"essential": True}, iat={"essential": True},
        ).validate(found.claims)  # fmt: skip
        _check_at_hash(found, access_token)
    except Failed:
        raise
    except Exception as exc:  # noqa: BLE001 - every way a token can be wrong
        raise Failed(f"id_token: {exc}") from None
    return found.claims


def _check_at_hash(found, access_token):
    """OIDC core 3.1.3.6: at_hash, when present, is the left half of the access token's
    hash with the id_token's algorithm's hash function."""
    expected = found.claims.get("at_hash")
    if expected is None or not access_token:
        return
    bits = {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}
    digest = bits[found.header["alg"][-3:]](access_token.encode("ascii")).digest()
    half = base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()
    if half != expected:
        raise Failed("id_token: at_hash does not match the access token")
