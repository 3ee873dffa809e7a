"""The CAS server's directory: people and their attributes, read from PEER_PEOPLE (a
JSON file the test writes: {"login": {"password": "…", "attributes": {…}}})."""

import json
import os

from cas_server.auth import AuthUser
from oauth2_provider.oauth2_validators import OAuth2Validator


def _people():
    with open(os.environ["PEER_PEOPLE"], encoding="utf-8") as f:
        return json.load(f)


class People(AuthUser):
    def test_password(self, password):
        person = _people().get(self.username)
        return person is not None and person["password"] == password

    def attributs(self):
        return dict(_people().get(self.username, {}).get("attributes", {}))


class Claims(OAuth2Validator):
    """The OpenID provider's claims: the standard ones and the SUPANN ones, from the same
    directory. django-oauth-toolkit releases a claim only when oidc_claim_scope maps it
    to a scope the client asked for."""

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "eduperson_affiliation": "supann",
        "eduperson_principal_name": "supann",
        "supann_entite_affectation": "supann",
        "supann_etablissement": "supann",
    }

    def get_additional_claims(self, request):
        person = _people().get(request.user.username, {})
        return dict(person.get("claims", {}))
