"""Real peers started on loopback for a test: Debian's redis-server (and nginx, in
test_cluster.py). A missing binary is an error, never a skip: scripts/test.sh installs
them."""

import socket
import subprocess
import time
from contextlib import contextmanager


def free_port(host="127.0.0.1"):
    return free_ports(1, host)[0]


def free_ports(n, host="127.0.0.1"):
    """n distinct free ports (held open together while chosen, so none comes twice)."""
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind((host, 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def wait_for_port(port, host="127.0.0.1", timeout=20, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process exited with {process.returncode}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout} s")


@contextmanager
def redis_server(folder):
    """Debian's redis-server on a free loopback port, nothing written to disk; yields its
    URL."""
    port = free_port()
    process = subprocess.Popen(
        ["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder), "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_port(port, process=process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
