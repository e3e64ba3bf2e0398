"""Expected refusals in one log line.

Django logs every response of 400 and above on the `django.request` logger, and a PermissionDenied with its full
traceback. A 403 or a 404 is the platform working as meant (a person without the role, a mistyped address): the
filter (settings.LOGGING, on that logger) turns such a record into one line, `GET /path 403 user=12`, without the
traceback. Errors of the server (5xx) keep theirs.
"""

import logging

EXPECTED = frozenset({400, 403, 404, 405, 410})


class ExpectedRefusalsOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if status in EXPECTED and request is not None:
            record.msg = "%s %s %s user=%s"
            record.args = (_printable(request.method), _printable(request.path), status, _user_id(request))
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True


def _printable(value) -> str:
    """As Django escapes what it logs: no control characters from the address (no forged log lines)."""
    return str(value).encode("unicode_escape").decode("ascii")


def _user_id(request) -> str:
    """The signed-in person's id, "-" for anonymous visitors; never a reason for the log line to fail."""
    try:
        user = getattr(request, "user", None)
        return str(user.pk) if user is not None and user.is_authenticated else "-"
    except Exception:
        return "?"
