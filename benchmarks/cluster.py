"""Sobrio deployed as the recipe says, under a campus's load (issue 26).

    .venv/bin/python benchmarks/cluster.py [--people 300] [--concurrency 16] [--sqlite]

Starts what tests/deploy/harness.py starts — Debian's nginx running docs/deploy's site as
written, two `sobrio serve` (2 gunicorn processes each), two `sobrio worker`, Debian's
redis-server, one media folder — on a throw-away PostgreSQL cluster (or SQLite), then:

1. `--people` participants of a cleanup day, each from an address of their own
   (127.0.2.1, 127.0.2.2…, which nginx passes as X-Forwarded-For), load the pledge form,
   send it and land on the campaign's live page: all must be received; prints
   participants/s and the p50/p95 of each step, with the load generator's own CPU;
2. a flood from one address: 429s past SOBRIO_PLEDGES_PER_ADDRESS;
3. `kill -9` of server A in the middle of a burst of pledges: nginx passes them to B (a
   pledge carries its token, so a retry is one pledge): none lost, none twice;
4. an import whose worker is killed mid-way is finished by the other worker;
5. each chore ran once for the cluster, not once per worker.

Prints one line per figure; exits 1 if a check fails. Takes 2–4 minutes on 2 cores.
"""

import argparse
import os
import re
import resource
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.serving import start_postgres  # noqa: E402
from tests.deploy import harness  # noqa: E402
from tests.instances import sobrio  # noqa: E402

FLOOD_LIMIT = 20
FAILED = []


def check(ok, what):
    print(f"{'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        FAILED.append(what)


def address(n):
    return f"127.0.{2 + n // 250}.{1 + n % 250}"


def participant(port, campaign, n, timings):
    """Form, pledge, live page: what one person does, timed step by step."""
    client = harness.Client(port, address(n))
    form = f"/participer/banc/nettoyage/{campaign}/declarer/"
    started = time.perf_counter()
    client.get(form)
    loaded = time.perf_counter()
    token = f"00000000-0000-4000-8000-{n:012d}"
    status, _page = client.request("POST", form, {"token": token, "files_deleted": "3"})
    sent = time.perf_counter()
    client.get(f"/participer/banc/nettoyage/{campaign}/")
    done = time.perf_counter()
    timings.append((status, loaded - started, sent - loaded, done - sent))


def crowd(port, campaign, people, concurrency, first=0):
    timings, numbers = [], iter(range(first, first + people))
    lock = threading.Lock()

    def run():
        while True:
            with lock:
                n = next(numbers, None)
            if n is None:
                return
            participant(port, campaign, n, timings)

    threads = [threading.Thread(target=run) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    return threads, timings


def pledges(env):
    count = "from sobrio.cleanup.models import Pledge; print(Pledge.objects.count())"
    return int(sobrio(env, "shell", "-c", count).split()[-1])


def percentiles(values):
    ordered = sorted(values)
    return (
        f"p50 {1000 * statistics.median(ordered):.0f} ms, "
        f"p95 {1000 * ordered[int(0.95 * (len(ordered) - 1))]:.0f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        stop_postgres = None
        if options.sqlite:
            database = f"sqlite:///{root / 'banc.sqlite3'}"
        else:
            url, stop_postgres = start_postgres(root)
            database = url.rsplit("/", 1)[0] + "/postgres"
        setup = harness.campaign_setup("banc", "Université du Banc d'essai", "officer@banc.fr",
                                       "un-mot-de-passe-solide-42")  # fmt: skip
        try:
            with harness.cluster(
                root, database, settings={"PLEDGES_PER_ADDRESS": FLOOD_LIMIT},
                servers=2, workers=2, processes=2, setup=setup,
                worker_settings={"LOG_LEVEL": "INFO"},
            ) as cluster:  # fmt: skip
                run(cluster, options)
        finally:
            if stop_postgres:
                stop_postgres()
    if FAILED:
        print(f"{len(FAILED)} check(s) failed")
        sys.exit(1)


def run(cluster, options):
    port, campaign, env = cluster["port"], cluster["setup"], cluster["env"]
    print(
        f"cluster: nginx + 2 servers × 2 processes + 2 workers, "
        f"{'SQLite' if options.sqlite else 'PostgreSQL'}, Redis; {os.cpu_count()} cores"
    )

    # 1. a crowd, one address each
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    threads, timings = crowd(port, campaign, options.people, options.concurrency)
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    own_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    received = sum(1 for t in timings if t[0] == 302)
    print(f"{options.people} participants in {elapsed:.1f} s: "
          f"{options.people / elapsed:.1f} participants/s ({3 * options.people / elapsed:.0f} "
          f"requests/s); load generator CPU {own_cpu:.1f} s "
          f"({100 * own_cpu / elapsed / (os.cpu_count() or 1):.0f} % of the machine)")  # fmt: skip
    for index, step in ((1, "form"), (2, "pledge"), (3, "live page")):
        print(f"  {step}: {percentiles([t[index] for t in timings])}")
    check(received == options.people, f"every pledge received ({received}/{options.people})")
    check(elapsed < 60, f"{options.people} addresses served within a minute")

    # 2. a flood from one address
    client = harness.Client(port, "127.0.9.9")
    form = f"/participer/banc/nettoyage/{campaign}/declarer/"
    client.get(form)
    flood = [client.request("POST", form, {"token": f"10000000-0000-4000-8000-{n:012d}",
                                           "files_deleted": "1"})[0]
             for n in range(FLOOD_LIMIT + 10)]  # fmt: skip
    check(
        flood.count(302) == FLOOD_LIMIT and flood.count(429) == 10,
        f"one address floods: {flood.count(302)} received, {flood.count(429)} × 429",
    )

    # 3. kill -9 of server A in the middle of a burst
    count_before = pledges(env)
    threads, timings = crowd(port, campaign, 120, options.concurrency, first=10_000)
    time.sleep(1.0)
    os.killpg(cluster["servers"][0].pid, signal.SIGKILL)
    for thread in threads:
        thread.join()
    statuses = [t[0] for t in timings]
    added = pledges(env) - count_before
    check(statuses.count(302) == 120 and added == 120,
          f"kill -9 of server A mid-burst: {statuses.count(302)}/120 answered 302, "
          f"{added} pledges stored")  # fmt: skip

    # 4 and 5: the workers
    import_killed(cluster)
    chores_once(cluster)


def import_killed(cluster):
    """An import whose worker dies mid-way: the other worker takes it up."""
    env = cluster["env"]
    upload = cluster["root"] / "parc.csv"
    upload.write_text("Numéro d'inventaire;Type;Date d'achat\n"
                      + "".join(f"B-{n};Portable;01/02/2023\n" for n in range(60_000)))  # fmt: skip
    script = f"""
from sobrio.core.models import Institution
from sobrio.imports import flow
job = flow.create_job(Institution.objects.get(slug="banc"), None, "assets", {str(upload)!r},
                      "parc.csv")
print(job.pk)
"""
    job = sobrio(env, "shell", "-c", script).split()[-1]
    status = f"from sobrio.imports.models import ImportJob; j = ImportJob.objects.get(pk={job})"
    deadline = time.monotonic() + 60
    holder = None
    while time.monotonic() < deadline and holder is None:
        out = sobrio(env, "shell", "-c", status + "; print(j.status)").split()[-1]
        if out == "analysing":
            holder = _worker_running(cluster)
        time.sleep(0.2)
    if holder is None:
        check(False, "an import reached a worker")
        return
    os.killpg(holder.pid, signal.SIGKILL)
    started = time.monotonic()
    while time.monotonic() - started < 180:
        out = sobrio(env, "shell", "-c", status + "; print(j.status, j.attempts)").split()
        if out[-2] in ("ready", "failed"):
            break
        time.sleep(1)
    check(
        out[-2] == "ready",
        f"an import whose worker was killed: {out[-2]} after "
        f"{time.monotonic() - started:.0f} s on the other worker (attempts {out[-1]})",
    )


def _cpu(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _worker_running(cluster):
    """The worker running the task: the one whose CPU time grows."""
    alive = [w for w in cluster["workers"] if w.poll() is None]
    before = {w.pid: _cpu(w.pid) for w in alive}
    time.sleep(0.5)
    grown = {w.pid: _cpu(w.pid) - before[w.pid] for w in alive}
    busiest = max(alive, key=lambda w: grown[w.pid], default=None)
    return busiest if busiest is not None and grown[busiest.pid] > 5 else None


def chores_once(cluster):
    """Every worker logs the chores it claims, with the time and the period: a chore may
    run again in a later period (a run longer than a minute sees the reaper twice), never
    twice within one period, whichever workers ran it."""
    runs = {}
    for n in range(len(cluster["workers"])):
        for line in (cluster["root"] / f"worker{n}.log").read_text().splitlines():
            found = re.search(r"chore (\S+): run here \(\d+\) at (\d+), every (\d+) s", line)
            if found:
                name, at, every = found[1], int(found[2]), int(found[3])
                runs.setdefault(name, []).append((at, every, n))
    twice = {}
    for name, seen in runs.items():
        seen.sort()
        close = [(a, b) for a, b in zip(seen, seen[1:], strict=False) if b[0] - a[0] < a[1] - 1]
        if close:
            twice[name] = close
    check(len(runs) >= 5 and not twice,
          f"{len(runs)} chores ({sum(len(s) for s in runs.values())} runs), none twice in "
          f"one period for the cluster (by worker "
          f"{', '.join(sorted({str(r[2]) for s in runs.values() for r in s}))})"
          + (f"; twice: {twice}" if twice else ""))  # fmt: skip


if __name__ == "__main__":
    main()
