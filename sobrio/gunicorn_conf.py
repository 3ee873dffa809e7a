"""gunicorn settings for `sobrio serve` (read with --config python:sobrio.gunicorn_conf)."""

import gunicorn.http.wsgi

# Answer "Server: Sobrio", not the server's name and version (no free fingerprint).
gunicorn.http.wsgi.SERVER = "Sobrio"
