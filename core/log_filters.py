"""Log records of the `django.request` logger as one line where a traceback tells nothing.

A 403 or 404 is the answer to a request, not a fault of Kontor's: Django logs it as a warning
with the exception attached, which prints a traceback for every stranger who guesses a URL.
A failing service (database, cache) is logged as one line by core.errors.
"""

from __future__ import annotations

import logging

from .errors import is_service_failure


class OneLineClientErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        error = record.exc_info[1] if record.exc_info else None
        if (status is not None and status < 500) or is_service_failure(error):
            record.exc_info = None
            record.exc_text = None
        return True
