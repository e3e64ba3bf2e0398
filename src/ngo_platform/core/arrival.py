"""When a request reached the platform: the moment every deadline is judged by.

A request can wait in the server's queue before a worker picks it up (on the last evening of a competition,
hundreds of offers arrive within seconds). What counts for the authority is when the offer reached it, not when a
worker got to it. Behind the reverse proxy, the proxy writes the moment it received the request in a header
(`X-Request-Start: t=<Unix seconds with milliseconds>`, nginx: `proxy_set_header X-Request-Start "t=${msec}";`,
docs/deploy.md); the platform believes it only when told to (`NGO_TRUST_REQUEST_START`, as the header can be sent
by anyone where no proxy overwrites it), and never further back than `NGO_REQUEST_START_MAX_SKEW` seconds before
the worker's own clock, nor later than it. Otherwise the arrival is the moment the worker started the request.

`ArrivalMiddleware` (first in MIDDLEWARE) reads it once per request; every writer that checks a deadline asks
`arrived_at()`, which outside a request (a command, a task, a test calling a service) is simply now.
"""

from __future__ import annotations

import math
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.core.text import local_second

HEADER = "HTTP_X_REQUEST_START"

_arrived: ContextVar[datetime | None] = ContextVar("arrived", default=None)


def arrived_at() -> datetime:
    """The moment the current request reached the platform (aware, UTC); outside a request, now."""
    return _arrived.get() or timezone.now()


def lateness(deadline: datetime, arrived: datetime) -> str:
    """What a refusal for lateness says: the deadline and the arrival, both to the second."""
    return _("The deadline was %(deadline)s; this arrived at %(arrived)s.") % {
        "deadline": local_second(deadline),
        "arrived": local_second(arrived),
    }


def request_start(meta, started: datetime) -> datetime:
    """The arrival the proxy's header says, if it is trusted and plausible; else `started` (the worker's clock).

    The header is `t=<seconds since the epoch>` (a fraction allowed; nginx gives milliseconds). A value more than
    the allowed skew before `started` is ignored (a forged or stale header cannot move an offer back in time);
    one after `started` (clocks of the proxy and the worker a little apart) counts as `started`."""
    if not settings.NGO_TRUST_REQUEST_START:
        return started
    raw = meta.get(HEADER, "").strip()
    try:
        seconds = float(raw.removeprefix("t="))
    except ValueError:
        return started
    if not math.isfinite(seconds):
        return started
    arrived = datetime.fromtimestamp(seconds, tz=UTC) if 0 < seconds < 1e11 else None
    if arrived is None or arrived < started - timedelta(seconds=settings.NGO_REQUEST_START_MAX_SKEW):
        return started
    return min(arrived, started)


class ArrivalMiddleware:
    """Set `request.arrived_at` and make it what `arrived_at()` answers while the request is handled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.arrived_at = request_start(request.META, timezone.now())
        token = _arrived.set(request.arrived_at)
        try:
            return self.get_response(request)
        finally:
            _arrived.reset(token)
