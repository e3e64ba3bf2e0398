"""The one clock of the consultations' services. Every module calls it as `clock.now()` (attribute access, never
`from … import now`), so that freezing it in one place freezes every deadline check; `services.now` reads and
sets this very attribute (see `services/__init__.py`)."""

from ngo_platform.core.arrival import arrived_at


def now():
    """When the request being handled reached the platform (core.arrival; outside a request, the server's clock):
    every deadline is checked against it."""
    return arrived_at()
