"""Throttled logins (django-axes): never a lock that one stranger can put on everyone.

Failures are counted per account *and* address together (AXES_LOCKOUT_PARAMETERS): five
wrong passwords from one address lock that account from that address only, so a
stranger's handful never locks the owner out elsewhere, and a whole campus behind one
address (a proxy, a NAT) is not locked by one of its people. An account also has a limit
of its own, ACCOUNT_FAILURE_LIMIT failures from every address together (several times
higher): a spread guessing attack still stops. The address is the client's
(core/clients.py), not the proxy's.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Sum

ACCOUNT_FAILURE_LIMIT = 25  # five times the per-address limit


def _counts(request, credentials=None):
    """(failures of this account from this address, failures of this account in all)."""
    from axes.helpers import get_client_username
    from axes.models import AccessAttempt

    from sobrio.core.clients import client_address

    if request is None:
        return 0, 0
    username = get_client_username(request, credentials)
    if not username:
        return 0, 0
    attempts = AccessAttempt.objects.filter(username=username)
    total = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
    here = (
        attempts.filter(ip_address=client_address(request)).aggregate(
            n=Sum("failures_since_start")
        )["n"]
        or 0
    )
    return here, total


def failure_limit(request, credentials=None):
    """AXES_FAILURE_LIMIT as a callable. Axes compares one count with one limit: with the
    lockout parameters [(username, address), username], its count is the account's total,
    so the limit given here is that total when this address has reached its own limit
    (locked), else the account's higher limit."""
    here, total = _counts(request, credentials)
    if here >= settings.SOBRIO_LOGIN_FAILURES_PER_ADDRESS:
        return max(total, 1)
    return ACCOUNT_FAILURE_LIMIT


def cool_off(request=None):
    """One minute after the limit, doubled for each further round of failures, an hour
    at most."""
    here, total = _counts(request)
    rounds = max(
        here // settings.SOBRIO_LOGIN_FAILURES_PER_ADDRESS - 1,
        total // ACCOUNT_FAILURE_LIMIT - 1,
        0,
    )
    return timedelta(minutes=min(60, 2**rounds))
