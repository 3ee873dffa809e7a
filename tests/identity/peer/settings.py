"""The identity providers of the tests, as a university runs them, on loopback: a CAS
server (django-cas-server, GPLv3) and an OpenID provider (django-oauth-toolkit), both
test-only dependencies. Their people come from the JSON file named by PEER_PEOPLE
(people.py), as a directory would give them."""

import os
from pathlib import Path

FOLDER = Path(os.environ["PEER_DIR"])
SECRET_KEY = "test-peer-not-secret"  # noqa: S105 - a throw-away server for one test run
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "cas_server",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "tests.identity.peer.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [Path(__file__).parent / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]  # fmt: skip
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(FOLDER / "peer.db")}}
USE_TZ = True
STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
CAS_AUTH_CLASS = "tests.identity.peer.people.People"
# django-cas-server asks PyPI for a newer version and mails about it unless told not to
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_SHOW_POWERED = False
CAS_LOGOUT_REDIRECT = True
# no CDN: the login page as loopback serves it (nothing leaves the machine)
CAS_COMPONENT_URLS = dict.fromkeys(
    ("bootstrap3_css", "bootstrap3_js", "html5shiv", "respond", "bootstrap4_css",
     "bootstrap4_js", "jquery"), ""
)  # fmt: skip

# The OpenID provider: RS256 id_tokens signed with a key made for the run (setup.py),
# PKCE required (its default), the SUPANN claims released by the "supann" scope.
LOGIN_URL = "/login/"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (FOLDER / "oidc.key").read_text() if (FOLDER / "oidc.key").exists()
    else "",
    "OAUTH2_VALIDATOR_CLASS": "tests.identity.peer.people.Claims",
    "SCOPES": {"openid": "OpenID", "profile": "Profil", "email": "Courriel",
               "supann": "SUPANN"},
    "PKCE_REQUIRED": True,
    # OpenID Connect RP-Initiated Logout 1.0, without a confirmation page when the
    # client names the person with a valid id_token_hint
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
}  # fmt: skip
