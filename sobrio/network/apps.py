from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "sobrio.network"
    label = "network"
    verbose_name = _("Réseau")

    def ready(self):
        from sobrio.core import demo

        demo.register(90, "sobrio.network.demo.load")
        from sobrio.core import housekeeping

        # the members' figures computed ahead, so that a network's first visit reads them
        housekeeping.register(600, "sobrio.network.services.warm_figures")
