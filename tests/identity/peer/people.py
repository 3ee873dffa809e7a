"""The CAS server's directory: people and their attributes, read from PEER_PEOPLE (a
JSON file the test writes: {"login": {"password": "…", "attributes": {…}}})."""

import json
import os

from cas_server.auth import AuthUser


def _people():
    with open(os.environ["PEER_PEOPLE"], encoding="utf-8") as f:
        return json.load(f)


class People(AuthUser):
    def test_password(self, password):
        person = _people().get(self.username)
        return person is not None and person["password"] == password

    def attributs(self):
        return dict(_people().get(self.username, {}).get("attributes", {}))
