"""Sign-in through a real SAML 2.0 identity provider (pysaml2's IdP on loopback,
tests/identity/saml_idp.py), as a Renater IdP does it: HTTP-Redirect request, HTTP-POST
response, signed assertion, SUPANN attributes as URIs (issue 22)."""

import io
import logging
import urllib.parse
from html import unescape

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


def test_a_person_signs_in_with_a_signed_assertion_and_supann_uris(client, essai, idp, tmp_path):
    provider = _add(essai, idp, tmp_path)
    payload = _round(client, provider, "sam")
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
    answer = client.post("/etablissement/connexion/", {
        "kind": "saml", "saml-name": "Renater", "saml-url": idp.metadata()})  # fmt: skip
    assert answer.status_code == 302
    provider = IdentityProvider.objects.get(institution=essai, kind="saml")
    assert provider.entity_id == f"{idp.base}/idp" and "X509Certificate" in provider.metadata
    assert (
        "Se connecter avec Renater" in client.get("/participer/essai/connexion/").content.decode()
    )
