"""What a provider says of a person, in Sobrio's words.

Defaults are the eduPerson and SUPANN names French identity providers release, as CAS
attribute names, SAML attribute URIs (urn:oid, the federation's name format) and OpenID
Connect claims; a provider's attribute_map replaces any of them. A value comes as one
string or a list (CAS sends a string when there is one value): always a list here."""

from dataclasses import dataclass, field

# Sobrio's name -> the attribute's name for each protocol
DEFAULTS = {
    "uid": {"cas": "uid", "saml": "urn:oid:0.9.2342.19200300.100.1.1",
            "oidc": "preferred_username"},
    "mail": {"cas": "mail", "saml": "urn:oid:0.9.2342.19200300.100.1.3", "oidc": "email"},
    "displayName": {"cas": "displayName", "saml": "urn:oid:2.16.840.1.113730.3.1.241",
                    "oidc": "name"},
    "givenName": {"cas": "givenName", "saml": "urn:oid:2.5.4.42", "oidc": "given_name"},
    "sn": {"cas": "sn", "saml": "urn:oid:2.5.4.4", "oidc": "family_name"},
    "eduPersonPrincipalName": {"cas": "eduPersonPrincipalName",
                               "saml": "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",
                               "oidc": "eduperson_principal_name"},
    "eduPersonAffiliation": {"cas": "eduPersonAffiliation",
                             "saml": "urn:oid:1.3.6.1.4.1.5923.1.1.1.1",
                             "oidc": "eduperson_affiliation"},
    "supannEntiteAffectation": {"cas": "supannEntiteAffectation",
                                "saml": "urn:oid:1.3.6.1.4.1.7135.1.2.1.8",
                                "oidc": "supann_entite_affectation"},
    "supannEtablissement": {"cas": "supannEtablissement",
                            "saml": "urn:oid:1.3.6.1.4.1.7135.1.2.1.14",
                            "oidc": "supann_etablissement"},
}  # fmt: skip
NAMES = tuple(DEFAULTS)

# eduPersonAffiliation values that make a person one of the institution's community
COMMUNITY = {"student", "staff", "faculty", "employee", "member"}

MAX_VALUES = 50  # an attribute with more values is cut: nobody has 50 units
MAX_LENGTH = 300


def mapping(kind, overrides=None):
    """Sobrio's name -> the provider's attribute name."""
    out = {name: names[kind] for name, names in DEFAULTS.items()}
    for name, value in (overrides or {}).items():
        if name in out and isinstance(value, str) and value.strip():
            out[name] = value.strip()
    return out


def values(raw, name):
    """A list of non-empty strings, whatever came (None, a string, a list, numbers)."""
    value = raw.get(name)
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        value = [value]
    out = []
    for item in value[:MAX_VALUES]:
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            text = str(item).strip()[:MAX_LENGTH]
            if text:
                out.append(text)
    return out


@dataclass
class Person:
    subject: str
    email: str = ""
    principal: str = ""  # eduPersonPrincipalName
    uid: str = ""
    name: str = ""
    affiliations: list = field(default_factory=list)
    unit_codes: list = field(default_factory=list)
    establishments: list = field(default_factory=list)

    @property
    def community(self):
        return any(a.lower() in COMMUNITY for a in self.affiliations)


def person(kind, subject, raw, overrides=None):
    """The Person a provider's attributes describe; subject: the protocol's own (CAS
    user, SAML NameID, OIDC sub). The name: displayName, else givenName + sn."""
    names = mapping(kind, overrides)

    def first(key):
        found = values(raw, names[key])
        return found[0] if found else ""

    display = first("displayName")
    if not display:
        display = " ".join(p for p in (first("givenName"), first("sn")) if p)
    return Person(
        subject=str(subject or "").strip()[:MAX_LENGTH],
        email=first("mail").lower(),
        principal=first("eduPersonPrincipalName").lower(),
        uid=first("uid"),
        name=display[:150],
        affiliations=[a.split("@")[0].lower() for a in values(raw, names["eduPersonAffiliation"])],
        unit_codes=values(raw, names["supannEntiteAffectation"]),
        establishments=values(raw, names["supannEtablissement"]),
    )
