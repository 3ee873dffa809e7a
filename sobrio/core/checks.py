"""Checks `sobrio check --deploy` runs (Django's system checks, tagged deploy)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def forwarded_without_trusted_proxy(app_configs, **kwargs):
    """Requests carried X-Forwarded-For (a proxy is in front) but no proxy is trusted:
    every client then has the proxy's address, and every per-address limit is global."""
    from django.core.cache import cache

    from sobrio.core.clients import SEEN_FORWARDED

    try:
        seen = cache.get(SEEN_FORWARDED)
    except Exception:  # noqa: BLE001 - the cache is checked elsewhere
        seen = False
    if seen and not settings.SOBRIO_TRUSTED_PROXIES:
        return [
            checks.Warning(
                "Requests arrive with X-Forwarded-For but SOBRIO_TRUSTED_PROXIES is empty: "
                "every client looks like the proxy, so login locks and rate limits apply to "
                "everyone at once.",
                hint="Set SOBRIO_TRUSTED_PROXIES to the proxy's address (e.g. 127.0.0.1).",
                id="sobrio.W001",
            )
        ]
    return []
