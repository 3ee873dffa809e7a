#!/usr/bin/env bash
# Sobrio's whole test suite, from a fresh Debian machine:
#   1. installs what is missing (Debian's chromium, postgresql, gettext; a virtualenv with
#      the package and its test extras),
#   2. lints (ruff, djlint) and checks migrations,
#   3. runs the suite on SQLite, then on a throw-away PostgreSQL cluster it starts and stops,
#   4. runs the browser tests (page budget, axe) in headless Chromium.
# A missing browser or database is an error, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${SOBRIO_TEST_VENV:-$ROOT/.venv}
unset SOBRIO_TEST_VENV  # read by this script only: Sobrio refuses SOBRIO_* names it does not know
WORKERS=${PYTEST_WORKERS:-2}

step() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "error: need root (or sudo) to install: $*" >&2; exit 1; fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

step "System packages"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || missing+=(postgresql)
command -v msgfmt >/dev/null || missing+=(gettext)
# npm's ical.js reads the calendars Sobrio sends, as web calendars do (tests/learning).
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
# Several servers behind a real proxy share a real cache (tests/deploy): Debian's own.
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
# SAML signatures are checked by pysaml2 through Debian's xmlsec1 (tests/identity).
[ -x /usr/bin/xmlsec1 ] || missing+=(xmlsec1)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
# WeasyPrint (PDF exports) draws text with Pango.
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo missing)"
echo "postgresql: $("$(pg_bin)/postgres" --version)"

step "Virtual environment ($VENV)"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
"$VENV/bin/python" -m pip install -q -e ".[test]" 2>&1 | grep -v '^WARNING: Location' || true
# The 1EdTech Open Badges 2.0 validator pins libraries that fail on Python 3.11: installed
# without them, on the newer ones the test extras list.
"$VENV/bin/python" -m pip install -q --no-deps "openbadges==1.1.2" 2>&1 | grep -v '^WARNING: Location' || true
"$VENV/bin/python" -c "import sobrio, playwright, axe_playwright_python, openbadges"
PATH="$VENV/bin:$PATH"
export ICALJS_DIR="$VENV/node/node_modules"
[ -f "$ICALJS_DIR/ical.js/package.json" ] ||
  npm install --silent --no-audit --no-fund --prefix "$VENV/node" "ical.js@2.2.1" >/dev/null
echo "ical.js: $(node -p "require('$ICALJS_DIR/ical.js/package.json').version")"

WORK=$(mktemp -d)
chmod 755 "$WORK"
PGDATA="$WORK/pg"
cleanup() {
  if [ -f "$PGDATA/postmaster.pid" ]; then run_pg "$(pg_bin)/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
export SOBRIO_VAR_DIR="$WORK/var"
unset SOBRIO_DATABASE_URL SOBRIO_DEBUG

step "Lint: ruff, djlint, migrations"
ruff check sobrio tests
ruff format --check sobrio tests
djlint --lint --quiet sobrio/templates
python -m sobrio makemigrations --check --dry-run

step "The wheel, installed as a server would (a fresh virtual environment, no checkout)"
python -m pip wheel -q --no-deps -w "$WORK/wheel" . 2>&1 | grep -v '^WARNING: Location' || true
python3 -m venv "$WORK/wheelenv"
"$WORK/wheelenv/bin/python" -m pip install -q "$WORK"/wheel/sobrio-*.whl 2>&1 | grep -v '^WARNING: Location' || true
(
  cd "$WORK" # nothing of the checkout on the path
  export SOBRIO_VAR_DIR="$WORK/wheelvar"
  "$WORK/wheelenv/bin/sobrio" demo --no-serve >"$WORK/demo.log" 2>&1 || { tail -n 40 "$WORK/demo.log"; exit 1; }
  grep -m 1 "Établissement de démonstration" "$WORK/demo.log"
  SOBRIO_SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))') \
    SOBRIO_ALLOWED_HOSTS=sobrio.example.org "$WORK/wheelenv/bin/sobrio" check --deploy
)
rm -rf "$WORK/wheelenv" "$WORK/wheelvar" "$WORK/wheel"

step "Tests on SQLite"
pytest -n "$WORKERS" -m "not browser" -p no:cacheprovider

step "Tests on PostgreSQL (throw-away cluster)"
run_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
mkdir -p "$PGDATA"
[ "$(id -u)" -eq 0 ] && chown postgres "$PGDATA"
PGPORT=$(python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run_pg "$(pg_bin)/initdb" -D "$PGDATA" -U sobrio --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
run_pg "$(pg_bin)/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
SOBRIO_DATABASE_URL="postgres://sobrio@127.0.0.1:$PGPORT/sobrio" \
  pytest -n "$WORKERS" -m "not browser" -p no:cacheprovider
run_pg "$(pg_bin)/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null

step "Browser tests (Debian's chromium, headless)"
# One process: the figures of every page are printed (xdist would swallow them), and a
# second worker would only build a second demo server.
pytest -m browser -p no:cacheprovider -s -q
