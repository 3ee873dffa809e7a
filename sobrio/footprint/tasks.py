from django_tasks import task

from sobrio.core import queue
from sobrio.footprint import services


@task()
def recompute(institution_id, year, method, factor_set_id, scenario_id=None):
    return services.recompute(institution_id, year, method, factor_set_id, scenario_id)


queue.register("footprint.recompute", recompute)
