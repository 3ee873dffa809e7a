"""Requests per second and latency of `sobrio serve` under concurrent clients (issue 10).

    .venv/bin/python benchmarks/serving.py [--concurrency 20] [--seconds 15] [--workers N]

Prepares the demo in a temporary folder (SQLite), starts `sobrio serve` on a free
loopback port, logs one demo officer in, then keeps `concurrency` clients busy on the
dashboard (/) and on the login page, each client on one kept-alive connection, for a
bounded time. Prints requests/s, p50/p95/p99 and the share of non-200 answers; the load
generator runs on the same machine (its CPU share is printed too). Goal on 2 cores:
dashboard ≥ 200 requests/s with p95 < 150 ms at concurrency 20.
"""

import argparse
import contextlib
import http.client
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port, deadline=60):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("sobrio serve did not answer within 60 s")


def sobrio_env(var_dir, **settings):
    """The environment of a `sobrio` run of a benchmark: this one's SOBRIO_* variables
    dropped, a folder of its own, plain-HTTP cookies, quiet logs, and settings given as
    NAME=value (SOBRIO_NAME)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOBRIO_")}
    env |= {"SOBRIO_VAR_DIR": str(var_dir), "SOBRIO_SECURE_COOKIES": "false",
            "SOBRIO_LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "sobrio.settings"}  # fmt: skip
    return env | {f"SOBRIO_{name}": str(value) for name, value in settings.items()}


def start_postgres(folder):
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not binaries:
        raise SystemExit("PostgreSQL is not installed: apt install postgresql")
    bindir, data = binaries[-1], folder / "pg"
    data.mkdir()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(folder, "postgres")
        shutil.chown(data, "postgres")
    port = free_port()
    subprocess.run([*as_postgres, bindir / "initdb", "-D", data, "-U", "sobrio", "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)  # fmt: skip
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off"
    subprocess.run([*as_postgres, bindir / "pg_ctl", "-D", data, "-l", data / "log", "-w",
                    "-o", options, "start"], check=True, capture_output=True)  # fmt: skip
    url = f"postgres://sobrio@127.0.0.1:{port}/postgres"

    def stop():
        subprocess.run([*as_postgres, bindir / "pg_ctl", "-D", data, "-m", "immediate", "stop"],
                       capture_output=True)  # fmt: skip

    return url, stop


@contextlib.contextmanager
def served(env, workers=None):
    """`sobrio serve` on a free loopback port (its default workers unless given), the port
    yielded once it answers, the server stopped at the end."""
    port = free_port()
    serve = [sys.executable, "-m", "sobrio", "serve", "--bind", f"127.0.0.1:{port}"]
    if workers:
        serve += ["--workers", str(workers)]
    server = subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL,  # noqa: S603
                              stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_until_up(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


@contextlib.contextmanager
def on_postgres(prefix, database_url="", **settings):
    """A throw-away folder and PostgreSQL database (a cluster started from Debian's
    binaries unless database_url is given), and the environment of `sobrio` on them;
    everything removed at the end."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    stop = None
    try:
        if not database_url:
            database_url, stop = start_postgres(folder)
        yield sobrio_env(folder / "var", DATABASE_URL=database_url, **settings)
    finally:
        if stop:
            stop()
        shutil.rmtree(folder, ignore_errors=True)


def cookies_of(response, jar):
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name] = rest.split(";", 1)[0]


def log_in(port, email, password):
    jar = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/compte/connexion/")
    response = conn.getresponse()
    page = response.read().decode()
    cookies_of(response, jar)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": email, "password": password}
    )
    conn.request("POST", "/compte/connexion/", body, {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        "Referer": f"http://127.0.0.1:{port}/compte/connexion/",
    })  # fmt: skip
    response = conn.getresponse()
    response.read()
    cookies_of(response, jar)
    if response.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"login failed ({response.status})")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def load(port, path, cookie, concurrency, seconds):
    """Every client sends requests one after the other on its own connection until the
    time is up; returns the latencies (s) and the count of non-200 answers."""
    latencies, errors, lock = [], [0], threading.Lock()
    stop = time.monotonic() + seconds
    headers = {"Cookie": cookie} if cookie else {}

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def report(name, latencies, errors, seconds, cpu):
    quantiles = statistics.quantiles(latencies, n=100)
    print(f"{name:10} {len(latencies) / seconds:8.0f} {quantiles[49] * 1000:8.1f} "
          f"{quantiles[94] * 1000:8.1f} {quantiles[98] * 1000:8.1f} {errors:7d} "
          f"{cpu / seconds * 100:8.0f} %")  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=None, help="default: sobrio serve's")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sobrio-serving-"))
    env = sobrio_env(folder)
    prepared = subprocess.run(
        [sys.executable, "-m", "sobrio", "demo", "--no-serve"], env=env, check=True,
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    email, password = re.search(r"^\s+(\S+@\S+)\s+(\S+)\s+", prepared, re.M).groups()
    with served(env, args.workers) as port:
        cookie = log_in(port, email, password)
        load(port, "/", cookie, 2, 2)  # warm every worker (templates, factor data, cache)
        workers = f"--workers {args.workers}" if args.workers else "its default workers"
        print(
            f"{os.cpu_count()} CPU, concurrency {args.concurrency}, {args.seconds:g} s each, "
            f"sobrio serve with {workers}"
        )
        print(
            f"{'page':10} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'non-200':>7} {'client CPU':>10}"
        )
        for name, path, with_cookie in (
            ("dashboard", "/", True),
            ("login", "/compte/connexion/", False),
        ):
            before = resource.getrusage(resource.RUSAGE_SELF)
            latencies, errors = load(
                port, path, cookie if with_cookie else None, args.concurrency, args.seconds
            )
            after = resource.getrusage(resource.RUSAGE_SELF)
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            report(name, latencies, errors, args.seconds, cpu)
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
