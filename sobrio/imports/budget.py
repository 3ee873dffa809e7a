"""A time budget for work done inside a request: past it, the work stops where it is (its
transaction rolls back) and goes to the worker, far below gunicorn's 30 s timeout that
would kill the process. Readers call check() as they stream rows; outside a budget it
costs a context-variable read."""

import contextlib
import contextvars
import time

_deadline = contextvars.ContextVar("sobrio_import_deadline", default=None)


class OutOfTime(Exception):  # noqa: N818 - a signal, not an error shown to anyone
    """The request's budget is spent: the caller hands the work to the worker."""


@contextlib.contextmanager
def within(seconds):
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def check():
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise OutOfTime
