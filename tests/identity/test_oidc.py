"""Sign-in through a real OpenID provider (django-oauth-toolkit on loopback,
tests/identity/peers.py): authorization code with PKCE, state and nonce, the id_token's
signature checked against the provider's JWKS (issue 22)."""

import io
import logging
import urllib.parse
from html import unescape

import pytest
from django.core.management import call_command

from sobrio.core import participation
from sobrio.core.enums import Role
from sobrio.core.models import Membership, User
from sobrio.identity import services
from sobrio.identity.models import ExternalIdentity, IdentityProvider
from tests.factories import InstitutionFactory, UnitFactory
from tests.identity.peers import identity_peer, oidc_code

LEA = {"name": "Léa Moreau", "email": "lea.moreau@univ-essai.fr",
       "eduperson_affiliation": ["staff"], "supann_entite_affectation": ["DSI"]}  # fmt: skip
PEOPLE = {
    "lmoreau": {"password": "pw-lea", "claims": LEA},
    "anon": {"password": "pw-anon", "claims": {"eduperson_affiliation": ["student"]}},
}


@pytest.fixture(scope="module")
def issuer(tmp_path_factory):
    with identity_peer(tmp_path_factory.mktemp("op"), PEOPLE) as base:
        yield base + "o"


@pytest.fixture
def essai(db):
    institution = InstitutionFactory(name="Université d'Essai", slug="essai")
    UnitFactory(institution=institution, name="Direction du numérique", code="DSI")
    return institution


def _add(institution, issuer, secret="sobrio-test-secret"):  # noqa: S107 - the peer's
    out = io.StringIO()
    call_command("sso", "add", "oidc", "--institution", institution.slug, "--issuer", issuer,
                 "--client-id", "sobrio-test", "--client-secret-stdin", "--name", "Compte Essai",
                 stdin=io.StringIO(secret + "\n"), stdout=out)  # fmt: skip
    return IdentityProvider.objects.get(pk=int(out.getvalue().split()[0]))


def _go(client, provider, login, password, browser=None):
    start = client.get(f"/compte/sso/{provider.pk}/")
    assert start.status_code == 302, start.content
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    back, location = oidc_code(start["Location"], login, password, browser)
    assert location.startswith("http://testserver/compte/sso/oidc/"), location
    return back


def test_a_person_signs_in_with_pkce_and_a_signed_id_token(client, essai, issuer):
    provider = _add(essai, issuer)
    assert services.secret_of(provider) == "sobrio-test-secret"  # sealed, read back
    back = _go(client, provider, "lmoreau", "pw-lea")
    answer = client.get("/compte/sso/oidc/", back)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    user = User.objects.get(email="lea.moreau@univ-essai.fr")
    assert user.full_name == "Léa Moreau"
    membership = Membership.objects.get(institution=essai, user=user)
    assert membership.role == Role.PARTICIPANT and membership.affiliation.code == "DSI"
    assert participation.is_community(essai, user)
    assert ExternalIdentity.objects.get(provider=provider).subject  # the OP's sub


def test_signing_out_ends_the_session_at_the_provider_too(client, essai, issuer):
    import requests

    provider = _add(essai, issuer)
    browser = requests.Session()
    assert client.get("/compte/sso/oidc/", _go(client, provider, "lmoreau", "pw-lea",
                                               browser)).status_code == 302  # fmt: skip
    remembered = browser.get(client.get(f"/compte/sso/{provider.pk}/")["Location"],
                             allow_redirects=False, timeout=10)  # fmt: skip
    assert remembered.headers["Location"].startswith("http://testserver/compte/sso/oidc/?code=")
    out = client.post("/compte/deconnexion/")
    assert "_auth_user_id" not in client.session
    location = urllib.parse.urlsplit(out["Location"])
    query = urllib.parse.parse_qs(location.query)
    assert out["Location"].startswith(issuer + "/logout/")  # from its discovery document
    assert query["post_logout_redirect_uri"] == ["http://testserver/compte/connexion/"]
    assert query["id_token_hint"][0].count(".") == 2  # the id_token it issued
    at_op = browser.get(out["Location"], allow_redirects=False, timeout=10)
    assert at_op.status_code == 302, at_op.text[:500]
    assert at_op.headers["Location"] == "http://testserver/compte/connexion/"
    # the provider forgot the person: a new sign-in asks for the password again
    again = client.get(f"/compte/sso/{provider.pk}/")
    asked = browser.get(again["Location"], allow_redirects=False, timeout=10)
    assert asked.status_code == 302 and "/login/" in asked.headers["Location"]


def test_the_code_and_the_state_serve_once(client, essai, issuer, caplog):
    provider = _add(essai, issuer)
    back = _go(client, provider, "lmoreau", "pw-lea")
    assert client.get("/compte/sso/oidc/", back).status_code == 302
    client.logout()
    replay = client.get("/compte/sso/oidc/", back)
    assert replay.status_code == 400 and "déjà servi" in replay.content.decode()
    # a code stolen from another browser: this one never left with that state
    other = _go(client, provider, "lmoreau", "pw-lea")
    forged = client.get("/compte/sso/oidc/", {**other, "state": "pas-le-bon"})
    assert forged.status_code == 400 and "ne vient pas de ce navigateur" in forged.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_client_secret_or_missing_claims_sign_nobody_in(client, essai, issuer, caplog):
    provider = _add(essai, issuer, secret="pas-le-secret")
    users = User.objects.count()
    with caplog.at_level(logging.WARNING, logger="sobrio.identity"):
        back = _go(client, provider, "lmoreau", "pw-lea")
        answer = client.get("/compte/sso/oidc/", back)
    assert answer.status_code == 400 and "n'a pas pu confirmer" in unescape(answer.content.decode())
    assert "token:" in caplog.text
    provider.delete()
    provider = _add(essai, issuer)
    back = _go(client, provider, "anon", "pw-anon")
    answer = client.get("/compte/sso/oidc/", back)
    assert answer.status_code == 400 and "adresse électronique" in answer.content.decode()
    assert User.objects.count() == users
    assert "_auth_user_id" not in client.session


def test_an_issuer_that_does_not_answer_is_a_clear_page(client, essai):
    provider = IdentityProvider.objects.create(institution=essai, kind="oidc", name="Panne",
                                               url="http://127.0.0.1:9", client_id="x")  # fmt: skip
    answer = client.get(f"/compte/sso/{provider.pk}/")
    assert answer.status_code == 502 and "ne répond pas" in answer.content.decode()


@pytest.mark.parametrize(
    ("change", "says"),
    [("key", "signature"), ("aud", "aud"), ("iss", "iss"), ("nonce", "nonce"),
     ("exp", "expired"), ("at_hash", "at_hash"), ("none", "")],
)  # fmt: skip
def test_a_wrong_id_token_is_refused_whatever_is_wrong(change, says):
    """What the real provider never sends, forged here with joserfc: each refused."""
    import time

    from joserfc import jwt
    from joserfc.jwk import RSAKey

    from sobrio.identity import oidc

    good, other = RSAKey.generate_key(2048), RSAKey.generate_key(2048)
    good_set = {"keys": [good.as_dict(private=False, kid="k1")]}
    now = int(time.time())
    claims = {"iss": "https://op.example", "aud": "sobrio", "sub": "u1", "nonce": "n1",
              "iat": now, "exp": now + 300, "at_hash": "wrong"}  # fmt: skip
    claims.pop("at_hash") if change != "at_hash" else None
    if change in ("aud", "iss", "nonce"):
        claims[change] = "someone-else"
    if change == "exp":
        claims["exp"] = now - 3600
    key = other if change == "key" else good
    if change == "none":
        header, body = (base64url(json_bytes(h)) for h in ({"alg": "none"}, claims))
        token = f"{header}.{body}."
    else:
        token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)
    with pytest.raises(oidc.Failed, match=says):
        oidc.check_id_token(token, good_set, issuer="https://op.example", client_id="sobrio",
                            nonce="n1", access_token="the-access-token")  # fmt: skip
    if change == "key":  # and the same token with the right key passes
        token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, good)
        assert oidc.check_id_token(token, good_set, issuer="https://op.example",
                                   client_id="sobrio", nonce="n1")["sub"] == "u1"  # fmt: skip


def base64url(data):
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def json_bytes(value):
    import json

    return json.dumps(value).encode()
