"""Periodic work that `sobrio worker` runs beside its tasks, in one daemon thread: apps
register (every, function) here (the purge of inactive participants, reminders and
expired offers of workshops…); a failure is logged and the next round runs anyway."""

import logging
import time

JOBS = []
logger = logging.getLogger("sobrio")


def register(every_seconds, function):
    JOBS.append((every_seconds, function))


def run_due(last, now=None):
    """Run the jobs whose time has come; last maps a job to when it last ran."""
    from django.db import close_old_connections

    now = now if now is not None else time.time()
    for every, function in JOBS:
        if now - last.get(function, 0.0) >= every:
            last[function] = now
            try:
                close_old_connections()
                function()
            except Exception:  # noqa: BLE001 - keep the worker's housekeeping alive
                logger.exception("housekeeping: %s", getattr(function, "__name__", function))


def loop(stop, tick=60):
    last = {}
    while True:
        run_due(last)
        if stop.wait(tick):
            return
