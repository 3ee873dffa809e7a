"""Sobrio's only settings module: every value comes from SOBRIO_* variables (see env.py)."""

from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from sobrio import env

env.check_names()

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env.env_str("VAR_DIR", "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.env_bool("DEBUG", False)
SECRET_KEY = env.secret_key(VAR_DIR)
ALLOWED_HOSTS = env.allowed_hosts()
CSRF_TRUSTED_ORIGINS = env.env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "sobrio.core",
    "sobrio.imports",
    "sobrio.referentials",
    "sobrio.assessment",
    "sobrio.inventory",
    "sobrio.footprint",
    "sobrio.plan",
    "sobrio.reports",
    "sobrio.awareness",  # migrations only: the tables moved to the four apps below
    "sobrio.learning",
    "sobrio.cleanup",
    "sobrio.ideas",
    "sobrio.badges",
    "sobrio.reuse",
    "sobrio.network",
    "sobrio.identity",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.forms",
    "sobrio.apps.StaticFilesConfig",
    "dsfr",
    "widget_tweaks",
    "auditlog",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sobrio.core.uploads.UploadLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sobrio.core.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sobrio.core.tenancy.CurrentInstitutionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sobrio.core.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sobrio.core.middleware.AuditlogMiddleware",
    "sobrio.core.middleware.PrivacyHeadersMiddleware",
    "sobrio.core.middleware.BusyDatabaseMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sobrio.urls"
WSGI_APPLICATION = "sobrio.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sobrio.core.tenancy.institution_context",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env.env_database(VAR_DIR)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Tests on a file, as in production: an in-memory database locks whole tables and
    # ignores the busy timeout, so concurrent writers would not behave as they do for real.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-sobrio.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
# Failed logins are throttled per account and address together (django-axes), with a
# higher limit per account: 5 failures from one address lock that account from there for a
# minute, 25 from all addresses lock the account; each further round doubles the wait, up
# to an hour (core/logins.py). The address is the client's behind a trusted proxy.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SOBRIO_LOGIN_FAILURES_PER_ADDRESS = 5
AXES_FAILURE_LIMIT = "sobrio.core.logins.failure_limit"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_CLIENT_IP_CALLABLE = "sobrio.core.clients.axes_client_ip"
AXES_COOLOFF_TIME = "sobrio.core.logins.cool_off"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads and files being imported, through Django's storage API (STORAGES["default"]):
# with several servers, one folder they all mount (NFS…), or an S3-compatible storage of
# django-storages configured in STORAGES. Never served as it is: views check access.
MEDIA_ROOT = Path(env.env_str("MEDIA_ROOT", str(VAR_DIR / "media"))).resolve()
# Evidence attached to assessment answers: size limit and the types people send.
EVIDENCE_MAX_BYTES = env.env_int("EVIDENCE_MAX_MB", 10) * 1024 * 1024
EVIDENCE_EXTENSIONS = [
    "pdf",
    "png",
    "jpg",
    "jpeg",
    "svg",
    "txt",
    "csv",
    "md",
    "odt",
    "ods",
    "odp",
    "docx",
    "xlsx",
    "pptx",
]
# Imports: every limit a file meets, each a SOBRIO_IMPORT_* variable (imports/limits.py).
SOBRIO_IMPORT_LIMITS = {
    "max_bytes": env.env_int("IMPORT_MAX_MB", 200, minimum=1) * 1024 * 1024,
    "max_rows": env.env_int("IMPORT_MAX_ROWS", 1_000_000, minimum=1),
    "max_columns": env.env_int("IMPORT_MAX_COLUMNS", 200, minimum=2),
    "max_cell_chars": env.env_int("IMPORT_MAX_CELL_CHARS", 32_767, minimum=100),
    "max_unpacked": env.env_int("IMPORT_MAX_UNPACKED_MB", 500, minimum=1) * 1024 * 1024,
    "max_ratio": env.env_int("IMPORT_MAX_RATIO", 200, minimum=2),
}
IMPORT_KEEP_DAYS = env.env_int("IMPORT_KEEP_DAYS", 7)

# The public address, for links in the emails the worker sends (no request to read it from).
BASE_URL = env.env_str("BASE_URL", "").rstrip("/")

# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR, comma-separated):
# core/clients.py. None by default, so that a direct client cannot forge its address.
SOBRIO_TRUSTED_PROXIES = env.env_networks("TRUSTED_PROXIES")

# Participants (core/participation.py): one-time sign-in links, what is kept and how long.
PARTICIPANT_LINK_MINUTES = 15
# Requests per PARTICIPANT_LINK_MINUTES, counted for every address asked (known or not):
PARTICIPANT_LINKS_PER_EMAIL = 5  # for one email address (one mail while a link is valid)
PARTICIPANT_LINKS_PER_ADDRESS = 10  # from one requester (client IP)
PARTICIPANT_LINKS_PER_WINDOW = 2000  # for the whole instance
# Links are decided and mailed by the worker, so that the answer takes the same time for
# every address (participation.request_link); false: in the request (no worker).
PARTICIPANT_LINK_QUEUED = True
PARTICIPANT_RETENTION_DAYS = env.env_int("PARTICIPANT_RETENTION_DAYS", 730, minimum=30)
# IP addresses in the journal, and the sign-in logs, are kept this long (core/traces.py):
# the CNIL's recommendation for connection logs is six months to a year.
TRACE_ADDRESS_DAYS = env.env_int("TRACE_ADDRESS_DAYS", 180, minimum=1)
# Anonymous cleanup-day pledges from one IP address to one campaign in an hour: a flood
# guard that a lecture hall behind one NAT does not reach (cleanup/services.check_rate).
PLEDGES_PER_ADDRESS = env.env_int("PLEDGES_PER_ADDRESS", 300, minimum=1)
IMPORT_STALE_SECONDS = env.env_int("IMPORT_STALE_SECONDS", 60, minimum=1)
# Smaller files are read in the request, larger in the worker; an archive (XLSX, ODS) by
# what it unpacks to. Work in a request stops past IMPORT_INLINE_SECONDS and goes to the
# worker, well before gunicorn's 30 s timeout (imports/budget.py).
IMPORT_INLINE_BYTES = 512 * 1024
IMPORT_INLINE_UNPACKED_BYTES = 4 * 1024 * 1024
IMPORT_INLINE_SECONDS = 10
# Uploads: past 2.5 MB Django writes them to a temporary file, removed when the request
# ends; the size is checked from the request's headers before anything is read
# (core/uploads.py), so a 1 GB upload never reaches the disk or memory.
FILE_UPLOAD_HANDLERS = [
    "sobrio.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # form fields without the files
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
UPLOAD_MAX_BYTES = max(SOBRIO_IMPORT_LIMITS["max_bytes"], EVIDENCE_MAX_BYTES) + 1024 * 1024
PUBLIC_UPLOAD_MAX_BYTES = 3 * 1024 * 1024  # routes open without an account (core/uploads.py)

# Pages show the last footprint at once after a change while the worker computes the new
# one (footprint/services.py); tests turn it off to read fresh figures.
FOOTPRINT_BACKGROUND = True

# One cache for every process (gunicorn workers, the task worker): computed footprints,
# and the progress and heartbeat of background jobs. Files: no server to install.
# SOBRIO_CACHE_URL (redis://…) puts it in Redis, shared by every server: several servers
# then see the same figures, limits and job progress (Django's own Redis backend).
CACHES = {"default": env.env_cache(VAR_DIR)}

WHITENOISE_MAX_AGE = 31536000  # hashed names: a year is safe
# django-dsfr's integrity hashes break once files are renamed by the manifest storage.
DSFR_USE_INTEGRITY_CHECKSUMS = False

# Security. Cookies are Secure by default: browsers accept them on http://127.0.0.1 too.
SESSION_COOKIE_SECURE = env.env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# 12 hours at most from the sign-in; idle: 30 minutes for the team, 4 hours for a
# participant (core/middleware.py SessionLimitsMiddleware says why)
SESSION_COOKIE_AGE = 12 * 3600
SESSION_MAX_SECONDS = 12 * 3600
TEAM_IDLE_SECONDS = 30 * 60
PARTICIPANT_IDLE_SECONDS = 4 * 3600
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.env_bool("SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_SSL_REDIRECT or SOBRIO_TRUSTED_PROXIES else None
)
SECURE_HSTS_SECONDS = env.env_int("HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload is the operator's call, not ours

# No inline script or style anywhere: the policy below forbids them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}

vars().update(env.env_email())
DEFAULT_FROM_EMAIL = env.env_str("DEFAULT_FROM_EMAIL", "sobrio@localhost")

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env.env_bool("TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"quiet_forbidden": {"()": "sobrio.core.logs.QuietForbidden"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["quiet_forbidden"]}},
    "root": {
        "handlers": ["console"],
        "level": env.env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
    },
    # WeasyPrint logs every layout step at INFO; only its warnings matter.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

SERIALIZATION_MODULES = {"sobrio-json": "sobrio.core.serializers"}  # backups (core/backup.py)
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_ON_RAW_SAVE = True  # a restore (loaddata) writes the journal as it was
DSFR_MARK_OPTIONAL_FIELDS = True  # DSFR marks optional fields, not required ones
