"""Sobrio's one attribute map of the URI name format, for the attributes its SP metadata
requests: pysaml2's eduPerson and inetOrgPerson names, and the SUPANN ones pysaml2 does
not ship. One map in one module: pysaml2 takes every dict with an "identifier" it finds
there, and two maps of the same name format hide each other's names."""


def _merged():
    from saml2.attributemaps import saml_uri

    from sobrio.identity.attributes import DEFAULTS

    # the SUPANN URIs are those Sobrio reads (attributes.py), stated once
    supann = {names["saml"]: name for name, names in DEFAULTS.items() if name.startswith("supann")}
    base = saml_uri.MAP
    return {
        "identifier": base["identifier"],
        "fro": {**base["fro"], **supann},
        "to": {**base["to"], **{name: uri for uri, name in supann.items()}},
    }


MAP = _merged()
