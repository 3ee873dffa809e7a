"""Periodic work that `sobrio worker` runs beside its tasks, in one daemon thread: apps
register (every, function) here (the purge of inactive participants, reminders and
expired offers of workshops…); a failure is logged and the next round runs anyway.

Once per period for the whole cluster, however many workers on however many servers: a
worker runs a chore only when its update of the chore's row (core.models.Chore) claims
the period — a compare-and-set in the database, which PostgreSQL and SQLite both make
atomic — so the others skip it."""

import datetime
import logging
import os
import socket
import time

from django.utils.module_loading import import_string

JOBS = []
logger = logging.getLogger("sobrio")


def register(every_seconds, function):
    """`function`: a callable, or its dotted path (imported when the chore first runs)."""
    JOBS.append((every_seconds, function))


def _name(function):
    if isinstance(function, str):
        return function[:200]
    return f"{function.__module__}.{getattr(function, '__qualname__', function)}"[:200]


def claim(name, every, now):
    """True when this process takes the chore's period (nobody ran it within `every`)."""
    from sobrio.core.models import Chore

    at = datetime.datetime.fromtimestamp(now, tz=datetime.UTC)
    Chore.objects.get_or_create(
        name=name, defaults={"last_run_at": datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)}
    )
    taken = Chore.objects.filter(
        name=name, last_run_at__lte=at - datetime.timedelta(seconds=every)
    ).update(last_run_at=at, holder=f"{socket.gethostname()}:{os.getpid()}"[:200])
    return taken == 1


def run_due(last, now=None):
    """Run the jobs whose time has come and that this worker claims; `last` keeps when this
    worker last looked, so it asks the database once per period, not once per tick."""
    from django.db import close_old_connections

    now = now if now is not None else time.time()
    for every, function in JOBS:
        if now - last.get(function, 0.0) < every:
            continue
        last[function] = now
        try:
            close_old_connections()
            if claim(_name(function), every, now):
                logger.info("chore %s: run here (%s) at %.0f, every %s s",
                            _name(function), os.getpid(), now, every)  # fmt: skip
                (import_string(function) if isinstance(function, str) else function)()
        except Exception:  # noqa: BLE001 - keep the worker's housekeeping alive
            logger.exception("housekeeping: %s", getattr(function, "__name__", function))


def loop(stop, tick=60):
    last = {}
    while True:
        run_due(last)
        if stop.wait(tick):
            return
