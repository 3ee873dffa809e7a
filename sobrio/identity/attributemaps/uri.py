"""Sobrio's one attribute map of the URI name format, for the attributes its SP metadata
requests: pysaml2's eduPerson and inetOrgPerson names, and the SUPANN ones pysaml2 does
not ship. One map in one module: pysaml2 takes every dict with an "identifier" it finds
there, and two maps of the same name format hide each other's names."""

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
