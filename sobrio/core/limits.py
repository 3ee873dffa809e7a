"""Rate limits, counted in the shared cache so that every worker and every server sees the
same counts (SOBRIO_CACHE_URL: Redis, whose increments are atomic; on one machine the
file cache). A limit refused answers 429 with Retry-After (limited_response), and a form
shows why in the form.
"""

import time

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _


class Limited(Exception):
    """Too many requests: `retry_after` seconds to wait, `message` to show."""

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.message = message
        self.retry_after = max(1, int(retry_after))


def hit(name, key, limit, window):
    """Count one request for (name, key) in the current window of `window` seconds;
    raise Limited once more than `limit` were counted. Fixed windows: cheap (one add and
    one increment), and a burst at a window's edge gets at most twice the limit."""
    now = time.time()
    bucket = int(now // window)
    cache_key = f"sobrio:limit:{name}:{key}:{bucket}"
    cache.add(cache_key, 0, window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, window + 5)
        count = 1
    if count > limit:
        retry = window - (now - bucket * window)
        raise Limited(_("Trop de demandes : réessayez dans quelques minutes."), retry)
    return count


def limited_response(request, limited, template="core/limited.html", context=None, status=429):
    """The French page (or a form's page, with its context) that says to wait."""
    response = render(request, template, {"limited": limited, **(context or {})}, status=status)
    response["Retry-After"] = str(limited.retry_after)
    return response
