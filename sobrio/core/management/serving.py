"""Start gunicorn (and, on request, the task worker beside it) until interrupted."""

import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command


def run_server(*, bind, workers, with_worker=False, collect=False):
    if collect and not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    server = [
        sys.executable, "-m", "gunicorn", "sobrio.wsgi",
        "--bind", bind,
        "--workers", str(workers),
        "--access-logfile", "-",
        "--forwarded-allow-ips", "127.0.0.1",
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
