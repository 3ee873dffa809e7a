"""Who is asking: the client's address, the one helper every limit and log uses.

Behind a reverse proxy, REMOTE_ADDR is the proxy. X-Forwarded-For is read only when the
request comes from a proxy listed in SOBRIO_TRUSTED_PROXIES (addresses or CIDR, default
none): a direct client cannot forge it. The client is the right-most address of the
header that is not itself a trusted proxy (the left-most untrusted one once the trusted
hops are taken off, as nginx's real_ip_recursive does); what a client wrote further left
is not believed.
"""

import contextlib
import ipaddress
import logging
from functools import cache

from django.conf import settings
from django.core.cache import cache as shared

logger = logging.getLogger(__name__)
SEEN_FORWARDED = "sobrio:forwarded-for-untrusted"  # `sobrio check --deploy` reads it


@cache
def _trusted(entries):
    return tuple(ipaddress.ip_network(e, strict=False) for e in entries)


def trusted_networks():
    return _trusted(tuple(settings.SOBRIO_TRUSTED_PROXIES))


def _parse(value):
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted(address, networks):
    return address is not None and any(address in n for n in networks)


def client_address(request):
    """The client's IP address as a string ('' when the request has none)."""
    cached = getattr(request, "_sobrio_client", None)
    if cached is not None:
        return cached
    remote = _parse(request.META.get("REMOTE_ADDR"))
    networks = trusted_networks()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    address = remote
    if forwarded and _is_trusted(remote, networks):
        for hop in reversed(forwarded.split(",")):
            candidate = _parse(hop)
            if candidate is None:
                break  # garbage: stop at the last address a trusted hop vouched for
            address = candidate
            if not _is_trusted(candidate, networks):
                break
    elif forwarded and not networks:
        note_untrusted_forwarding()
    result = str(address) if address is not None else ""
    with contextlib.suppress(AttributeError):  # an object that takes no attributes
        request._sobrio_client = result
    return result


def note_untrusted_forwarding():
    """Remember (a day) that requests carried X-Forwarded-For while no proxy is trusted:
    every client then looks like the proxy, and `sobrio check --deploy` says so."""
    try:
        shared.add(SEEN_FORWARDED, True, 86400)
    except Exception:  # noqa: BLE001 - a cache down must not fail the request
        logger.warning("cache unavailable: X-Forwarded-For without a trusted proxy not noted")


def axes_client_ip(request):
    """django-axes' AXES_CLIENT_IP_CALLABLE."""
    return client_address(request) or None
