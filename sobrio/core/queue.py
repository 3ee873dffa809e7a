"""Background work by name. A task module registers its tasks here when its app is ready;
services enqueue them by name, so that a service never imports its tasks (a task calls its
services, never the reverse)."""

from django.utils.module_loading import import_string

TASKS = {}
RESUMABLE = set()  # task paths that may run again when their worker died (core/workers.py)


def register(name, task, *, resumable=False):
    """`task`: a django-tasks Task, or its dotted path, imported when first used (apps
    register paths at start-up: a command that queues nothing never imports numpy).
    resumable: running it twice does no harm, so a task whose worker was killed is
    queued again for another worker."""
    TASKS[name] = task
    if resumable:
        RESUMABLE.add(task if isinstance(task, str) else task.module_path)
    return task


def _task(name):
    task = TASKS[name]
    if isinstance(task, str):
        task = TASKS[name] = import_string(task)
    return task


def enqueue(name, *args):
    """Queue the task for the worker; returns django-tasks' result."""
    return _task(name).enqueue(*args)


def run_now(name, *args):
    """Run the task's function here, in this request or command."""
    return _task(name).call(*args)
