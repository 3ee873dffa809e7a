from django_tasks import task


@task()
def run_import(job_id):
    from sobrio.inventory import services

    return str(services.run_job(job_id))
