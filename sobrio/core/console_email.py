"""Mail without a mail server (SOBRIO_EMAIL_URL=console:): Django's console backend, on
standard error, so that standard output stays a command's own (the JSON scripts parse)."""

import sys

from django.core.mail.backends import console


class EmailBackend(console.EmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("stream", sys.stderr)
        super().__init__(*args, **kwargs)
