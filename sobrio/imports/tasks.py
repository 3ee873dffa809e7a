from django_tasks import task


@task()
def run_import_step(job_id, step):
    from sobrio.imports import flow

    return str(flow.run_step(job_id, step))
