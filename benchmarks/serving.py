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
import http.client
import os
import re
import resource
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
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOBRIO_")}
    env |= {
        "SOBRIO_VAR_DIR": str(folder),
        "SOBRIO_SECURE_COOKIES": "false",
        "DJANGO_SETTINGS_MODULE": "sobrio.settings",
        "SOBRIO_LOG_LEVEL": "WARNING",
    }
    sobrio = [sys.executable, "-m", "sobrio"]
    prepared = subprocess.run(
        [*sobrio, "demo", "--no-serve"], env=env, check=True, capture_output=True, text=True
    ).stdout
    email, password = re.search(r"^\s+(\S+@\S+)\s+(\S+)\s+", prepared, re.M).groups()
    port = free_port()
    serve = [*sobrio, "serve", "--bind", f"127.0.0.1:{port}"]
    if args.workers:
        serve += ["--workers", str(args.workers)]
    server = subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
    try:
        wait_until_up(port)
        cookie = log_in(port, email, password)
        load(port, "/", cookie, 2, 2)  # warm every worker (templates, factor data, cache)
        print(
            f"{os.cpu_count()} CPU, concurrency {args.concurrency}, {args.seconds:g} s each, "
            f"server: {' '.join(serve[3:])}"
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
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
