"""The admin registers the institution's CAS server on the web; the officer maps the unit
codes it sends; each institution sees and removes only its own (issue 22)."""

from sobrio.core.enums import Role
from sobrio.identity import services
from sobrio.identity.models import IdentityProvider, UnitCode
from tests.factories import InstitutionFactory, UnitFactory


def test_the_admin_adds_and_removes_a_cas_server_and_others_may_not(members, client_as):
    admin = members[Role.ADMIN]
    client = client_as(admin)
    assert client.get("/etablissement/connexion/").status_code == 200
    answer = client.post("/etablissement/connexion/", {
        "kind": "cas", "cas-name": "ENT", "cas-url": "https://cas.univ-essai.fr/cas/"})  # fmt: skip
    assert answer.status_code == 302
    provider = IdentityProvider.objects.get(institution=admin.institution)
    assert provider.kind == "cas" and provider.url == "https://cas.univ-essai.fr/cas/"
    again = client.post(
        "/etablissement/connexion/",
        {"kind": "cas", "cas-name": "ENT", "cas-url": "https://x.fr/cas/"},
    )
    assert "déjà ce libellé" in again.content.decode()
    bad = client.post(
        "/etablissement/connexion/",
        {"kind": "cas", "cas-name": "Autre", "cas-url": "pas une adresse"},
    )
    assert bad.status_code == 200 and IdentityProvider.objects.count() == 1
    oidc = client.post("/etablissement/connexion/", {
        "kind": "oidc", "oidc-name": "Compte", "oidc-url": "https://op.univ-essai.fr/",
        "oidc-client_id": "sobrio", "oidc-secret": "s3cret"})  # fmt: skip
    assert oidc.status_code == 302
    made = IdentityProvider.objects.get(kind="oidc")
    assert made.url == "https://op.univ-essai.fr" and services.secret_of(made) == "s3cret"
    assert b"s3cret" not in bytes(made.secret_sealed)
    made.delete()
    elsewhere = IdentityProvider.objects.create(
        institution=InstitutionFactory(), kind="cas", name="ENT", url="https://cas.autre.fr/"
    )
    assert client.post(f"/etablissement/connexion/{elsewhere.pk}/retirer/").status_code == 404
    for role in (Role.OFFICER, Role.VIEWER):
        assert client_as(members[role]).get("/etablissement/connexion/").status_code == 403
    client = client_as(admin)
    assert client.post(f"/etablissement/connexion/{provider.pk}/retirer/").status_code == 302
    assert list(IdentityProvider.objects.all()) == [elsewhere]


def test_the_officer_maps_a_code_once_and_it_applies_from_then_on(members, client_as):
    institution = members[Role.OFFICER].institution
    provider = IdentityProvider.objects.create(institution=institution, kind="cas", name="ENT",
                                               url="https://cas.univ-essai.fr/cas/")  # fmt: skip
    person = {"mail": "a@univ-essai.fr", "displayName": "Alex Martin",
              "eduPersonAffiliation": "staff", "supannEntiteAffectation": ["U-42"]}  # fmt: skip
    _user, membership = services.sign_in(provider, "alex", person)
    assert membership.affiliation is None
    code = UnitCode.objects.get(institution=institution, code="U-42")
    lab = UnitFactory(institution=institution, name="Laboratoire 42")
    client = client_as(members[Role.OFFICER])
    page = client.get("/etablissement/unites/codes/").content.decode()
    assert "U-42" in page
    answer = client.post("/etablissement/unites/codes/", {f"code-{code.pk}": str(lab.pk)})
    assert answer.status_code == 302
    _user, other = services.sign_in(provider, "sam", {**person, "mail": "s@univ-essai.fr"})
    assert other.affiliation == lab
    assert client_as(members[Role.VIEWER]).get("/etablissement/unites/codes/").status_code == 403


def test_a_value_as_one_string_or_a_list_and_the_mapping_per_provider(members):
    from sobrio.identity.attributes import person

    one = person("cas", "x", {"mail": "A@X.FR", "eduPersonAffiliation": "student@x.fr",
                              "givenName": ["Léa"], "sn": "Roux"})  # fmt: skip
    assert one.email == "a@x.fr" and one.affiliations == ["student"] and one.name == "Léa Roux"
    assert one.community
    mapped = person("cas", "x", {"courriel": "b@x.fr", "cn": "Bo Li"},
                    {"mail": "courriel", "displayName": "cn"})  # fmt: skip
    assert mapped.email == "b@x.fr" and mapped.name == "Bo Li" and not mapped.community
    uris = person("saml", "x", {"urn:oid:0.9.2342.19200300.100.1.3": ["c@x.fr"],
                                "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["alum"],
                                "urn:oid:2.16.840.1.113730.3.1.241": ["Cé Dé"]})  # fmt: skip
    assert uris.email == "c@x.fr" and uris.name == "Cé Dé" and not uris.community


def test_the_admin_keeps_passwords_for_admins_and_the_others_use_sso(members, client, client_as):
    from tests.factories import PASSWORD

    institution = members[Role.ADMIN].institution
    answer = client_as(members[Role.ADMIN]).post(
        "/etablissement/connexion/", {"kind": "passwords", "admins_only": "1"}
    )
    assert answer.status_code == 302
    institution.refresh_from_db()
    assert institution.passwords_admins_only
    client.logout()
    for role, allowed in ((Role.OFFICER, False), (Role.ADMIN, True)):
        user = members[role].user
        user.set_password(PASSWORD)
        user.save()
        answer = client.post("/compte/connexion/", {"username": user.email, "password": PASSWORD})
        assert (answer.status_code == 302) is allowed, role
        if not allowed:
            assert "réserve les mots de passe" in answer.content.decode()
        client.logout()


def test_my_data_lists_the_linked_account_and_erasing_unlinks_it(members, client_as):
    from sobrio.core import participation
    from sobrio.identity.models import ExternalIdentity

    institution = members[Role.OFFICER].institution
    provider = IdentityProvider.objects.create(institution=institution, kind="cas", name="ENT",
                                               url="https://cas.univ-essai.fr/cas/")  # fmt: skip
    user, _m = services.sign_in(provider, "alex", {"mail": "a@univ-essai.fr",
                                                   "displayName": "Alex Martin",
                                                   "eduPersonAffiliation": "staff"})  # fmt: skip
    data = dict(participation.personal_data(institution, user))
    [row] = data["Comptes d'établissement reliés"]
    assert row["Identifiant"] == "alex" and row["Fournisseur"] == "ENT"
    participation.erase(institution, user)
    assert not ExternalIdentity.objects.exists()


def test_the_admin_renames_turns_off_and_remaps_a_provider(client, db):
    """The attribute names a provider uses, changed on the web: only the changes kept,
    and the next sign-in reads them (issue 22)."""
    from sobrio.identity import attributes
    from tests.factories import InstitutionFactory, MembershipFactory

    institution = InstitutionFactory(slug="remap")
    provider = IdentityProvider.objects.create(
        institution=institution, kind="cas", name="ENT", url="https://cas.example/cas/"
    )
    IdentityProvider.objects.create(institution=institution, kind="cas", name="Autre",
                                    url="https://cas2.example/cas/")  # fmt: skip
    client.force_login(MembershipFactory(institution=institution, role=Role.ADMIN).user)
    page = client.get(f"/etablissement/connexion/{provider.pk}/").content.decode()
    assert 'value="supannEntiteAffectation"' in page and "Par défaut : mail" in page
    taken = client.post(f"/etablissement/connexion/{provider.pk}/", {"name": "Autre"})
    assert "déjà ce libellé" in taken.content.decode()
    answer = client.post(f"/etablissement/connexion/{provider.pk}/", {
        "name": "ENT Remap", "mail": "courriel", "supannEntiteAffectation": "",
        "uid": "uid"})  # fmt: skip
    assert answer.status_code == 302
    provider.refresh_from_db()
    assert provider.name == "ENT Remap" and not provider.enabled
    assert provider.attribute_map == {"mail": "courriel"}  # the defaults are not stored
    assert attributes.mapping("cas", provider.attribute_map)["mail"] == "courriel"
    # switched off: no longer offered
    client.get("/etablissement/connexion/")  # the message read
    assert (
        "Se connecter avec ENT Remap"
        not in client.get("/participer/remap/connexion/").content.decode()
    )
    assert "Se connecter avec Autre" in client.get("/participer/remap/connexion/").content.decode()
    # another institution's provider: not found
    other = IdentityProvider.objects.create(institution=InstitutionFactory(), kind="cas",
                                            name="X", url="https://x.example/cas/")  # fmt: skip
    assert client.get(f"/etablissement/connexion/{other.pk}/").status_code == 404
