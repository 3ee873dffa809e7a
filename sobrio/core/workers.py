"""Workers that die: each `sobrio worker` writes that it is alive in the shared cache every
few seconds; once a minute, for the whole cluster (a chore), a task left RUNNING by a
worker that stopped beating is put back in the queue for another — when its kind says a
second run does no harm (queue.register(resumable=True)). Imports have their own, finer
mechanism (imports/jobs.py: heartbeat per job, attempts, a failure after three)."""

import datetime
import logging
import time

from django.core.cache import cache
from django.utils import timezone

from sobrio.core import queue

BEAT_SECONDS = 5
DEAD_AFTER_SECONDS = 30
logger = logging.getLogger("sobrio")


def _key(worker_id):
    return f"sobrio-worker:{worker_id}"


def beat_loop(worker_id, stop):
    """What `sobrio worker` runs beside its tasks, in a daemon thread."""
    while True:
        try:
            cache.set(_key(worker_id), time.time(), DEAD_AFTER_SECONDS * 2)
        except Exception:  # noqa: BLE001 - a cache that hiccups must not stop the worker
            logger.exception("worker heartbeat")
        if stop.wait(BEAT_SECONDS):
            return


def alive(worker_id, now=None):
    beat = cache.get(_key(worker_id))
    return beat is not None and (now or time.time()) - beat < DEAD_AFTER_SECONDS


def requeue_orphans():
    """RUNNING resumable tasks whose worker stopped beating: READY again; how many."""
    from django_tasks_db.models import DBTaskResult

    limit = timezone.now() - datetime.timedelta(seconds=DEAD_AFTER_SECONDS)
    requeued = 0
    running = DBTaskResult.objects.filter(
        status="RUNNING", task_path__in=sorted(queue.RESUMABLE), started_at__lt=limit
    )
    for row in running:
        worker = (row.worker_ids or [""])[-1]
        if alive(worker):
            continue
        taken = DBTaskResult.objects.filter(
            pk=row.pk, status="RUNNING", started_at=row.started_at
        ).update(status="READY", started_at=None)  # compare-and-set: once, by one chore
        if taken:
            logger.warning("task %s of worker %s (stopped) queued again", row.pk, worker)
            requeued += 1
    return requeued
