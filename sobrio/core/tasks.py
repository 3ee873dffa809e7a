from django_tasks import task

from sobrio.core import participation, queue


@task()
def deliver_link(institution_id, email, address, link_template, open_to_all):
    return participation.deliver_link(institution_id, email, address, link_template, open_to_all)


queue.register("participation.deliver_link", deliver_link)
