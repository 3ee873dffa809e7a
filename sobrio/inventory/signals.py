"""What the inventory tells its readers. Bulk writers (imports, the demo) send
`bulk_changed` once, since Django sends no signal per row for them; the footprint
subscribes to it (footprint/signals.py), the inventory knows nothing of its readers."""

from django.dispatch import Signal

bulk_changed = Signal()  # sender: the writer's module name; institution_id: int or None


def changed(institution_id, sender="inventory"):
    from sobrio.core import freshness

    freshness.renew(institution_id)  # the pages' cached fragments (core/freshness.py)
    bulk_changed.send(sender=sender, institution_id=institution_id)


# What readers of the inventory tell it back, e.g. "energy_categories": a function of the
# institution giving the categories whose factor is a yearly energy (footprint/apps.py).
readers = {}
