"""Sign-in through a real SAML 2.0 identity provider (pysaml2's IdP on loopback,
tests/identity/saml_idp.py), as a Renater IdP does it: HTTP-Redirect request, HTTP-POST
response, signed assertion, SUPANN attributes as URIs (issue 22)."""

import io
import logging
import re
import urllib.parse
from html import unescape
from pathlib import Path

import pytest
from django.core.management import call_command

from sobrio.core import participation
from sobrio.core.enums import Role
from sobrio.core.models import Membership, User
from sobrio.identity.models import IdentityProvider
from tests.factories import InstitutionFactory, UnitFactory
from tests.identity.saml_idp import IdP, key_pair, posted_response

URI = {"mail": "urn:oid:0.9.2342.19200300.100.1.3"}
PEOPLE = {
    "sam": {"subject": "p-sam-001", "attributes": {
        "mail": ["sam.petit@univ-essai.fr"], "givenName": ["Sam"], "sn": ["Petit"],
        "eduPersonPrincipalName": ["spetit@univ-essai.fr"], "eduPersonAffiliation": ["faculty"],
        "supannEntiteAffectation": ["DSI"], "supannEtablissement": ["{UAI}0999999Z"]}},
    "nomail": {"subject": "p-nomail", "attributes": {"displayName": ["Sans Courriel"],
                                                    "eduPersonAffiliation": ["staff"]}},
}  # fmt: skip


@pytest.fixture
def essai(db):
    institution = InstitutionFactory(name="Université d'Essai", slug="essai",
                                     national_identifier="0999999Z")  # fmt: skip
    UnitFactory(institution=institution, name="Direction du numérique", code="DSI")
    return institution


@pytest.fixture
def idp(client, tmp_path, db):
    sp_metadata = client.get("/compte/sso/saml/metadata/").content.decode()
    with IdP(tmp_path, PEOPLE, sp_metadata).running() as running:
        yield running


def _add(institution, idp, tmp_path, name="Fédération"):
    metadata = tmp_path / f"{name}.xml"
    metadata.write_text(idp.metadata(), encoding="utf-8")
    out = io.StringIO()
    call_command("sso", "add", "saml", "--institution", institution.slug, "--metadata",
                 str(metadata), "--name", name, stdout=out)  # fmt: skip
    return IdentityProvider.objects.get(pk=int(out.getvalue().split()[0]))


def _round(client, provider, user):
    """Sobrio → the IdP (AuthnRequest by redirect) → the form it posts back."""
    import requests

    start = client.get(f"/compte/sso/{provider.pk}/")
    assert start.status_code == 302 and "SAMLRequest=" in start["Location"]
    page = requests.get(start["Location"] + "&" + urllib.parse.urlencode({"user": user}),
                        timeout=10)  # fmt: skip
    assert page.status_code == 200, page.text
    return posted_response(page.text)


def test_sobrio_publishes_its_sp_metadata_for_the_federation(client, db):
    answer = client.get("/compte/sso/saml/metadata/")
    assert answer["Content-Type"] == "application/samlmetadata+xml"
    xml = answer.content.decode()
    assert 'entityID="http://testserver/compte/sso/saml/metadata/"' in xml
    assert "http://testserver/compte/sso/saml/acs/" in xml and "HTTP-POST" in xml
    # the attributes it asks for, SUPANN's among them, by their URIs
    for uri in ("urn:oid:0.9.2342.19200300.100.1.3", "urn:oid:1.3.6.1.4.1.5923.1.1.1.1",
                "urn:oid:1.3.6.1.4.1.7135.1.2.1.8"):  # fmt: skip
        assert f'Name="{uri}"' in xml
    # its certificate, to check its signed requests and to encrypt for it; single logout
    assert 'AuthnRequestsSigned="true"' in xml
    assert 'use="signing"' in xml and 'use="encryption"' in xml and "X509Certificate" in xml
    assert "SingleLogoutService" in xml and "http://testserver/compte/sso/saml/sls/" in xml
    # the same key on every call, and on every server (it lives in the database)
    assert client.get("/compte/sso/saml/metadata/").content.decode() == xml


@pytest.mark.parametrize("encrypted", [False, True], ids=["signed", "signed-and-encrypted"])
def test_a_person_signs_in_with_a_signed_assertion_and_supann_uris(
    client, essai, idp, tmp_path, encrypted
):
    provider = _add(essai, idp, tmp_path)
    idp.encrypt = encrypted
    payload = _round(client, provider, "sam")
    if encrypted:  # what travels through the browser shows no attribute in clear
        import base64

        assert b"EncryptedAssertion" in base64.b64decode(payload)
        assert b"sam.petit" not in base64.b64decode(payload)
    answer = client.post("/compte/sso/saml/acs/", {"SAMLResponse": payload})
    assert answer.status_code == 302, unescape(answer.content.decode())[-3000:]
    user = User.objects.get(email="sam.petit@univ-essai.fr")
    assert user.full_name == "Sam Petit"
    membership = Membership.objects.get(institution=essai, user=user)
    assert membership.role == Role.PARTICIPANT and membership.affiliation.code == "DSI"
    assert participation.is_community(essai, user)
    # the same response again: its request was spent, and so was the assertion
    client.logout()
    client.cookies.pop("sobrio-saml", None)
    replay = client.post("/compte/sso/saml/acs/", {"SAMLResponse": payload})
    assert replay.status_code == 400 and "_auth_user_id" not in client.session


@pytest.mark.parametrize("attack", ["unsigned", "audience", "expired", "signed_by", "nomail"])
def test_each_bad_assertion_is_refused_and_creates_nothing(
    client, essai, idp, tmp_path, caplog, attack
):
    provider = _add(essai, idp, tmp_path)
    if attack == "signed_by":
        idp.misbehave["signed_by"] = key_pair(tmp_path, "intruder")
    elif attack == "audience":
        idp.misbehave["audience"] = "https://another-sp.example/"
    elif attack != "nomail":
        idp.misbehave[attack] = True
    users = User.objects.count()
    with caplog.at_level(logging.WARNING, logger="sobrio.identity"):
        payload = _round(client, provider, "nomail" if attack == "nomail" else "sam")
        answer = client.post("/compte/sso/saml/acs/", {"SAMLResponse": payload})
    assert answer.status_code == 400, attack
    assert "sso refused" in caplog.text
    assert User.objects.count() == users and "_auth_user_id" not in client.session


def test_an_idp_of_institution_a_signs_nobody_into_b(client, essai, idp, tmp_path):
    other = InstitutionFactory(slug="autre", name="Université Autre")
    sp_metadata = client.get("/compte/sso/saml/metadata/").content.decode()
    with IdP(tmp_path, PEOPLE, sp_metadata, name="idp-b").running() as idp_b:
        provider_b = _add(other, idp_b, tmp_path, name="Fédération B")
        provider_a = _add(essai, idp, tmp_path)
        # B's sign-in started, A's IdP answers (another issuer, another key)
        payload = _round(client, provider_a, "sam")
        client.get(f"/compte/sso/{provider_b.pk}/")  # the cookie now says: B's request
        answer = client.post("/compte/sso/saml/acs/", {"SAMLResponse": payload})
    assert answer.status_code == 400
    assert not Membership.objects.filter(institution=other).exists()


def _signed_in_at(client, essai, idp, tmp_path):
    provider = _add(essai, idp, tmp_path)
    answer = client.post("/compte/sso/saml/acs/", {"SAMLResponse": _round(client, provider, "sam")})
    assert answer.status_code == 302 and "_auth_user_id" in client.session
    return provider


def test_signing_out_signs_out_of_the_idp_too(client, essai, idp, tmp_path):
    import requests

    _signed_in_at(client, essai, idp, tmp_path)
    out = client.post("/compte/deconnexion/")
    assert "_auth_user_id" not in client.session  # out of Sobrio before leaving for the IdP
    assert out["Location"].startswith(f"{idp.base}/slo?SAMLRequest=")
    assert "Signature=" in out["Location"] and "SigAlg=" in out["Location"]
    assert urllib.parse.quote_plus("xmldsig-more#rsa-sha256") in out["Location"]
    at_idp = requests.get(out["Location"], allow_redirects=False, timeout=10)
    assert at_idp.status_code == 302, at_idp.text  # the IdP checked Sobrio's signature
    assert idp.logged_out == ["p-sam-001"] and "p-sam-001" not in idp.sessions
    back = at_idp.headers["Location"]
    assert back.startswith("http://testserver/compte/sso/saml/sls/?SAMLResponse=")
    page = client.get(back, follow=True)
    assert "Vous êtes aussi déconnecté·e de Fédération" in unescape(page.content.decode())


def test_a_forged_logout_answer_is_not_taken_for_the_idps(client, essai, idp, tmp_path):
    import requests

    _signed_in_at(client, essai, idp, tmp_path)
    out = client.post("/compte/deconnexion/")
    back = requests.get(out["Location"], allow_redirects=False, timeout=10).headers["Location"]
    forged = back.replace("Signature=", "Signature=AAAA")
    page = client.get(forged, follow=True)
    assert "ne l'a pas confirmé" in unescape(page.content.decode())


def test_the_idp_signs_the_person_out_of_sobrio(client, essai, idp, tmp_path, caplog):
    _signed_in_at(client, essai, idp, tmp_path)
    # unsigned, or for someone else: the session stays
    unsigned = client.get(idp.logout_request("p-sam-001", sign=False))
    assert unsigned.status_code == 400 and "_auth_user_id" in client.session
    sha1 = client.get(
        idp.logout_request("p-sam-001", sigalg="http://www.w3.org/2000/09/xmldsig#rsa-sha1")
    )
    assert sha1.status_code == 400 and "_auth_user_id" in client.session
    other = client.get(idp.logout_request("p-someone-else"))
    assert other.status_code == 302 and "_auth_user_id" in client.session
    with caplog.at_level(logging.INFO, logger="sobrio.identity"):
        answer = client.get(idp.logout_request("p-sam-001"))
    assert "_auth_user_id" not in client.session and "single logout" in caplog.text
    # answered, signed, to the IdP's single logout service
    assert answer.status_code == 302
    assert answer["Location"].startswith(f"{idp.base}/slo?SAMLResponse=")
    assert "Signature=" in answer["Location"]


def test_a_logout_request_nobody_sent_is_a_clear_page(client, db):
    answer = client.get("/compte/sso/saml/sls/", {"SAMLRequest": "pas du SAML"})
    assert answer.status_code == 400 and "aucun" in unescape(answer.content.decode())
    answer = client.get("/compte/sso/saml/sls/")
    assert answer.status_code == 302  # nothing to answer: back to the sign-in page
    for relay in ("²", "9" * 40, "-1"):  # what no IdP sends back, and no server error
        answer = client.get("/compte/sso/saml/sls/", {"SAMLResponse": "x", "RelayState": relay})
        assert answer.status_code == 302


def test_metadata_at_an_address_signed_by_the_federation_is_read_again(
    client, essai, idp, tmp_path
):
    from django.core.management.base import CommandError

    from sobrio.identity import saml

    federation = key_pair(tmp_path, "federation")
    idp.published = idp.metadata  # not signed: refused when a certificate is given
    args = ["sso", "add", "saml", "--institution", "essai", "--metadata", f"{idp.base}/metadata",
            "--metadata-cert", federation[1], "--name", "Renater"]  # fmt: skip
    with pytest.raises(CommandError, match="--metadata-cert .*not signed"):
        call_command(*args)
    idp.published = lambda: idp.signed_metadata(federation)
    call_command(*args, stdout=io.StringIO())
    provider = IdentityProvider.objects.get(name="Renater")
    assert provider.metadata_cert.startswith("-----BEGIN CERTIFICATE-----")
    assert provider.metadata_refreshed_at is not None
    # the IdP changes its key: until the metadata is read again, its assertions fail
    idp.rotate()
    refused = client.post(
        "/compte/sso/saml/acs/", {"SAMLResponse": _round(client, provider, "sam")}
    )
    assert refused.status_code == 400
    out = io.StringIO()
    call_command("sso", "refresh", "--institution", "essai", stdout=out)
    assert "renewed" in out.getvalue()
    payload = _round(client, provider, "sam")
    assert client.post("/compte/sso/saml/acs/", {"SAMLResponse": payload}).status_code == 302
    # metadata altered after the federation signed it: the last good one stays
    good = IdentityProvider.objects.get(pk=provider.pk).metadata
    idp.published = lambda: idp.signed_metadata(federation).replace("/sso", "/ailleurs")
    assert saml.refresh_all() == 0
    provider.refresh_from_db()
    assert provider.metadata == good and "NotSignedBy" in provider.metadata_problem
    # signed by another key than the federation's: the same
    idp.published = lambda: idp.signed_metadata(key_pair(tmp_path, "intruder"))
    with pytest.raises(CommandError, match="1 metadata not renewed"):
        call_command("sso", "refresh", stdout=io.StringIO())
    provider.refresh_from_db()
    assert provider.metadata == good


def test_a_signature_over_part_of_the_metadata_is_not_a_signature_of_it(idp, tmp_path):
    from sobrio.identity import saml

    federation = key_pair(tmp_path, "federation")
    signed = idp.signed_metadata(federation)
    cert = Path(federation[1]).read_text()
    saml.check_metadata_signature(signed, cert)  # the good one passes
    root_id = re.search(r' ID="([^"]+)"', signed)[1]
    moved = signed.replace(f'URI="#{root_id}"', 'URI="#autre-chose"')
    with pytest.raises(saml.NotSignedBy, match="whole document"):
        saml.check_metadata_signature(moved, cert)
    with pytest.raises(saml.BadCertificate):
        saml.read_certificate("pas un certificat")


def test_the_cli_refuses_metadata_that_is_not_an_idps(essai, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<pas-des-métadonnées/>", encoding="utf-8")
    with pytest.raises(Exception, match="--metadata"):
        call_command("sso", "add", "saml", "--institution", "essai", "--metadata", str(bad))
    assert not IdentityProvider.objects.exists()


def test_the_admin_adds_the_idp_from_its_metadata_on_the_web(client, essai, idp):
    from tests.factories import MembershipFactory

    client.force_login(MembershipFactory(institution=essai, role=Role.ADMIN).user)
    bad = client.post("/etablissement/connexion/", {
        "kind": "saml", "saml-name": "Renater", "saml-url": "<pas-du-xml"})  # fmt: skip
    assert bad.status_code == 200 and "ne se lisent pas" in unescape(bad.content.decode())
    bad = client.post("/etablissement/connexion/", {
        "kind": "saml", "saml-name": "Renater", "saml-url": idp.metadata(),
        "saml-metadata_cert": "pas un certificat"})  # fmt: skip
    assert "pas un certificat PEM" in unescape(bad.content.decode())
    unsigned = client.post("/etablissement/connexion/", {
        "kind": "saml", "saml-name": "Renater", "saml-url": idp.metadata(),
        "saml-metadata_cert": Path(key_pair(idp.folder, "federation")[1]).read_text()})  # fmt: skip
    assert "pas signées par ce certificat" in unescape(unsigned.content.decode())
    assert not IdentityProvider.objects.exists()
    answer = client.post("/etablissement/connexion/", {
        "kind": "saml", "saml-name": "Renater", "saml-url": idp.metadata()})  # fmt: skip
    assert answer.status_code == 302
    provider = IdentityProvider.objects.get(institution=essai, kind="saml")
    assert provider.entity_id == f"{idp.base}/idp" and "X509Certificate" in provider.metadata
    assert (
        "Se connecter avec Renater" in client.get("/participer/essai/connexion/").content.decode()
    )
