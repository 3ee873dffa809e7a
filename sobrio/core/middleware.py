"""Headers every response carries, a clear answer when SQLite is busy, the audit
trail's address, and how long a session lasts."""

import logging
import time

from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db.utils import OperationalError
from django.shortcuts import render
from django.utils.translation import gettext as _

from sobrio.core.clients import client_address
from sobrio.core.enums import Role

logger = logging.getLogger(__name__)
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class PrivacyHeadersMiddleware:
    """Permissions-Policy everywhere; no caching of what a signed-in person sees (pages,
    evidence, exports, reports), so a shared computer or a proxy keeps nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            response["Cache-Control"] = "private, no-store"
        return response


class BusyDatabaseMiddleware:
    """A write that waited too long for SQLite's lock (a long import holds it): a 503 page
    that says to try again, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and "locked" in str(exception):
            logger.warning("database busy on %s %s", request.method, request.path)
            response = render(request, "errors/503.html", status=503)
            response["Retry-After"] = "10"
            return response
        return None


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """django-auditlog's, with the client's address from core/clients.py: auditlog itself
    believes the first X-Forwarded-For entry whoever sent it."""

    @staticmethod
    def _get_remote_addr(request):
        return client_address(request) or None

    @staticmethod
    def _get_remote_port(request):
        return None  # the proxy's port tells nothing about the client


class SessionLimitsMiddleware:
    """A session lasts SESSION_MAX_SECONDS at most (12 hours) from its sign-in, and ends
    after TEAM_IDLE_SECONDS without a request (30 minutes) for a member of a team (OWASP
    ASVS 3.3), PARTICIPANT_IDLE_SECONDS (4 hours) for a participant only: a quiz or a
    course's half-day is not cut, and the space holds no one else's data. The last-seen
    stamp is written at most once a minute (one session write, not one per request)."""

    LOGIN, SEEN = "sobrio-login-at", "sobrio-seen-at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            login_at = session.setdefault(self.LOGIN, now)
            seen = session.get(self.SEEN, now)
            team = any(m.role != Role.PARTICIPANT for m in request.memberships)
            idle = settings.TEAM_IDLE_SECONDS if team else settings.PARTICIPANT_IDLE_SECONDS
            if now - login_at > settings.SESSION_MAX_SECONDS or now - seen > idle:
                logout(request)
                request.memberships, request.membership, request.institution = [], None, None
                messages.info(request, _("Votre session a expiré : reconnectez-vous."))
            elif now - seen > 60 or self.SEEN not in session:
                session[self.SEEN] = now
        return self.get_response(request)
