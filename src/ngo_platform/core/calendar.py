"""The dates other modules put on the events calendar (/wydarzenia/: the month view and the iCal feed).

Core knows no module. Each app that has dated public matters (a consultation's meeting, a competition's deadline
for offers) contributes them with a provider in `<app>/calendar.py`

    def entries(start: datetime, end: datetime) -> Iterable[CalendarEntry]

registered once in the app's `AppConfig.ready()` with `calendar.register("<app>", entries)`, as the desk's
providers are (`core.desk`). A provider reads through its app's selectors, public matters only, in a fixed number
of queries whatever their number.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CalendarEntry:
    """A dated public matter of another module: what it is (`kind`, the person's word), its title, from when to
    when, the address of its page, a stable `uid` (for iCal) and, where there is one, its place."""

    kind: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    url: str
    uid: str
    place: str = ""


Provider = Callable[[datetime.datetime, datetime.datetime], Iterable[CalendarEntry]]
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Add (or replace: `ready()` may run twice in tests) the provider of the module `name`."""
    _providers[name] = provider


def registered() -> dict[str, Provider]:
    return dict(_providers)


def entries_between(start: datetime.datetime, end: datetime.datetime) -> list[CalendarEntry]:
    """Every registered module's entries starting in [start, end), by their start."""
    found = [entry for provider in _providers.values() for entry in provider(start, end)]
    return sorted(found, key=lambda entry: (entry.starts_at, entry.uid))
