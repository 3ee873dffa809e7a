"""Forget cached footprints when what they were computed from changes.

A footprint is cached under its institution's FootprintSettings.data_version
(services.footprint). Saving or deleting one row of the inventory, a unit, a scenario
or a factor renews that version; bulk writes (imports, the demo) call services.touch
themselves, since Django sends no signal for them.
"""

import uuid

from django.db.models.signals import post_delete, post_save, pre_save

from sobrio.core.models import Institution, Unit
from sobrio.footprint.models import Factor, FactorSet, FootprintSettings, Scenario
from sobrio.inventory.models import Asset, CloudInstance, CustomCategory, DataStore, ServerRoom

OWNED = (Asset, ServerRoom, CloudInstance, DataStore, CustomCategory, Unit, Scenario)


def touch(institution_id=None):
    """Renew the data version of one institution (of every one when None)."""
    rows = FootprintSettings.objects.all()
    if institution_id is not None:
        rows = rows.filter(institution_id=institution_id)
    rows.update(data_version=uuid.uuid4())


def _owned_changed(sender, instance, origin=None, **kwargs):
    if kwargs.get("raw"):
        return  # a restore: the rows come back as they were
    if isinstance(origin, Institution):
        return  # the institution itself is going, with its settings
    touch(instance.institution_id)


def _factor_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    factor_set = instance if isinstance(instance, FactorSet) else instance.factor_set
    touch(factor_set.institution_id)  # None: a shared set, every institution may use it


def _settings_saving(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    instance.data_version = uuid.uuid4()


def _bulk_changed(sender, institution_id=None, **kwargs):
    touch(institution_id)


def connect():
    from sobrio.inventory.signals import bulk_changed

    bulk_changed.connect(_bulk_changed, dispatch_uid="touch-bulk")
    for model in OWNED:
        post_save.connect(_owned_changed, sender=model, dispatch_uid=f"touch-{model.__name__}")
        post_delete.connect(_owned_changed, sender=model, dispatch_uid=f"touch-{model.__name__}")
    for model in (Factor, FactorSet):
        post_save.connect(_factor_changed, sender=model, dispatch_uid=f"touch-{model.__name__}")
        post_delete.connect(_factor_changed, sender=model, dispatch_uid=f"touch-{model.__name__}")
    pre_save.connect(_settings_saving, sender=FootprintSettings, dispatch_uid="settings-version")
