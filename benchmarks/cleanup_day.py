"""The morning of a national cleanup day: a whole campus declares at once, through
`sobrio serve` and its default workers, on PostgreSQL (issue 14).

    .venv/bin/python benchmarks/cleanup_day.py [--pledges 3000] [--clients 24]
                                               [--burst 5000] [--database-url postgres://…]

Without --database-url, a throw-away PostgreSQL cluster is started from Debian's binaries
and removed at the end. Loopback only, bounded in count (and each phase in time: a
client stops after --max-seconds).

1. Throughput: --clients clients, each on its own keep-alive connection, open the pledge
   form once (GET: the CSRF cookie and token) then send pledges one after the other, each
   with a new form token; one in twenty is sent twice (the back button), which must not
   count twice. Prints pledges/s and p50/p95/p99 of the POSTs.
2. Burst: --burst pledges sent at the same moment by 200 clients, then every pending
   pledge accepted, and the campaign's totals compared with what was sent: pledges
   received, GB deleted and devices must equal exactly the sum of the distinct forms
   the server answered with a redirect.

Every visitor comes from 127.0.0.1, so the anonymous rate limit per address is raised for
the run (SOBRIO_PLEDGES_PER_ADDRESS), as an institution behind one NAT address would.
Goal: at least 300 pledges/s with p95 under 100 ms; totals exact after the burst.
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.serving import cookies_of, on_postgres, served  # noqa: E402


def prepare(env):
    code = """
import datetime, django; django.setup()
from django.utils import timezone
from sobrio.cleanup.models import CleanupCampaign, Team
from sobrio.core.models import Institution
inst = Institution.objects.create(name="Campus", slug="campus")
today = timezone.localdate()
c = CleanupCampaign.objects.create(institution=inst, name="Cleanup Day", anonymous=True,
    starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=1))
for n in range(12):
    Team.objects.create(institution=inst, campaign=c, name=f"Composante {n}")
print(c.pk, " ".join(str(t.pk) for t in c.teams.all()))
"""
    subprocess.run([sys.executable, "-m", "sobrio", "migrate", "-v0"], env=env, check=True)
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout.split()  # fmt: skip
    return int(out[0]), [int(t) for t in out[1:]]


class Visitor:
    def __init__(self, port, campaign, teams, rng):
        self.port, self.path = port, f"/participer/campus/nettoyage/{campaign}/declarer/"
        self.teams, self.rng = teams, rng
        self.jar, self.token, self.conn = {}, None, None
        self.times, self.sent = [], {}  # form token -> (gb, devices) answered 302

    def _request(self, method, body=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{self.path}"
            body = urllib.parse.urlencode(body, doseq=True)
        started = time.perf_counter()
        self.conn.request(method, self.path, body, headers)
        response = self.conn.getresponse()
        page = response.read().decode()
        elapsed = time.perf_counter() - started
        cookies_of(response, self.jar)
        return response, page, elapsed

    def open(self):
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        _r, page, _t = self._request("GET")
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

    def pledge(self, form_token=None):
        form_token = form_token or str(uuid.uuid4())
        gb = round(self.rng.uniform(0, 20), 2)
        devices = self.rng.choice((0, 0, 0, 1, 2))
        body = {"csrfmiddlewaretoken": self.token, "token": form_token,
                "team": self.rng.choice(self.teams), "gb_mailbox": str(gb),
                "laptop_reuse": str(devices), "actions": ["bins"]}  # fmt: skip
        response, _page, elapsed = self._request("POST", body)
        self.times.append(elapsed)
        if response.status == 302:
            self.sent.setdefault(form_token, (gb, devices))  # the first answer counts
        return form_token, response.status

    def close(self):
        self.conn.close()


def totals(env, campaign, accept):
    code = f"""
import django, json; django.setup()
from sobrio.cleanup import services as cleanup
from sobrio.cleanup.models import CleanupCampaign, Pledge
c = CleanupCampaign.objects.get(pk={campaign})
if {accept}:
    cleanup.moderate(Pledge.objects.filter(campaign=c), True, by=None)
print(json.dumps(cleanup.totals(c)))
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def quantiles(times):
    q = statistics.quantiles(times, n=100)
    return q[49] * 1000, q[94] * 1000, q[98] * 1000


def throughput(port, campaign, teams, args):
    visitors = [Visitor(port, campaign, teams, random.Random(n)) for n in range(args.clients)]
    for v in visitors:
        v.open()
    per_client = args.pledges // args.clients
    statuses, lock = [], threading.Lock()

    def run(visitor):
        deadline = time.monotonic() + args.max_seconds
        for n in range(per_client):
            if time.monotonic() > deadline:
                break
            token, status = visitor.pledge()
            again = n % 20 == 19
            if again:  # the same form sent twice
                _t, status_again = visitor.pledge(token)
            with lock:
                statuses.append(status)
                if again:
                    statuses.append(status_again)

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.clients) as pool:
        list(pool.map(run, visitors))
    wall = time.monotonic() - started
    for v in visitors:
        v.close()
    times = [t for v in visitors for t in v.times]
    p50, p95, p99 = quantiles(times)
    answers = {s: statuses.count(s) for s in set(statuses)}
    print(f"throughput: {len(times)} POSTs by {args.clients} clients in {wall:.1f} s = "
          f"{len(times) / wall:.0f} pledges/s; p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
          f"p99 {p99:.1f} ms; answers {answers}")  # fmt: skip
    return visitors, len(times) / wall, p95


def burst(port, campaign, teams, args):
    clients = 200
    visitors = [Visitor(port, campaign, teams, random.Random(1000 + n)) for n in range(clients)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(lambda v: v.open(), visitors))
    gate = threading.Barrier(clients)
    each = args.burst // clients

    def run(visitor):
        gate.wait()  # all at the same moment
        for _ in range(each):
            visitor.pledge()

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(run, visitors))
    wall = time.monotonic() - started
    for v in visitors:
        v.close()
    times = [t for v in visitors for t in v.times]
    p50, p95, p99 = quantiles(times)
    print(f"burst: {len(times)} pledges by {clients} clients at once in {wall:.1f} s = "
          f"{len(times) / wall:.0f} pledges/s; p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
          f"p99 {p99:.1f} ms")  # fmt: skip
    return visitors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pledges", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--burst", type=int, default=5000)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    # every visitor is 127.0.0.1: the limit per address raised, as behind one NAT address
    with on_postgres("sobrio-cleanup-", args.database_url, PLEDGES_PER_ADDRESS=10**6) as env:
        campaign, teams = prepare(env)
        with served(env) as port:
            print(f"{os.cpu_count()} CPU, PostgreSQL, sobrio serve with its default workers, "
                  "anonymous pledges (the heavier path: rate limit, moderation)")  # fmt: skip
            first, rate, p95 = throughput(port, campaign, teams, args)
            second = burst(port, campaign, teams, args)
        sent = {}
        for v in first + second:
            sent |= v.sent
        figures = totals(env, campaign, accept=True)
        expected_gb = round(sum(gb for gb, _d in sent.values()), 3)
        expected_devices = sum(d for _gb, d in sent.values())
        print(f"distinct forms answered: {len(sent)}; pledges received: "
              f"{figures['pledges']['received']}, accepted: {figures['pledges']['accepted']}; "
              f"GB {figures['gb_deleted']} (sent {expected_gb}); laptops "
              f"{figures['devices']['laptop']['reuse']} (sent {expected_devices})")  # fmt: skip
        exact = (
            figures["pledges"]["received"] == figures["pledges"]["accepted"] == len(sent)
            and abs(figures["gb_deleted"] - expected_gb) < 0.01
            and figures["devices"]["laptop"]["reuse"] == expected_devices
        )
        print("totals exact: nothing lost, nothing counted twice" if exact else "MISMATCH")
        goal = rate >= 300 and p95 < 100
        print(f"goal (>= 300 pledges/s, p95 < 100 ms): {'met' if goal else 'NOT met'}")
        return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
