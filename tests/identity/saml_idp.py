"""A SAML 2.0 identity provider for the tests: pysaml2's own IdP (saml2.server.Server)
behind a small WSGI app on loopback, with its metadata made by
saml2.metadata.entity_descriptor, a key and certificate made for the run, and SUPANN
attributes released as URIs. /sso takes the AuthnRequest (HTTP-Redirect, its signature
checked against Sobrio's metadata) and, for the person named by ?user= (the login step),
answers the HTTP-POST form a browser would send on, its assertion signed and, with
encrypt, encrypted for Sobrio's certificate; /slo takes Sobrio's LogoutRequest (signed,
HTTP-Redirect), ends the person's session there and answers; logout_request() makes the
IdP's own. Options make it misbehave as the attacks do."""

import datetime
import html
import re
import secrets
import threading
import urllib.parse
from contextlib import contextmanager
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

MAPS = Path(__file__).parent / "peer" / "attributemaps"
PASSWORD = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
URI_FORMAT = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"


def key_pair(folder, name):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .sign(key, hashes.SHA256()))  # fmt: skip
    key_file, cert_file = Path(folder) / f"{name}.key", Path(folder) / f"{name}.pem"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class IdP:
    def __init__(self, folder, people, sp_metadata, name="idp"):
        self.folder, self.people, self.name = Path(folder), people, name
        self.sp_metadata_file = self.folder / f"{name}-sp.xml"
        self.sp_metadata_file.write_text(sp_metadata, encoding="utf-8")
        self.key, self.cert = key_pair(folder, name)
        self.misbehave = {}  # unsigned, audience, expired, signed_by
        self.encrypt = False
        self.published = None  # what /metadata serves: a function giving the XML
        self.sessions = {}  # subject -> session index, while the person is signed in here
        self.logged_out = []  # the NameIDs Sobrio's LogoutRequests named

    def config(self, base, key=None, cert=None, minutes=5):
        conf = IdPConfig()
        conf.load({
            "entityid": f"{base}/{self.name}",
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "attribute_map_dir": str(MAPS),
            "key_file": key or self.key, "cert_file": cert or self.cert,
            "metadata": {"local": [str(self.sp_metadata_file)]},
            "service": {"idp": {
                "endpoints": {
                    "single_sign_on_service": [(f"{base}/sso", BINDING_HTTP_REDIRECT)],
                    "single_logout_service": [(f"{base}/slo", BINDING_HTTP_REDIRECT)],
                },
                "want_authn_requests_signed": True,
                "signing_algorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "policy": {"default": {"lifetime": {"minutes": minutes},
                                       "attribute_restrictions": None,
                                       "name_form": URI_FORMAT}},
            }},
        })  # fmt: skip
        return conf

    def metadata(self):
        return str(entity_descriptor(self.config(self.base)))

    def signed_metadata(self, federation):
        """The metadata as a federation publishes it: signed by xmlsec1 with federation's
        (key file, certificate file), the signature enveloped in the EntityDescriptor.
        (saml2's SecurityContext.sign_statement would write the signer's certificate into
        the IdP's own KeyDescriptor too: the backend is called directly.)"""
        from saml2.s_utils import sid
        from saml2.sigver import CryptoBackendXmlSec1, pre_signature_part
        from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

        descriptor = entity_descriptor(self.config(self.base))
        descriptor.id = sid()
        descriptor.signature = pre_signature_part(descriptor.id, None, 1,
                                                  sign_alg=SIG_RSA_SHA256,
                                                  digest_alg=DIGEST_SHA256)  # fmt: skip
        return CryptoBackendXmlSec1("/usr/bin/xmlsec1").sign_statement(
            str(descriptor), "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
            federation[0], descriptor.id,
        )  # fmt: skip

    def rotate(self):
        """A new signing key, as an IdP changes its certificate."""
        self.key, self.cert = key_pair(self.folder, f"{self.name}-{secrets.token_hex(4)}")
        self.server = Server(config=self.config(self.base))

    def app(self, environ, start_response):
        query = {k: v[0] for k, v in
                 urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).items()}  # fmt: skip
        if environ["PATH_INFO"] == "/slo" and "SAMLRequest" in query:
            return self.slo(query, start_response)
        if environ["PATH_INFO"] == "/metadata" and self.published is not None:
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [self.published().encode()]
        if environ["PATH_INFO"] != "/sso" or "SAMLRequest" not in query:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        server = self.server
        if self.misbehave.get("signed_by"):  # another key than the metadata's
            server = Server(config=self.config(self.base, *self.misbehave["signed_by"]))
        if self.misbehave.get("expired"):  # valid for 5 minutes, half an hour ago
            server = Server(config=self.config(self.base, minutes=-30))
        # a request Sobrio did not sign, or signed with another key, stops here
        request = server.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT,
                                             relay_state=query.get("RelayState"),
                                             sigalg=query.get("SigAlg"),
                                             signature=query.get("Signature"))  # fmt: skip
        person = self.people[query.get("user", "")]
        sp = self.misbehave.get("audience") or request.message.issuer.text
        destination = request.message.assertion_consumer_service_url
        response = server.create_authn_response(
            identity=person["attributes"], in_response_to=request.message.id,
            destination=destination, sp_entity_id=sp,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=person["subject"]),
            sign_assertion=not self.misbehave.get("unsigned"),
            authn={"class_ref": PASSWORD, "authn_auth": f"{self.base}/{self.name}"},
            encrypt_assertion=self.encrypt,
            encrypt_cert_assertion=self.sp_certificate() if self.encrypt else None,
        )  # fmt: skip
        index = re.search(r'SessionIndex="([^"]+)"', str(response))  # pysaml2 draws it
        self.sessions[person["subject"]] = index[1] if index else "encrypted"
        http = server.apply_binding(BINDING_HTTP_POST, str(response), destination, "",
                                    response=True)  # fmt: skip
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [http["data"].encode() if isinstance(http["data"], str) else http["data"]]

    def sp_certificate(self):
        """Sobrio's encryption certificate, from its metadata (base64 DER)."""
        found = re.search(r'use="encryption".*?<ns\d*:?X509Certificate>([^<]+)<',
                          self.sp_metadata_file.read_text(), re.S)  # fmt: skip
        found = found or re.search(r"X509Certificate>([^<]+)<", self.sp_metadata_file.read_text())
        return found[1].strip()

    def slo(self, query, start_response):
        """Sobrio's LogoutRequest: its signature checked, the session ended, answered."""
        try:
            request = self.server.parse_logout_request(
                query["SAMLRequest"], BINDING_HTTP_REDIRECT, relay_state=query.get("RelayState"),
                sigalg=query.get("SigAlg"), signature=query.get("Signature"),
            )  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - refused, as a real IdP does
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [f"refused: {exc!r}".encode()]
        name_id = request.message.name_id
        self.logged_out.append(name_id.text)
        self.sessions.pop(name_id.text, None)
        answer = self.server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT])
        destination = self.server.metadata.single_logout_service(
            request.message.issuer.text, BINDING_HTTP_REDIRECT, "spsso")[0]["location"]  # fmt: skip
        info = self.server.apply_binding(BINDING_HTTP_REDIRECT, str(answer), destination,
                                         relay_state=query.get("RelayState", ""), response=True,
                                         sign=True)  # fmt: skip
        start_response("302 Found", [("Location", dict(info["headers"])["Location"])])
        return [b""]

    def logout_request(self, subject, sign=True, sigalg=None):
        """The address of Sobrio's single logout service carrying this IdP's own
        LogoutRequest for subject (signed unless told otherwise, with sigalg if given)."""
        sp = self.server.metadata.single_logout_service(
            self._sp_entity(), BINDING_HTTP_REDIRECT, "spsso")[0]["location"]  # fmt: skip
        _id, message = self.server.create_logout_request(
            sp, self._sp_entity(),
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=subject),
            session_indexes=[self.sessions.get(subject, "s-0")],
        )  # fmt: skip
        info = self.server.apply_binding(BINDING_HTTP_REDIRECT, str(message), sp,
                                         relay_state="idp-initiated", sign=sign,
                                         sigalg=sigalg)  # fmt: skip
        return dict(info["headers"])["Location"]

    def _sp_entity(self):
        return re.search(r'entityID="([^"]+)"', self.sp_metadata_file.read_text())[1]

    @contextmanager
    def running(self):
        httpd = make_server("127.0.0.1", 0, self.app, handler_class=_Quiet)
        self.base = f"http://127.0.0.1:{httpd.server_port}"
        self.server = Server(config=self.config(self.base))
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            httpd.shutdown()


def posted_response(page):
    """The SAMLResponse of the IdP's auto-submitted form."""
    found = re.search(r'name="SAMLResponse" value="([^"]+)"', page)
    return html.unescape(found[1]) if found else None
