"""Issue 26: periodic chores run once per period for the whole cluster, not once per
worker."""

import threading

from django.db import connections

from sobrio.core import housekeeping


def test_two_workers_run_a_chore_once_per_period(db, monkeypatch):
    ran, broken = [], []

    def chore():
        ran.append(1)

    def failing():
        broken.append(1)
        raise RuntimeError("a chore that fails")

    monkeypatch.setattr(housekeeping, "JOBS", [(3600, failing), (3600, chore)])
    # the worker's own connection hygiene would close the test's transaction
    monkeypatch.setattr("django.db.close_old_connections", lambda: None)
    first, second = {}, {}  # what each worker remembers
    housekeeping.run_due(first, now=1_000_000.0)
    housekeeping.run_due(second, now=1_000_001.0)
    assert ran == [1] and broken == [1]  # once for both, and a failure stops nothing
    housekeeping.run_due(second, now=1_000_000.0 + 3600)
    housekeeping.run_due(first, now=1_000_000.0 + 3601)
    assert ran == [1, 1]


def test_concurrent_claims_give_the_period_to_one_worker(transactional_db):
    results, start = [], threading.Barrier(6)

    def worker():
        try:
            start.wait()
            results.append(housekeeping.claim("tests.chore", 60, 2_000_000.0))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 5 + [True]
