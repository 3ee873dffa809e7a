"""Logging helpers: a refused page is an expected answer, not an error with a traceback."""

import logging


class QuietForbidden(logging.Filter):
    """Keep the one-line "Forbidden" record of a 403, drop its traceback."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
