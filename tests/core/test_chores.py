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


def test_a_task_whose_worker_died_is_queued_again_if_a_second_run_is_harmless(db):
    """Issue 26: a worker killed with -9 left its task RUNNING for ever (only imports were
    taken up again). A resumable task of a worker that stopped beating goes back to the
    queue, once; a living worker's, or a task not declared resumable, stays."""
    import datetime
    import time

    from django.core.cache import cache
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from sobrio.core import queue, workers

    long_ago = timezone.now() - datetime.timedelta(minutes=5)

    def running(task_path, worker):
        result = queue.enqueue("footprint.recompute", 1, 2026, "attributional", None)
        DBTaskResult.objects.filter(pk=result.id).update(
            status="RUNNING", started_at=long_ago, worker_ids=[worker], task_path=task_path
        )
        return result.id

    recompute = "sobrio.footprint.tasks.recompute"
    assert recompute in queue.RESUMABLE
    dead = running(recompute, "killed-with-9")
    busy = running(recompute, "still-here")
    other = running("sobrio.imports.tasks.run_import_step", "killed-too")
    cache.set("sobrio-worker:still-here", time.time(), 60)
    assert workers.requeue_orphans() == 1
    assert DBTaskResult.objects.get(pk=dead).status == "READY"
    assert DBTaskResult.objects.get(pk=busy).status == "RUNNING"
    assert DBTaskResult.objects.get(pk=other).status == "RUNNING"  # imports: their reaper
    assert workers.requeue_orphans() == 0  # once
