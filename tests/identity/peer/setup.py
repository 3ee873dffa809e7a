"""Prepare the peer's database: its tables and the service pattern that lets Sobrio
(on the test client's host) in, releasing every attribute."""

import json
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

folder = Path(os.environ["PEER_DIR"])
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
(folder / "oidc.key").write_bytes(
    key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
)

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)
from cas_server.models import ReplaceAttributName, ServicePattern  # noqa: E402

pattern = ServicePattern.objects.create(
    pos=1, name="sobrio", pattern=r"^http://(testserver|127\.0\.0\.1:\d+)/.*$", single_log_out=False
)
ReplaceAttributName.objects.create(service_pattern=pattern, name="*")

# the OpenID provider's accounts and its client: Sobrio, confidential, PKCE, no consent
# screen (the university's own service)
from django.contrib.auth.models import User  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

for login, person in json.loads(Path(os.environ["PEER_PEOPLE"]).read_text()).items():
    User.objects.create_user(login, password=person["password"])
Application.objects.create(
    name="Sobrio",
    client_id="sobrio-test",
    client_secret="sobrio-test-secret",  # noqa: S106
    client_type="confidential",
    authorization_grant_type="authorization-code",
    redirect_uris=os.environ.get("PEER_REDIRECT_URIS", "http://testserver/compte/sso/oidc/"),
    # where RP-initiated logout may send the browser back: Sobrio's sign-in page
    post_logout_redirect_uris=os.environ.get("PEER_REDIRECT_URIS", "http://testserver/").replace(
        "/compte/sso/oidc/", "/compte/connexion/"
    ),
    algorithm="RS256",
    skip_authorization=True,
)
