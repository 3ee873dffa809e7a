from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwarenessConfig(AppConfig):
    """Where Agir's tables were born, before learning, cleanup, ideas and badges became
    apps of their own: only the migrations that created the tables and handed them over,
    kept so that a database of that time migrates forward (and a new one is built the same
    way). No model, no page."""

    name = "sobrio.awareness"
    label = "awareness"
    verbose_name = _("Sensibilisation (historique des migrations)")

    def ready(self):
        from sobrio.awareness.moved import MOVED
        from sobrio.core import serializers

        for name, app in MOVED.items():  # a backup written before the move still restores
            serializers.moved(f"awareness.{name}", f"{app}.{name}")
