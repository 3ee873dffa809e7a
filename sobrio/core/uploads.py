"""Uploads are bounded before they are read: by their declared length (middleware, 413),
and while they stream in, for a body sent without a length (upload handler)."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import render

# Routes anyone may reach without an account (the « Participer » space, public badge and
# certificate pages and their verifier, the accessibility statement, the sign-in pages):
# their bodies are small (the largest, a badge to verify, is 2 MB), so a stranger cannot
# make a server spool 200 MB to disk. The team's routes keep the import limit.
PUBLIC_PREFIXES = ("/participer/", "/badges/", "/ob/", "/verifier/", "/declaration/",
                   "/compte/", "/langue/")  # fmt: skip


def limit_for(path):
    if path.startswith(PUBLIC_PREFIXES):
        return settings.PUBLIC_UPLOAD_MAX_BYTES
    return settings.UPLOAD_MAX_BYTES


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = limit_for(request.path_info)
        request.sobrio_upload_limit = limit  # the upload handler's, for a body of no length
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            response = render(
                request,
                "errors/413.html",
                {
                    "limit_mb": max(1, limit // (1024 * 1024)),
                    "public": limit == settings.PUBLIC_UPLOAD_MAX_BYTES,
                },
                status=413,
            )
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of every file of a request; past the limit, the upload stops."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        limit = getattr(self.request, "sobrio_upload_limit", settings.UPLOAD_MAX_BYTES)
        if self.received > limit:
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
