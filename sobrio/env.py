"""Read settings from SOBRIO_* environment variables, failing loudly on a bad value.

Every variable Sobrio reads is declared in KNOWN, so that a typo in a variable name
(SOBRIO_DEGUB=1) stops start-up instead of being silently ignored.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PREFIX = "SOBRIO_"
KNOWN = {
    "ALLOWED_HOSTS": "hosts served, comma-separated",
    "BASE_URL": "public address (https://sobrio.univ-x.fr): links in emails, Open Badges ids",
    "CACHE_URL": "redis://host:port/db (or rediss://, unix://) for a cache every server "
    "shares; default a folder in <var>",
    "CSRF_TRUSTED_ORIGINS": "origins trusted for POST, comma-separated (https://sobrio.example.org)",
    "DATABASE_URL": "database URL; default sqlite:///<var>/sobrio.sqlite3",
    "DEBUG": "true or false (default false)",
    "DEFAULT_FROM_EMAIL": "sender of the emails Sobrio sends",
    "EVIDENCE_MAX_MB": "largest evidence file accepted, in MB (default 10)",
    "EMAIL_URL": "console:, smtp://user:password@host:port, smtp+tls://..., or file:///path",
    "HSTS_SECONDS": "Strict-Transport-Security max-age (default 0: off)",
    "IMPORT_MAX_MB": "largest file any import reads, in MB (default 200)",
    "IMPORT_MAX_ROWS": "most rows an import reads (default 1000000)",
    "IMPORT_MAX_COLUMNS": "most columns a table may have (default 200)",
    "IMPORT_MAX_CELL_CHARS": "longest cell an import reads, in characters (default 32767)",
    "IMPORT_MAX_UNPACKED_MB": "largest archive (XLSX, ODS, zip) once unpacked, in MB (default 500)",
    "IMPORT_MAX_RATIO": "largest unpacked / packed ratio of an archive entry (default 200)",
    "IMPORT_KEEP_DAYS": "days an import's files are kept after it ends (default 7)",
    "IMPORT_STALE_SECONDS": "a running import whose worker is silent this long is retried (60)",
    "LOG_LEVEL": "DEBUG, INFO, WARNING, ERROR (default INFO)",
    "MEDIA_ROOT": "folder of uploads and files being imported, shared by every server "
    "(default <var>/media)",
    "PARTICIPANT_RETENTION_DAYS": "a participant inactive this long is purged (default 730)",
    "PLEDGES_PER_ADDRESS": "anonymous cleanup pledges per IP address, campaign and hour "
    "(default 300)",
    "SECRET_KEY": "Django secret key; generated and kept in <var>/secret_key when unset",
    "SECRET_KEY_FILE": "path to a file holding the secret key",
    "SECURE_COOKIES": "send cookies over HTTPS only (default true)",
    "SSL_REDIRECT": "redirect HTTP to HTTPS (default false: the proxy usually does it)",
    "TRUSTED_PROXIES": "reverse proxies whose X-Forwarded-For is believed: addresses or CIDR, "
    "comma-separated (default none)",
    "TRACE_ADDRESS_DAYS": "days IP addresses stay in the journal and sign-in logs (default 180)",
    "TASKS_IMMEDIATE": "run background tasks in-process instead of the worker (default false)",
    "VAR_DIR": "folder for the SQLite database, secret key and uploads (default ./var)",
}
# SQLite: one writer at a time. Transactions take the write lock when they begin
# (IMMEDIATE), so two writers queue instead of one failing on upgrade, and a writer waits up
# to 20 s for the lock before Sobrio answers "busy" (core/middleware.py).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


class SettingError(ImproperlyConfigured):
    pass


def check_names(environ=os.environ):
    unknown = sorted(k for k in environ if k.startswith(PREFIX) and k[len(PREFIX) :] not in KNOWN)
    if unknown:
        known = ", ".join(PREFIX + k for k in sorted(KNOWN))
        raise SettingError(f"Unknown variable {', '.join(unknown)}. Sobrio reads: {known}.")


def _raw(name, environ):
    if name not in KNOWN:  # a programming error, not a user one
        raise KeyError(name)
    value = environ.get(PREFIX + name)
    return None if value is None else value.strip()


def env_str(name, default="", environ=os.environ):
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name, default, environ=os.environ):
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise SettingError(f"{PREFIX}{name}={value!r} is not a boolean: use true or false.")


def env_int(name, default, environ=os.environ, minimum=0):
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"{PREFIX}{name}={value!r} is not a whole number.") from None
    if number < minimum:
        raise SettingError(f"{PREFIX}{name}={value!r} must be at least {minimum}.")
    return number


def env_list(name, default=(), environ=os.environ):
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_networks(name, environ=os.environ):
    """A list of addresses or CIDR networks, each checked (a typo must not trust nobody
    silently, nor everybody)."""
    import ipaddress

    out = []
    for item in env_list(name, (), environ):
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise SettingError(
                f"{PREFIX}{name}: {item!r} is neither an IP address nor a network (CIDR)."
            ) from None
        out.append(item)
    return out


def env_choice(name, default, choices, environ=os.environ):
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    if value.upper() not in choices:
        raise SettingError(f"{PREFIX}{name}={value!r} is not one of {', '.join(choices)}.")
    return value.upper()


def env_database(var_dir, environ=os.environ):
    import dj_database_url

    url = env_str("DATABASE_URL", "", environ)
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(var_dir / "sobrio.sqlite3"),
            "OPTIONS": SQLITE_OPTIONS,
            # a connection kept for the next requests of the same thread: opening one
            # (WAL pragmas included) costs a request about 2.5 ms of CPU
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj_database_url raises ValueError and others
        raise SettingError(f"{PREFIX}DATABASE_URL is not a database URL: {exc}") from None
    if config.get("ENGINE") not in (
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    ):
        raise SettingError(
            f"{PREFIX}DATABASE_URL: only sqlite:// and postgres:// are supported, "
            f"not {url.split(':', 1)[0]}://."
        )
    if config["ENGINE"].endswith("sqlite3"):
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
    return config


def env_cache(var_dir, environ=os.environ):
    """The cache: Redis when SOBRIO_CACHE_URL names it (shared by several servers), else
    files in <var>/cache (one machine, every process)."""
    url = env_str("CACHE_URL", "", environ)
    if not url:
        return {
            "BACKEND": "sobrio.core.cache.FileCache",
            "LOCATION": str(Path(var_dir) / "cache"),
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingError(
            f"{PREFIX}CACHE_URL={url!r}: Sobrio's shared cache is Redis "
            "(redis://host:port/0, rediss://… or unix:///path.sock)."
        )
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "TIMEOUT": 3600,
        "KEY_PREFIX": "sobrio",
    }


def env_email(environ=os.environ):
    """Map SOBRIO_EMAIL_URL to Django's email settings."""
    from urllib.parse import unquote, urlsplit

    url = env_str("EMAIL_URL", "console:", environ)
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "sobrio.core.console_email.EmailBackend"}
    if parts.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parts.path,
        }
    if parts.scheme in ("smtp", "smtp+tls", "smtps"):
        if not parts.hostname:
            raise SettingError(f"{PREFIX}EMAIL_URL={url!r} has no host.")
        try:
            port = parts.port
        except ValueError:
            raise SettingError(f"{PREFIX}EMAIL_URL={url!r} has a bad port.") from None
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port or (465 if parts.scheme == "smtps" else 587),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
            "EMAIL_USE_SSL": parts.scheme == "smtps",
        }
    raise SettingError(
        f"{PREFIX}EMAIL_URL={url!r}: use console:, file:///path, smtp://, smtp+tls:// or smtps://."
    )


MIN_SECRET = 50  # Django's own check (security.W009) wants 50 characters


def secret_key(var_dir, environ=os.environ):
    key = env_str("SECRET_KEY", "", environ)
    if key:
        if len(key) < MIN_SECRET or len(set(key)) < 5:
            raise SettingError(
                f"{PREFIX}SECRET_KEY is too short or too repetitive: use at least {MIN_SECRET} "
                "random characters (python3 -c 'import secrets; print(secrets.token_urlsafe(50))')."
            )
        return key
    key_file = env_str("SECRET_KEY_FILE", "", environ)
    path = Path(key_file) if key_file else var_dir / "secret_key"
    if key_file and not path.is_file():
        raise SettingError(f"{PREFIX}SECRET_KEY_FILE={key_file!r}: no such file.")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    key = path.read_text().strip()
    if len(key) < MIN_SECRET:
        raise SettingError(f"The secret key in {path} is shorter than {MIN_SECRET} characters.")
    return key


def allowed_hosts(environ=os.environ):
    hosts = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"], environ)
    if "*" in hosts:
        raise SettingError(
            f"{PREFIX}ALLOWED_HOSTS='*' would answer for any host name (Host header attacks): "
            "list the names Sobrio serves, comma-separated."
        )
    return hosts
