"""Sign-in through a real CAS server (django-cas-server on loopback, tests/identity/peers.py):
the person comes back with a ticket, Sobrio validates it at the server's serviceValidate
and reads the SUPANN attributes it releases (issue 22)."""

import io
import json
import logging
import urllib.parse

import pytest
from django.core.management import call_command

from sobrio.core import participation
from sobrio.core.enums import Role
from sobrio.core.models import Membership, User
from sobrio.identity.models import ExternalIdentity, IdentityProvider, UnitCode
from tests.factories import InstitutionFactory, InvitationFactory, MembershipFactory, UnitFactory
from tests.identity.peers import cas_server, cas_ticket

CAMILLE = {
    "uid": "cnouveau",
    "mail": "camille.nouveau@univ-essai.fr",
    "givenName": "Camille",
    "sn": "Nouveau",
    "eduPersonPrincipalName": "cnouveau@univ-essai.fr",
    "eduPersonAffiliation": ["student", "member"],
    "supannEntiteAffectation": "DSI",  # one value: CAS sends a string
    "supannEtablissement": "{UAI}0999999Z",
}
PEOPLE = {
    "cnouveau": {"password": "pw-camille", "attributes": CAMILLE},
    "alum": {"password": "pw-alum", "attributes": {
        **CAMILLE, "uid": "alum", "mail": "ancien@univ-essai.fr",
        "eduPersonPrincipalName": "alum@univ-essai.fr", "eduPersonAffiliation": "alum",
        "displayName": "Dominique Ancien", "supannEntiteAffectation": ["LABO-X", "DSI"]}},
    "nomail": {"password": "pw", "attributes": {"uid": "nomail", "displayName": "Sans Courriel",
                                                "eduPersonAffiliation": "staff"}},
    "noname": {"password": "pw", "attributes": {"uid": "noname", "mail": "x@univ-essai.fr",
                                                "eduPersonAffiliation": "staff"}},
    "elsewhere": {"password": "pw", "attributes": {
        **CAMILLE, "uid": "elsewhere", "mail": "autre@univ-autre.fr",
        "supannEtablissement": "{UAI}0111111A"}},
    "officer": {"password": "pw", "attributes": {
        **CAMILLE, "uid": "officer", "mail": "charge.mission@univ-essai.fr",
        "eduPersonPrincipalName": "cmission@univ-essai.fr", "displayName": "Claude Mission",
        "eduPersonAffiliation": "staff"}},
}  # fmt: skip


@pytest.fixture(scope="module")
def cas_url(tmp_path_factory):
    with cas_server(tmp_path_factory.mktemp("cas"), PEOPLE) as url:
        yield url


@pytest.fixture
def essai(db):
    institution = InstitutionFactory(name="Université d'Essai", slug="essai",
                                     national_identifier="0999999Z")  # fmt: skip
    UnitFactory(institution=institution, name="Direction du numérique", code="DSI")
    return institution


def _add(institution, url, name="ENT Essai"):
    out = io.StringIO()
    call_command("sso", "add", "cas", "--institution", institution.slug, "--url", url,
                 "--name", name, stdout=out)  # fmt: skip
    return IdentityProvider.objects.get(pk=int(out.getvalue().split()[0]))


def _sign_in(client, provider, login, password, nxt="", browser=None):
    """The whole round: Sobrio → the CAS login form → back to Sobrio with the ticket."""
    start = client.get(f"/compte/sso/{provider.pk}/" + (f"?next={nxt}" if nxt else ""))
    assert start.status_code == 302
    assert start["Location"].startswith(provider.url + "login?service=")
    ticket, location = cas_ticket(start["Location"], login, password, browser)
    assert ticket, location
    back = urllib.parse.urlsplit(location)
    assert back.path == f"/compte/sso/{provider.pk}/cas/"
    return client.get(f"{back.path}?{back.query}"), ticket


def test_a_student_signs_in_with_a_name_a_unit_and_a_place_in_the_community(client, essai, cas_url):
    provider = _add(essai, cas_url)
    answer, _ticket = _sign_in(client, provider, "cnouveau", "pw-camille")
    assert answer.status_code == 302
    assert answer["Location"] == "/participer/essai/"
    user = User.objects.get(email="camille.nouveau@univ-essai.fr")
    assert user.full_name == "Camille Nouveau"  # givenName + sn: no displayName sent
    membership = Membership.objects.get(institution=essai, user=user)
    assert membership.role == Role.PARTICIPANT
    assert membership.affiliation.code == "DSI"
    assert participation.is_community(essai, user)
    home = client.get("/participer/essai/")
    assert home.status_code == 200 and "Camille Nouveau" in home.content.decode()
    # the second time, the same account (found by the identity, not created again)
    client.post("/compte/deconnexion/")
    again, _t = _sign_in(client, provider, "cnouveau", "pw-camille")
    assert again.status_code == 302
    assert User.objects.filter(email="camille.nouveau@univ-essai.fr").count() == 1
    assert ExternalIdentity.objects.get(provider=provider).subject == "cnouveau"


def test_a_ticket_serves_once(client, essai, cas_url, caplog):
    provider = _add(essai, cas_url)
    first, ticket = _sign_in(client, provider, "cnouveau", "pw-camille")
    assert first.status_code == 302
    client.logout()
    with caplog.at_level(logging.WARNING, logger="sobrio.identity"):
        replay = client.get(f"/compte/sso/{provider.pk}/cas/?ticket={ticket}")
    assert replay.status_code == 400
    assert "déjà servi" in replay.content.decode()
    assert "replay" in caplog.text
    assert "_auth_user_id" not in client.session


def test_an_alum_signs_in_outside_the_community_and_unknown_codes_wait_for_the_officer(
    client, essai, cas_url
):
    provider = _add(essai, cas_url)
    answer, _t = _sign_in(client, provider, "alum", "pw-alum")
    assert answer.status_code == 302
    user = User.objects.get(email="ancien@univ-essai.fr")
    assert user.full_name == "Dominique Ancien"  # displayName first
    assert not participation.is_community(essai, user)
    membership = Membership.objects.get(institution=essai, user=user)
    assert membership.affiliation.code == "DSI"  # LABO-X unknown, DSI known
    labo = UnitCode.objects.get(institution=essai, code="LABO-X")
    assert labo.unit is None and labo.people == 1
    # the officer maps it once; the next person with it gets the unit
    labo.unit = UnitFactory(institution=essai, name="Laboratoire X")
    labo.save()
    from sobrio.identity import services

    PEOPLE_X = {**PEOPLE["alum"]["attributes"], "supannEntiteAffectation": "LABO-X"}
    other = IdentityProvider.objects.get(pk=provider.pk)
    _user, m = services.sign_in(other, "someone-else", {**PEOPLE_X, "mail": "x2@univ-essai.fr"})
    assert m.affiliation.name == "Laboratoire X"


@pytest.mark.parametrize(
    ("login", "says"),
    [("nomail", "adresse électronique"), ("noname", "ni votre nom"),
     ("elsewhere", "autre établissement")],
)  # fmt: skip
def test_what_is_missing_or_foreign_is_refused_and_nothing_is_created(
    client, essai, cas_url, caplog, login, says
):
    provider = _add(essai, cas_url)
    users = User.objects.count()
    with caplog.at_level(logging.WARNING, logger="sobrio.identity"):
        answer, _t = _sign_in(client, provider, login, "pw")
    assert answer.status_code == 400
    assert says in answer.content.decode()
    assert "sso refused" in caplog.text
    assert User.objects.count() == users
    assert not ExternalIdentity.objects.exists()
    assert "_auth_user_id" not in client.session


def test_an_idp_never_grants_a_team_role_but_an_invitation_or_a_membership_is_taken(
    client, essai, cas_url
):
    provider = _add(essai, cas_url)
    InvitationFactory(institution=essai, email="cmission@univ-essai.fr", role=Role.OFFICER)
    answer, _t = _sign_in(client, provider, "officer", "pw")
    assert answer["Location"] == "/"  # the team's dashboard
    user = User.objects.get(email="charge.mission@univ-essai.fr")
    assert Membership.objects.get(institution=essai, user=user).role == Role.OFFICER
    # an admin of the institution signing in through CAS stays admin, no more
    client.post("/compte/deconnexion/")
    admin = MembershipFactory(institution=essai, role=Role.ADMIN,
                              user__email="camille.nouveau@univ-essai.fr")  # fmt: skip
    again, _t = _sign_in(client, provider, "cnouveau", "pw-camille")
    assert again["Location"] == "/"
    assert Membership.objects.get(pk=admin.pk).role == Role.ADMIN
    assert Membership.objects.filter(user=admin.user).count() == 1


def test_a_ticket_for_institution_a_signs_nobody_into_institution_b(client, essai, cas_url):
    provider_a = _add(essai, cas_url)
    other = InstitutionFactory(slug="autre", name="Université Autre")
    provider_b = _add(other, cas_url, name="CAS Autre")
    start = client.get(f"/compte/sso/{provider_a.pk}/")
    ticket, _location = cas_ticket(start["Location"], "cnouveau", "pw-camille")
    answer = client.get(f"/compte/sso/{provider_b.pk}/cas/?ticket={ticket}")
    assert answer.status_code == 400
    assert not Membership.objects.filter(institution=other).exists()
    assert "_auth_user_id" not in client.session


def test_sign_out_leaves_sobrio_then_the_cas_server(client, essai, cas_url):
    import requests

    provider = _add(essai, cas_url)
    browser = requests.Session()
    _sign_in(client, provider, "cnouveau", "pw-camille", browser=browser)
    login_url = client.get(f"/compte/sso/{provider.pk}/")["Location"]
    remembered = browser.get(login_url, allow_redirects=False, timeout=10)
    assert "ticket=" in remembered.headers.get("Location", "")  # single sign-on, no form
    out = client.post("/compte/deconnexion/")
    assert out.status_code == 302
    assert out["Location"].startswith(cas_url + "logout?service=")
    assert "_auth_user_id" not in client.session
    at_cas = browser.get(out["Location"], allow_redirects=False, timeout=10)
    assert at_cas.headers["Location"] == "http://testserver/compte/connexion/"
    forgot = browser.get(login_url, allow_redirects=False, timeout=10)
    assert forgot.status_code == 200 and "password" in forgot.text  # its form again


def test_the_sign_in_pages_offer_the_provider_and_the_cli_lists_it(client, essai, cas_url):
    provider = _add(essai, cas_url)
    page = client.get("/participer/essai/connexion/").content.decode()
    assert "Se connecter avec ENT Essai" in page
    assert f"/compte/sso/{provider.pk}/" in page
    team = client.get("/compte/connexion/").content.decode()
    assert "Se connecter avec ENT Essai" in team
    out = io.StringIO()
    call_command("sso", "list", "--institution", "essai", "--format", "json", stdout=out)
    [row] = json.loads(out.getvalue())
    assert row["kind"] == "cas" and row["url"] == cas_url and row["id"] == provider.pk
    call_command("sso", "remove", str(provider.pk), stdout=io.StringIO())
    assert "ENT Essai" not in client.get("/participer/essai/connexion/").content.decode()


def test_a_session_opened_by_a_provider_reaches_its_institution_only(client, essai, cas_url):
    """A's provider vouches for A: the admin of B whose address it asserts gets no
    door to B (an admin of A could otherwise register an IdP that names anyone)."""
    provider = _add(essai, cas_url)
    other = InstitutionFactory(slug="autre", name="Université Autre")
    admin_b = MembershipFactory(institution=other, role=Role.ADMIN,
                                user__email="camille.nouveau@univ-essai.fr")  # fmt: skip
    answer, _t = _sign_in(client, provider, "cnouveau", "pw-camille")
    assert answer.status_code == 302
    assert client.get("/etablissement/membres/").status_code in (302, 403)  # B's: not here
    switch = client.post("/etablissement/changer/", {"institution": other.pk})
    assert switch.status_code in (302, 404)
    assert client.get("/etablissement/membres/").status_code in (302, 403)
    assert client.get("/participer/autre/mes-donnees/").status_code in (302, 403)
    # the same person signing in with their password has their whole account again
    from tests.factories import PASSWORD

    admin_b.user.set_password(PASSWORD)
    admin_b.user.save()
    client.post("/compte/deconnexion/")
    client.post("/compte/connexion/", {"username": admin_b.user.email, "password": PASSWORD})
    client.post("/etablissement/changer/", {"institution": other.pk})
    assert client.get("/etablissement/membres/").status_code == 200
