"""A real Sobrio: `sobrio demo --no-serve` in a fresh folder, then `sobrio serve`, in Chromium."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


LIVE = {}  # the live server's folder and environment, for tests that run its CLI


def emails_to(address):
    """The bodies of the emails the live server wrote to address (file backend), oldest
    first."""
    import email

    folder = Path(LIVE["var"]) / "mail"
    bodies = []
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime):
        for chunk in path.read_bytes().split(b"-" * 79):
            message = email.message_from_bytes(chunk.strip())
            if address in (message.get("To") or ""):
                part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
                bodies.append(
                    part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
                )
    return bodies


def last_email_to(address, after=0, timeout=30):
    """The body of the latest email to address once there are more than `after` (the
    sign-in links are mailed by the worker, a moment after the page answers)."""
    deadline = time.monotonic() + timeout
    while True:
        bodies = emails_to(address) if (Path(LIVE["var"]) / "mail").exists() else []
        if len(bodies) > after:
            return bodies[-1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no email to {address}")
        time.sleep(0.2)


def sobrio_cli(*args, stdin=None):
    """Run `sobrio ARGS` on the live server's own database."""
    return subprocess.run(
        [sys.executable, "-m", "sobrio", *args], env=LIVE["env"], check=True, capture_output=True,
        text=True, input=stdin,
    )  # fmt: skip


@pytest.fixture(scope="session")
def live_sobrio(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOBRIO_")} | {
        "SOBRIO_VAR_DIR": str(var),
        "SOBRIO_EMAIL_URL": f"file://{var}/mail",  # the emails a test reads (sign-in links)
    }
    LIVE.update(var=var, env=env)
    cli = [sys.executable, "-m", "sobrio"]
    subprocess.run([*cli, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    port = _free_port()
    log = open(var / "server.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [*cli, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--with-worker"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/compte/connexion/", timeout=2)  # noqa: S310
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError((var / "server.log").read_text()) from None
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test.sh does)")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
