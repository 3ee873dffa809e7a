"""Start gunicorn (and, on request, the task worker beside it) until interrupted."""

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command


def static_sources_stamp():
    """A fingerprint of every static source file (name, size, time): collectstatic takes
    seconds (whitenoise compresses every file), so it runs only when this changes, as
    after an upgrade or an edit of sobrio.css."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static_if_changed():
    root = Path(settings.STATIC_ROOT)
    stamp_file = root / ".sobrio-sources"
    stamp = static_sources_stamp()
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp_file.write_text(stamp)  # written last: an interrupted collection runs again
    return True


def run_server(*, bind, workers, with_worker=False, collect=False):
    if collect:
        collect_static_if_changed()
    server = [
        sys.executable, "-m", "gunicorn", "sobrio.wsgi",
        "--bind", bind,
        "--workers", str(workers),
        "--access-logfile", "-",
        # the proxies Sobrio trusts (SOBRIO_TRUSTED_PROXIES), for gunicorn's own log too
        "--forwarded-allow-ips",
        ",".join(str(n) for n in settings.SOBRIO_TRUSTED_PROXIES) or "127.0.0.1",
        "--config", "python:sobrio.gunicorn_conf",
    ]  # fmt: skip
    processes = [subprocess.Popen(server)]  # noqa: S603 - our own argv
    if with_worker:
        worker = [sys.executable, "-m", "sobrio", "worker"]
        processes.append(subprocess.Popen(worker))  # noqa: S603

    def stop(signum, frame):
        raise KeyboardInterrupt  # SIGTERM as Ctrl+C: the children are stopped below

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        processes[0].wait()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
