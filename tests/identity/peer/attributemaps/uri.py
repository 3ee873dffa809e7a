"""The test IdP's one attribute map of the URI name format: pysaml2's eduPerson and
inetOrgPerson names and the SUPANN ones it lacks. One map: pysaml2 takes every dict with
an "identifier" it finds in the module, and a second map of the same name format hides
the other's names (so pysaml2's own is not imported at module level here)."""

SUPANN = {
    "urn:oid:1.3.6.1.4.1.7135.1.2.1.8": "supannEntiteAffectation",
    "urn:oid:1.3.6.1.4.1.7135.1.2.1.14": "supannEtablissement",
}


def _merged():
    from saml2.attributemaps import saml_uri

    base = saml_uri.MAP
    return {
        "identifier": base["identifier"],
        "fro": {**base["fro"], **SUPANN},
        "to": {**base["to"], **{name: uri for uri, name in SUPANN.items()}},
    }


MAP = _merged()
