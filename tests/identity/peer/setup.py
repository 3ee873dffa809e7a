"""Prepare the peer's database: its tables and the service pattern that lets Sobrio
(on the test client's host) in, releasing every attribute."""

import django

django.setup()
from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)
from cas_server.models import ReplaceAttributName, ServicePattern  # noqa: E402

pattern = ServicePattern.objects.create(
    pos=1, name="sobrio", pattern=r"^http://(testserver|127\.0\.0\.1:\d+)/.*$", single_log_out=False
)
ReplaceAttributName.objects.create(service_pattern=pattern, name="*")
