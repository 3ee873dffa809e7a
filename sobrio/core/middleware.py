"""Headers every response carries, a clear answer when SQLite is busy, and the audit
trail's address."""

import logging

from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.db.utils import OperationalError
from django.shortcuts import render

from sobrio.core.clients import client_address

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
