from django_tasks import task

from sobrio.core import queue
from sobrio.imports import flow


@task()
def run_import_step(job_id, step):
    return str(flow.run_step(job_id, step))


queue.register("imports.run_step", run_import_step)
