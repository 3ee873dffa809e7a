"""Background work by name. A task module registers its tasks here when its app is ready;
services enqueue them by name, so that a service never imports its tasks (a task calls its
services, never the reverse)."""

TASKS = {}


def register(name, task):
    TASKS[name] = task
    return task


def enqueue(name, *args):
    """Queue the task for the worker; returns django-tasks' result."""
    return TASKS[name].enqueue(*args)


def run_now(name, *args):
    """Run the task's function here, in this request or command."""
    return TASKS[name].call(*args)
