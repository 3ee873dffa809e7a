"""A worker killed with -9 in the middle of a job: the job is taken up again and ends.

Real processes on a database of their own (a SQLite file): `sobrio worker` started,
killed while it reads a large file, then a second worker, whose reaper sees the silent
heartbeat, queues the job again, and finishes it.
"""

import os
import signal
import subprocess
import sys
import time

import pytest


def _env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOBRIO_")}
    env |= {
        "SOBRIO_VAR_DIR": str(tmp_path),
        "SOBRIO_DATABASE_URL": f"sqlite:///{tmp_path}/faults.sqlite3",
        "SOBRIO_IMPORT_STALE_SECONDS": "2",
    }
    return env


def _sobrio(env, *args, code=None):
    command = [sys.executable, "-m", "sobrio", *args]
    if code is not None:
        command += ["-c", code]
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip()


def _job(env):
    fields = "status, attempts, error, rows_total"
    code = (
        "from sobrio.imports.models import ImportJob; j = ImportJob.objects.get(); "
        f"print('|'.join(str(getattr(j, f)) for f in '{fields}'.split(', ')))"
    )
    status, attempts, error, rows = _sobrio(env, "shell", code=code).splitlines()[-1].split("|")
    return {"status": status, "attempts": int(attempts), "error": error, "rows": int(rows)}


def _worker(env):
    return subprocess.Popen(
        [sys.executable, "-m", "sobrio", "worker", "--no-startup-delay", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(env, predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = _job(env)
        if predicate(job):
            return job
        time.sleep(0.3)
    pytest.fail(f"job still {job} after {seconds} s")


def test_a_killed_worker_leaves_a_job_that_is_retried_and_done(tmp_path):
    env = _env(tmp_path)
    _sobrio(env, "migrate", "-v0")
    source = tmp_path / "parc.csv"
    with open(source, "w", encoding="utf-8") as out:
        out.write("Numéro d'inventaire;Type;Date d'achat;Statut\n")
        for n in range(150_000):
            out.write(f"INV-{n:07d};Portable;01/0{1 + n % 9}/2022;En service\n")
    _sobrio(
        env,
        "shell",
        code=(
            "from sobrio.core.models import Institution; from sobrio.imports import flow; "
            "i = Institution.objects.create(name='U', slug='u'); "
            f"flow.create_job(i, None, 'assets', {str(source)!r}, 'parc.csv')"
        ),
    )
    assert _job(env)["status"] == "queued"  # too large to be read in the request

    first = _worker(env)
    try:
        _wait(env, lambda j: j["status"] == "analysing", 60)
        time.sleep(0.5)
        first.send_signal(signal.SIGKILL)  # no clean-up of any kind
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert _job(env)["status"] == "analysing"  # what a dead worker leaves behind

    second = _worker(env)
    try:
        job = _wait(env, lambda j: j["status"] == "ready", 90)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)
    assert job["attempts"] == 1 and "interrompu" in job["error"]
    assert job["rows"] == 150_000
