from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "sobrio.network"
    label = "network"
    verbose_name = _("Réseau")

    def ready(self):
        from sobrio.core import demo
        from sobrio.network import demo as network_demo

        demo.register(90, network_demo.load)
