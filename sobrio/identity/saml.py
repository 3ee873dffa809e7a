"""SAML 2.0 Web SSO as a service provider, with pysaml2 and Debian's xmlsec1: one SP for
the instance (its metadata at a stable address, for the federation's registry), an
AuthnRequest by HTTP-Redirect, the Response by HTTP-POST with its assertion signed by the
IdP of the provider's metadata (and encrypted for Sobrio, when the IdP does so, as
Shibboleth does by default); pysaml2 checks the signature, the audience, the recipient,
the validity window and InResponseTo (the request this browser left with).

Single logout (HTTP-Redirect, both ways): Sobrio sends the IdP a signed LogoutRequest
when the person signs out, and answers the IdP's own LogoutRequest (its signature checked
against the IdP's metadata) by ending the session it names. The SP's key and certificate
live in the database (ServiceProviderKey), so every server of a cluster signs alike.

Attributes are read from the assertion as the IdP named them (urn:oid:… URIs), not
through pysaml2's attribute maps: it ships none for SUPANN, and a second map of the same
name format would hide the eduPerson names."""

import datetime
import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

from django.db import IntegrityError, transaction
from django.urls import reverse
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.mdstore import MetadataStore
from saml2.metadata import create_metadata_string
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA1, SIG_RSA_SHA256

from sobrio.core import sealing

logger = logging.getLogger("sobrio.identity")

XMLSEC = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"
MAX_METADATA = 5 * 1024 * 1024  # a federation's whole aggregate is more: one IdP's, less
MAX_MESSAGE = 256 * 1024  # a LogoutRequest or LogoutResponse: a few kilobytes
KEY_PURPOSE = "sobrio saml service provider key"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"


class Failed(Exception):
    """The IdP's answer cannot be trusted or read: the reason, for the log."""


def _new_key():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    from sobrio.identity.models import ServiceProviderKey

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sobrio SAML SP")])
    now = datetime.datetime.now(datetime.UTC)
    # self-signed and long-lived, as federations expect of metadata certificates (they
    # trust the registry, not a CA): rotating means sending the registry the new one
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .sign(key, hashes.SHA256()))  # fmt: skip
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())  # fmt: skip
    return ServiceProviderKey(
        private_key=sealing.seal(pem, KEY_PURPOSE),
        certificate=cert.public_bytes(serialization.Encoding.PEM).decode(),
    )


def service_key():
    """The SP's key, made the first time any server needs it (one wins a race)."""
    from sobrio.identity.models import ServiceProviderKey

    found = ServiceProviderKey.objects.filter(purpose="saml-sp").first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            made = _new_key()
            made.save()
            return made
    except IntegrityError:
        return ServiceProviderKey.objects.get(purpose="saml-sp")


_FILES = {}  # certificate digest -> (key file, cert file), for xmlsec1, in this process


def key_files():
    """(key file, certificate file): xmlsec1 reads files, so the sealed key is written
    once per process into a private temporary folder (mode 0700, file 0600)."""
    key = service_key()
    digest = hashlib.sha256(key.certificate.encode()).hexdigest()
    if digest not in _FILES:
        folder = Path(tempfile.mkdtemp(prefix="sobrio-saml-"))
        key_file, cert_file = folder / "sp.key", folder / "sp.pem"
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(sealing.unseal(key.private_key, KEY_PURPOSE))
        cert_file.write_text(key.certificate, encoding="ascii")
        _FILES[digest] = (str(key_file), str(cert_file))
    return _FILES[digest]


def sp_entity_id(request):
    return request.build_absolute_uri(reverse("sso_saml_metadata"))


def acs_url(request):
    return request.build_absolute_uri(reverse("sso_saml_acs"))


def sls_url(request):
    return request.build_absolute_uri(reverse("sso_saml_sls"))


def _config(request, provider=None):
    key_file, cert_file = key_files()
    conf = {
        "entityid": sp_entity_id(request),
        "xmlsec_binary": XMLSEC,
        "key_file": key_file, "cert_file": cert_file,
        "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
        "service": {"sp": {
            "name": "Sobrio",
            "signing_algorithm": SIG_RSA_SHA256, "digest_algorithm": DIGEST_SHA256,
            "endpoints": {
                "assertion_consumer_service": [(acs_url(request), BINDING_HTTP_POST)],
                "single_logout_service": [(sls_url(request), BINDING_HTTP_REDIRECT)],
            },
            "want_assertions_signed": True,
            "want_response_signed": False,
            "allow_unsolicited": False,
            "authn_requests_signed": True,
            "logout_requests_signed": True,
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


class NotInMetadata(Failed):
    """The entity ID asked for is not among the metadata's IdPs (listed)."""


class SeveralIdps(Failed):
    """The metadata describes several IdPs and none was chosen."""


class BadCertificate(Failed):
    """The metadata signing certificate is not a PEM certificate."""


class NotSignedBy(Failed):
    """The metadata is not signed, or not over the whole, or not by the certificate."""


def fetch_metadata(source):
    """(the XML, its URL or "") of metadata given as an address, a file or the XML
    itself, its size checked before it is read."""
    if source.lstrip().startswith("<"):
        body, url = source.encode(), ""
    elif source.startswith(("https://", "http://")):
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
    """The IdP entity IDs of a metadata document (str), or Failed (unreadable, past its
    validUntil, no IdP in it)."""
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


MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"


def check_metadata_signature(xml, cert_pem):
    """Failed unless the document's root (EntityDescriptor or EntitiesDescriptor) carries
    a signature over the whole document, made with the key of cert_pem (the
    federation's metadata signing certificate)."""
    import defusedxml.ElementTree as ElementTree
    from saml2.sigver import CryptoBackendXmlSec1

    try:
        root = ElementTree.fromstring(xml.encode())
    except Exception as exc:  # noqa: BLE001 - not XML, or XML with entities (refused)
        raise Failed(f"metadata: {exc}") from None
    local = root.tag.rpartition("}")[2]
    if root.tag not in (f"{{{MD}}}EntityDescriptor", f"{{{MD}}}EntitiesDescriptor"):
        raise Failed("metadata: the root is not an EntityDescriptor or EntitiesDescriptor")
    signature = root.find(f"{{{DS}}}Signature")
    if signature is None:
        raise NotSignedBy("metadata not signed")
    references = signature.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")
    root_id = root.get("ID")
    # one reference, to the root: a signature over a part would let the rest be forged
    if len(references) != 1 or references[0].get("URI") not in ("", f"#{root_id}"):
        raise NotSignedBy("metadata: the signature does not cover the whole document")
    with tempfile.NamedTemporaryFile("w", suffix=".pem", encoding="ascii") as cert_file:
        cert_file.write(cert_pem)
        cert_file.flush()
        try:
            valid = CryptoBackendXmlSec1(XMLSEC).validate_signature(
                xml, cert_file.name, "pem", f"{MD}:{local}", root_id
            )
        except Exception as exc:  # noqa: BLE001 - xmlsec1 says why on its way out
            raise NotSignedBy(f"metadata signature: {type(exc).__name__}") from None
    if not valid:
        raise NotSignedBy("metadata signature not valid")


def read_certificate(pem):
    """The PEM certificate, checked to be one, or Failed."""
    from cryptography import x509

    pem = (pem or "").strip()
    try:
        x509.load_pem_x509_certificate(pem.encode())
    except ValueError:
        raise BadCertificate("not a PEM certificate") from None
    return pem + "\n"


def idp_fields(source, entity_id="", cert=""):
    """What a SAML IdentityProvider keeps of metadata (an address, a file or the XML):
    the document (its signature checked first when cert is given), its address, the
    IdP chosen, the certificate; Failed (NotInMetadata, SeveralIdps) otherwise."""
    xml, url = fetch_metadata(source)
    if cert:
        cert = read_certificate(cert)
        check_metadata_signature(xml, cert)
    idps = read_metadata(xml)
    if entity_id and entity_id not in idps:
        raise NotInMetadata(", ".join(idps))
    if not entity_id and len(idps) > 1:
        raise SeveralIdps(str(len(idps)))
    from django.utils import timezone

    return {"metadata": xml, "metadata_url": url, "entity_id": entity_id or idps[0],
            "metadata_cert": cert, "metadata_refreshed_at": timezone.now()}  # fmt: skip


def refresh_metadata(provider, now=None):
    """Read again the metadata of a provider given by its address (keys change, an IdP
    moves): kept only when it reads, names the same IdP and, with a certificate, is
    signed by it; otherwise the last good metadata stays and the problem is recorded.
    True when the metadata was renewed."""
    try:
        fields = idp_fields(provider.metadata_url, provider.entity_id, provider.metadata_cert)
    except Failed as failed:
        provider.metadata_problem = f"{type(failed).__name__}: {failed}"[:300]
        provider.save(update_fields=["metadata_problem"])
        logger.warning("sso: provider %s: metadata not renewed: %s", provider.pk,
                       provider.metadata_problem)  # fmt: skip
        return False
    provider.metadata = fields["metadata"]
    provider.metadata_problem = ""
    provider.metadata_refreshed_at = now or fields["metadata_refreshed_at"]
    provider.save(update_fields=["metadata", "metadata_problem", "metadata_refreshed_at"])
    return True


def refresh_all():
    """The daily chore: every SAML provider whose metadata has an address."""
    from sobrio.identity.models import IdentityProvider, Kind

    providers = IdentityProvider.objects.filter(kind=Kind.SAML).exclude(metadata_url="")
    return sum(refresh_metadata(provider) for provider in providers)


def authn_request(request, provider):
    """(the request's ID, the IdP's URL to redirect the browser to)."""
    client = Saml2Client(_config(request, provider))
    request_id, info = client.prepare_for_authenticate(
        entityid=provider.entity_id, binding=BINDING_HTTP_REDIRECT, sign=True
    )
    return request_id, dict(info["headers"])["Location"]


def response(request, provider, saml_response, request_id):
    """(subject, {attribute URI: [values]}, assertion ID, what single logout will need)
    of a valid response to request_id from the provider's IdP; Failed otherwise."""
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
    indexes = [s.session_index for s in answer.assertion.authn_statement or [] if s.session_index]
    logout = {"name_id": name_id.to_string().decode() if name_id is not None else "",
              "session_index": indexes[0] if indexes else ""}  # fmt: skip
    return subject, raw, answer.assertion.id, logout


def same_name(kept, named):
    """Whether two NameIDs (as XML) name the same subject: value, format, qualifiers."""
    from saml2.saml import name_id_from_string

    if not kept or not named:
        return False
    a, b = name_id_from_string(kept), name_id_from_string(named)
    fields = ("text", "format", "name_qualifier", "sp_name_qualifier")
    return all((getattr(a, f) or "") == (getattr(b, f) or "") for f in fields)


def _slo_destination(client, provider):
    try:
        found = client.metadata.single_logout_service(provider.entity_id, BINDING_HTTP_REDIRECT,
                                                      "idpsso")  # fmt: skip
    except Exception:  # noqa: BLE001 - an IdP without single logout
        return ""
    return found[0]["location"] if found else ""


def logout_request(request, provider, kept):
    """The IdP's address carrying a signed LogoutRequest for the session that kept
    (response()'s logout), or "" when the IdP offers no single logout by redirect."""
    from saml2.saml import name_id_from_string

    client = Saml2Client(_config(request, provider))
    destination = _slo_destination(client, provider)
    if not destination or not kept.get("name_id"):
        return ""
    _id, message = client.create_logout_request(
        destination, provider.entity_id, name_id=name_id_from_string(kept["name_id"]),
        session_indexes=[kept["session_index"]] if kept.get("session_index") else None,
        expire=_in(minutes=5),
    )  # fmt: skip
    info = client.apply_binding(BINDING_HTTP_REDIRECT, str(message), destination,
                                relay_state=str(provider.pk), sign=True)  # fmt: skip
    return dict(info["headers"])["Location"]


def _in(minutes):
    from saml2.time_util import in_a_while

    return in_a_while(minutes=minutes)


def message_issuer(payload):
    """The issuer of a SAMLRequest or SAMLResponse sent by redirect (deflated, base64):
    only to choose whose metadata checks it; nothing is trusted from it."""
    from saml2 import samlp
    from saml2.s_utils import decode_base64_and_inflate

    if len(payload) > MAX_MESSAGE:
        raise Failed("message over 256 kB")
    try:
        xml = decode_base64_and_inflate(payload)
        for reader in (samlp.logout_request_from_string, samlp.logout_response_from_string):
            found = reader(xml)
            if found is not None and found.issuer is not None:
                return found.issuer.text
    except Exception as exc:  # noqa: BLE001 - not base64, not deflate, not XML
        raise Failed(f"unreadable: {exc}") from None
    raise Failed("no issuer")


def _signed_by_idp(client, provider, query, kind):
    """The redirect binding's signature (SigAlg, Signature) checked with the IdP's
    signing certificates from its metadata."""
    from saml2.sigver import verify_redirect_signature

    if not query.get("Signature") or query.get("SigAlg") in (None, "", SIG_RSA_SHA1):
        return False  # SHA-1 is broken for signatures: federations moved off it
    message = {k: query[k] for k in (kind, "RelayState", "SigAlg", "Signature") if k in query}
    certs = client.metadata.certs(provider.entity_id, "idpsso", "signing")
    for _name, cert in certs:
        try:
            if verify_redirect_signature(message, client.sec.sec_backend, cert):
                return True
        except Exception as exc:  # noqa: BLE001 - an unknown algorithm, a bad signature
            logger.debug("sso: redirect signature by %s not verified: %r", _name, exc)
    return False


def idp_logout_request(request, provider, query):
    """The IdP asks Sobrio to end a session: (its NameID as XML, its session indexes,
    the URL answering it with a signed LogoutResponse). Failed when it is not signed by
    the IdP, not for Sobrio, or expired."""
    client = Saml2Client(_config(request, provider))
    if not _signed_by_idp(client, provider, query, "SAMLRequest"):
        raise Failed("logout request not signed by the IdP")
    try:
        parsed = client.parse_logout_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
    except Exception as exc:  # noqa: BLE001 - wrong destination, out of time, malformed
        raise Failed(f"logout request: {type(exc).__name__}: {exc}") from None
    if parsed is None or parsed.message.issuer.text != provider.entity_id:
        raise Failed("logout request unreadable or from another issuer")
    message = parsed.message
    answer = client.create_logout_response(message, [BINDING_HTTP_REDIRECT])
    destination = _slo_destination(client, provider)
    info = client.apply_binding(BINDING_HTTP_REDIRECT, str(answer), destination,
                                relay_state=query.get("RelayState", ""), response=True,
                                sign=True)  # fmt: skip
    indexes = [i.text for i in message.session_index or []]
    return message.name_id.to_string().decode(), indexes, dict(info["headers"])["Location"]


def idp_logout_response(request, provider, query):
    """True when the IdP's answer to Sobrio's LogoutRequest is signed and says Success."""
    client = Saml2Client(_config(request, provider))
    if not _signed_by_idp(client, provider, query, "SAMLResponse"):
        return False
    try:
        answer = client.parse_logout_request_response(query["SAMLResponse"],
                                                      BINDING_HTTP_REDIRECT)  # fmt: skip
    except Exception:  # noqa: BLE001 - whatever it is, the IdP did not confirm
        return False
    return answer is not None and answer.response.status.status_code.value == SUCCESS
