"""Throttled logins: the back-off of django-axes (settings.AXES_COOLOFF_TIME)."""

from datetime import timedelta

from django.conf import settings


def cool_off(request=None):
    """One minute after 5 failures, doubled for each further round of 5, an hour at most."""
    from axes.models import AccessAttempt

    failures = 0
    if request is not None:
        username = (request.POST.get(settings.AXES_USERNAME_FORM_FIELD) or "").strip().lower()
        address = request.META.get("REMOTE_ADDR", "")
        attempts = AccessAttempt.objects.filter(username=username) | AccessAttempt.objects.filter(
            ip_address=address
        )
        failures = max((a.failures_since_start for a in attempts[:20]), default=0)
    rounds = max(0, failures // settings.AXES_FAILURE_LIMIT - 1)
    return timedelta(minutes=min(60, 2**rounds))
