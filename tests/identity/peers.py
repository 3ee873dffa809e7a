"""Real identity providers started on loopback for the tests (issue 22): one Django
project under gunicorn (tests/identity/peer) serving a CAS server (django-cas-server)
at /cas/ and an OpenID provider (django-oauth-toolkit) at /o. A missing package is an
error, never a skip."""

import html
import json
import os
import re
import subprocess
import sys
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.deploy.peers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def cas_server(folder, people):
    """The peer's CAS server: yields its URL (…/cas/)."""
    with identity_peer(folder, people) as base:
        yield base + "cas/"


@contextmanager
def identity_peer(folder, people, redirect_uris="http://testserver/compte/sso/oidc/"):
    """The peer on 127.0.0.1; yields its base URL (http://127.0.0.1:PORT/). people:
    {login: {"password": …, "attributes": {…CAS…}, "claims": {…OIDC…}}}, rewritable while
    it runs (write_people). The OpenID client: sobrio-test / sobrio-test-secret."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PEER_DIR": str(folder), "PEER_PEOPLE": str(folder / "people.json"),
           "DJANGO_SETTINGS_MODULE": "tests.identity.peer.settings",
           "PYTHONPATH": str(ROOT), "PEER_REDIRECT_URIS": redirect_uris}  # fmt: skip
    env = {k: v for k, v in env.items() if not k.startswith("SOBRIO_")}
    write_people(folder, people)
    subprocess.run([sys.executable, str(ROOT / "tests/identity/peer/setup.py")], env=env,
                   check=True, cwd=ROOT)  # fmt: skip
    port = free_port()
    log = open(folder / "peer.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-w", "1",
         "--access-logfile", "-", "tests.identity.peer.wsgi:application"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_port(port, process=process)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def write_people(folder, people):
    (Path(folder) / "people.json").write_text(json.dumps(people), encoding="utf-8")


def cas_ticket(login_url, username, password, session=None):
    """Sign in at the CAS server's own login form as a browser would; the ticket it sends
    back to the service (the Location of its redirect), or None when it refuses.
    session: the browser's, to see what the server remembers (a new one by default)."""
    session = session or requests.Session()
    page = session.get(login_url, timeout=10)
    page.raise_for_status()
    form = {html.unescape(n): html.unescape(v) for n, v in
            re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text)}  # fmt: skip
    form.update(username=username, password=password)
    answer = session.post(page.url, data=form, allow_redirects=False, timeout=10)
    location = answer.headers.get("Location", "")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    return query.get("ticket", [None])[0], location


def oidc_code(authorize_url, username, password, session=None):
    """Sign in at the OpenID provider's login form and let it send the browser back:
    the redirect's query (code, state) as a dict, and its Location. session: the
    browser's, kept to see what the provider remembers (a new one by default)."""
    session = session or requests.Session()
    answer = session.get(authorize_url, allow_redirects=False, timeout=10)
    if answer.status_code == 302 and "/login/" in answer.headers["Location"]:
        login = session.get(urllib.parse.urljoin(authorize_url, answer.headers["Location"]),
                            timeout=10)  # fmt: skip
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)[1]
        nxt = urllib.parse.parse_qs(urllib.parse.urlsplit(login.url).query)["next"][0]
        answer = session.post(login.url, data={"csrfmiddlewaretoken": token, "username": username,
                                               "password": password, "next": nxt},
                              headers={"Referer": login.url}, allow_redirects=False,
                              timeout=10)  # fmt: skip
        if answer.status_code != 302:
            return {}, ""
        answer = session.get(urllib.parse.urljoin(authorize_url, answer.headers["Location"]),
                             allow_redirects=False, timeout=10)  # fmt: skip
    location = answer.headers.get("Location", "")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    return {k: v[0] for k, v in query.items()}, location
