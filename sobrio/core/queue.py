"""Background work by name. A task module registers its tasks here when its app is ready;
services enqueue them by name, so that a service never imports its tasks (a task calls its
services, never the reverse)."""

import importlib

TASKS = {}


def register(name, task):
    """`task`: a django-tasks Task, or its dotted path, imported when first used (apps
    register paths at start-up: a command that queues nothing never imports numpy)."""
    TASKS[name] = task
    return task


def _task(name):
    task = TASKS[name]
    if isinstance(task, str):
        module, attribute = task.rsplit(".", 1)
        task = TASKS[name] = getattr(importlib.import_module(module), attribute)
    return task


def enqueue(name, *args):
    """Queue the task for the worker; returns django-tasks' result."""
    return _task(name).enqueue(*args)


def run_now(name, *args):
    """Run the task's function here, in this request or command."""
    return _task(name).call(*args)
