"""Real identity providers started on loopback for the tests (issue 22): a CAS server
(django-cas-server under gunicorn). A missing package is an error, never a skip."""

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
    """A django-cas-server on 127.0.0.1; yields its base URL (…/cas/). people: {login:
    {"password": …, "attributes": {…}}}, rewritable while it runs (write_people)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PEER_DIR": str(folder), "PEER_PEOPLE": str(folder / "people.json"),
           "DJANGO_SETTINGS_MODULE": "tests.identity.peer.settings",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
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
        yield f"http://127.0.0.1:{port}/cas/"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def write_people(folder, people):
    (Path(folder) / "people.json").write_text(json.dumps(people), encoding="utf-8")


def cas_ticket(login_url, username, password):
    """Sign in at the CAS server's own login form as a browser would; the ticket it sends
    back to the service (the Location of its redirect), or None when it refuses."""
    session = requests.Session()
    page = session.get(login_url, timeout=10)
    page.raise_for_status()
    form = {html.unescape(n): html.unescape(v) for n, v in
            re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text)}  # fmt: skip
    form.update(username=username, password=password)
    answer = session.post(page.url, data=form, allow_redirects=False, timeout=10)
    location = answer.headers.get("Location", "")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    return query.get("ticket", [None])[0], location
