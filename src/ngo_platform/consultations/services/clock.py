"""The one clock of the consultations' services. Every module calls it as `clock.now()` (attribute access, never
`from … import now`), so that freezing it in one place freezes every deadline check; `services.now` reads and
sets this very attribute (see `services/__init__.py`)."""

from django.utils import timezone


def now():
    """The server's clock (aware, UTC); every deadline is checked against it."""
    return timezone.now()
