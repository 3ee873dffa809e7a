from django_tasks import task

from sobrio.core import participation, queue


@task()
def deliver_link(institution_id, email, address, link_template, open_to_all):
    return participation.deliver_link(institution_id, email, address, link_template, open_to_all)


# a second run sends nothing while the first one's link is valid
queue.register("participation.deliver_link", deliver_link, resumable=True)
