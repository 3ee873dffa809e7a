"""SAML 2.0 Web SSO as a service provider, with pysaml2 and Debian's xmlsec1: one SP for
the instance (its metadata at a stable address, for the federation's registry), an
AuthnRequest by HTTP-Redirect, the Response by HTTP-POST with its assertion signed by the
IdP of the provider's metadata; pysaml2 checks the signature, the audience, the
recipient, the validity window and InResponseTo (the request this browser left with).

Attributes are read from the assertion as the IdP named them (urn:oid:… URIs), not
through pysaml2's attribute maps: it ships none for SUPANN, and a second map of the same
name format would hide the eduPerson names."""

import shutil
from pathlib import Path

from django.urls import reverse
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.mdstore import MetadataStore
from saml2.metadata import create_metadata_string

XMLSEC = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"
MAX_METADATA = 5 * 1024 * 1024  # a federation's whole aggregate is more: one IdP's, less


class Failed(Exception):
    """The IdP's answer cannot be trusted or read: the reason, for the log."""


def sp_entity_id(request):
    return request.build_absolute_uri(reverse("sso_saml_metadata"))


def acs_url(request):
    return request.build_absolute_uri(reverse("sso_saml_acs"))


def _config(request, provider=None):
    conf = {
        "entityid": sp_entity_id(request),
        "xmlsec_binary": XMLSEC,
        "service": {"sp": {
            "name": "Sobrio",
            "endpoints": {"assertion_consumer_service": [(acs_url(request), BINDING_HTTP_POST)]},
            "want_assertions_signed": True,
            "want_response_signed": False,
            "allow_unsolicited": False,
            "authn_requests_signed": False,
            "required_attributes": ["mail", "eduPersonPrincipalName"],
            "optional_attributes": ["uid", "displayName", "givenName", "sn",
                                    "eduPersonAffiliation", "supannEntiteAffectation",
                                    "supannEtablissement"],
        }},
        # the names of the attributes the metadata requests (attributemaps/uri.py)
        "attribute_map_dir": str(Path(__file__).parent / "attributemaps"),
        "allow_unknown_attributes": True,
        "accepted_time_diff": 60,
    }  # fmt: skip
    if provider is not None:
        conf["metadata"] = {"inline": [provider.metadata]}
    config = SPConfig()
    config.load(conf)
    return config


def metadata(request):
    """Sobrio's SP metadata (XML), the same for every institution."""
    return create_metadata_string(None, config=_config(request), valid=24 * 365).decode()


def fetch_metadata(source):
    """(the XML, its URL or "") of a metadata file or address, its size checked first."""
    if source.startswith(("https://", "http://")):
        import requests

        try:
            answer = requests.get(source, timeout=20, stream=True)
            body = answer.raw.read(MAX_METADATA + 1, decode_content=True)
            answer.close()
        except requests.RequestException as exc:
            raise Failed(str(exc)) from None
        if answer.status_code != 200:
            raise Failed(f"HTTP {answer.status_code}")
        url = source
    else:
        from pathlib import Path

        path = Path(source)
        if not path.is_file():
            raise Failed("no such file")
        if path.stat().st_size > MAX_METADATA:
            raise Failed("over 5 MB")
        body, url = path.read_bytes(), ""
    if len(body) > MAX_METADATA:
        raise Failed("over 5 MB")
    try:
        return body.decode("utf-8"), url
    except UnicodeDecodeError:
        raise Failed("not UTF-8 text") from None


def read_metadata(xml):
    """The IdP entity IDs of a metadata document (str), or Failed."""
    if len(xml.encode()) > MAX_METADATA:
        raise Failed("metadata over 5 MB")
    store = MetadataStore(None, None)
    try:
        store.load("inline", xml)
    except Exception as exc:  # noqa: BLE001 - whatever pysaml2 raises on a bad document
        raise Failed(f"metadata: {exc}") from None
    idps = sorted(store.identity_providers())
    if not idps:
        raise Failed("metadata: no identity provider in it")
    return idps


def authn_request(request, provider):
    """(the request's ID, the IdP's URL to redirect the browser to)."""
    client = Saml2Client(_config(request, provider))
    request_id, info = client.prepare_for_authenticate(
        entityid=provider.entity_id, binding=BINDING_HTTP_REDIRECT
    )
    return request_id, dict(info["headers"])["Location"]


def response(request, provider, saml_response, request_id):
    """(subject, {attribute URI: [values]}, assertion ID) of a valid response to
    request_id from the provider's IdP; Failed otherwise."""
    client = Saml2Client(_config(request, provider))
    try:
        answer = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding={request_id: "/"}
        )
    except Exception as exc:  # noqa: BLE001 - pysaml2 has many: each means "not this one"
        raise Failed(f"{type(exc).__name__}: {exc}") from None
    if answer is None or answer.assertion is None:
        raise Failed("no assertion")
    if answer.issuer() != provider.entity_id:
        raise Failed(f"issued by {answer.issuer()!r}, not {provider.entity_id!r}")
    raw = {}
    for statement in answer.assertion.attribute_statement or []:
        for attribute in statement.attribute:
            raw.setdefault(attribute.name, []).extend(
                v.text for v in attribute.attribute_value if v.text
            )
    name_id = answer.assertion.subject.name_id
    subject = (name_id.text if name_id is not None else "") or ""
    principal = raw.get("urn:oid:1.3.6.1.4.1.5923.1.1.1.6")
    if principal:  # eduPersonPrincipalName outlives transient NameIDs
        subject = principal[0]
    return subject, raw, answer.assertion.id
