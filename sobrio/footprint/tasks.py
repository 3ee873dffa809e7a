from django_tasks import task


@task()
def recompute(institution_id, year, method, factor_set_id, scenario_id=None):
    from sobrio.footprint import services

    return services.recompute(institution_id, year, method, factor_set_id, scenario_id)
