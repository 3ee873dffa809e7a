"""Import jobs that survive faults: a heartbeat while they run, a reaper for the dead.

Progress and heartbeat go to the shared cache, not to the job's row: the commit runs
in one transaction, whose writes nobody else sees until it ends (and which, on
SQLite, holds the only write lock). A job whose heartbeat stops (its worker was
killed) is taken up again by `reap`, which `sobrio worker` runs every few seconds,
up to MAX_ATTEMPTS times, then marked failed with the reason.
"""

import logging
import threading
import time
import zipfile

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import close_old_connections
from django.utils import timezone

from sobrio.core import queue
from sobrio.imports import budget
from sobrio.imports.models import PREVIEWS_PREFIX, RUNNING, ImportJob, JobStatus

logger = logging.getLogger(__name__)
BEAT_SECONDS = 5
MAX_ATTEMPTS = 3


def stale_seconds():
    return settings.IMPORT_STALE_SECONDS


def _key(job_id, what):
    return f"sobrio:import:{job_id}:{what}"


def progress(job_id):
    """(rows done, rows total) as the running job last wrote them."""
    return cache.get(_key(job_id, "progress")) or (0, 0)


def set_progress(job_id, done, total):
    cache.set(_key(job_id, "progress"), (done, total), 24 * 3600)


def last_beat(job_id):
    return cache.get(_key(job_id, "beat"))


class Heartbeat:
    """Writes "alive" to the cache every BEAT_SECONDS while the job's step runs."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def _beat(self):
        every = min(BEAT_SECONDS, max(stale_seconds() / 4, 0.5))
        while not self.stop.is_set():
            cache.set(_key(self.job_id, "beat"), time.time(), stale_seconds() * 10)
            self.stop.wait(every)

    def __enter__(self):
        cache.set(_key(self.job_id, "beat"), time.time(), stale_seconds() * 10)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=BEAT_SECONDS * 2)


def claim(job_id, step, status):
    """Take the queued job for this step; False if someone else has it or it is gone."""
    taken = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED, step=step).update(
        status=status, updated_at=timezone.now()
    )
    return taken == 1


def unpacked_size(source):
    """What reading the file takes: an archive's (XLSX, ODS) entries once unpacked, read
    from its central directory without unpacking anything; a plain file's own size.
    `source`: an imports.reading.Source."""
    size = source.size()
    try:
        with source.open() as handle:
            if handle.read(4) != b"PK\x03\x04":
                return size
            handle.seek(0)
            with zipfile.ZipFile(handle) as archive:
                return sum(info.file_size for info in archive.infolist())
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return size  # the reader will say what is wrong, quickly


def enqueue(job):
    """Run the job's step now (small files, or no worker configured) or in the worker.
    "Small" is what reading takes, the unpacked size, not the upload's: a 500 KB XLSX may
    unpack to 85 MB. Inline work has a time budget too; past it, the worker takes over."""
    immediate = settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
    if immediate:
        queue.run_now("imports.run_step", job.pk, job.step)
        return
    if job.size <= settings.IMPORT_INLINE_BYTES and (
        unpacked_size(job.source()) <= settings.IMPORT_INLINE_UNPACKED_BYTES
    ):
        with budget.within(settings.IMPORT_INLINE_SECONDS):
            queue.run_now("imports.run_step", job.pk, job.step)
        if not ImportJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).exists():
            return
        logger.info("import job %s: past the request's budget, handed to the worker", job.pk)
    result = queue.enqueue("imports.run_step", job.pk, job.step)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


def reap(now=None):
    """Jobs whose worker died: queued again (their data is all or nothing), or failed."""
    now = now or time.time()
    stale_before = timezone.now() - timezone.timedelta(seconds=stale_seconds())
    reaped = []
    for job in ImportJob.objects.filter(status__in=RUNNING, updated_at__lt=stale_before):
        beat = last_beat(job.pk)
        if beat is not None and now - beat < stale_seconds():
            continue  # alive, just long
        _task_failed(job.task_id)
        attempts = job.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            ImportJob.objects.filter(pk=job.pk, status=job.status).update(
                status=JobStatus.FAILED,
                attempts=attempts,
                error=(
                    f"Le traitement s'est arrêté {attempts} fois (worker interrompu) : "
                    "rien n'a été importé. Relancez l'import ou signalez-le à l'administrateur."
                ),
                updated_at=timezone.now(),
            )
            logger.warning("import job %s failed after %s interrupted attempts", job.pk, attempts)
        else:
            changed = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
                status=JobStatus.QUEUED,
                attempts=attempts,
                error=(
                    f"Le traitement s'est arrêté (worker interrompu) : relancé automatiquement, "
                    f"essai {attempts + 1} sur {MAX_ATTEMPTS}."
                ),
                updated_at=timezone.now(),
            )
            if changed:
                logger.warning("import job %s interrupted, queued again (%s)", job.pk, attempts)
                job.refresh_from_db()
                enqueue(job)
        reaped.append(job.pk)
    return reaped


def _task_failed(task_id):
    """The task row of a dead worker stays "running" for ever: say it failed."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=task_id, status="RUNNING").update(
        status="FAILED", finished_at=timezone.now()
    )


def purge(days=None):
    """Remove the files (and rows) of finished jobs older than `days`."""
    days = settings.IMPORT_KEEP_DAYS if days is None else days
    old = ImportJob.objects.filter(updated_at__lt=timezone.now() - timezone.timedelta(days=days))
    count = 0
    for job in old.exclude(status__in=RUNNING):
        job.remove_files()
        job.delete()
        count += 1
    return count + _purge_previews(timezone.now() - timezone.timedelta(days=days))


def _purge_previews(before):
    """Files shown in a preview and never confirmed (previews/<app>/…: reuse's decisions)."""
    count = 0
    try:
        folders, _files = default_storage.listdir(PREVIEWS_PREFIX)
    except FileNotFoundError:
        return 0
    for folder in folders:
        try:
            _sub, files = default_storage.listdir(f"{PREVIEWS_PREFIX}/{folder}")
        except FileNotFoundError:
            continue
        for name in files:
            path = f"{PREVIEWS_PREFIX}/{folder}/{name}"
            if default_storage.get_modified_time(path) < before:
                default_storage.delete(path)
                count += 1
    return count


def reaper_loop(stop, interval=None):
    """What `sobrio worker` runs beside its tasks, in a daemon thread. Every worker reaps
    (each change is a compare-and-set, so two reapers requeue a job once); the purge of
    old files is a chore of the cluster (core/housekeeping.py, registered in apps.py)."""
    interval = interval or min(10, max(stale_seconds() / 2, 0.5))
    while not stop.wait(interval):
        try:
            close_old_connections()
            reap()
        except Exception:  # noqa: BLE001 - the reaper must outlive a passing database error
            logger.exception("import reaper")
