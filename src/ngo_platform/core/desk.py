"""The desk (/moje/): one list of what waits for a person across the modules, soonest deadline first.

Core knows no module. Each app contributes its own items with a provider, a function in `<app>/desk.py`

    def items(person: Person) -> Iterable[DeskItem]

registered once in the app's `AppConfig.ready()` with `desk.register("<app>", items)`; a new module adds its own
the same way. A provider reads through its app's selectors and asks its app's rules (`person.user.has_perm`) where
a permission matters.

What a provider may spend: a fixed number of SQL queries, whatever the number of its items (the desk's test
compares a person with one and with five items of each kind). The person's memberships are read once per request
(`accounts.memberships`) and handed to every provider in `Person`, so a provider filters by `person.authorities`
or `person.organisations` instead of joining the membership tables again, and the rules it asks answer from the
same cache.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.utils import timezone

from ngo_platform.accounts import memberships
from ngo_platform.accounts.models import OrganisationRole


@dataclass(frozen=True)
class DeskItem:
    """One thing that waits for the person.

    `code` names the kind for programs (tests, styling: "competitions.offer_draft"); `kind` is the person's word
    for it ("Offer to finish"); `deadline` is a moment (a datetime) or a whole day (a date: until the end of that
    day in Europe/Warsaw), or None; `detail` one line of context (the organisation, how many offers)."""

    code: str
    kind: str
    title: str
    url: str
    deadline: datetime.datetime | datetime.date | None = None
    detail: str = ""
    overdue: bool = field(default=False, compare=False)

    @property
    def due(self) -> datetime.datetime | None:
        """The deadline as a moment (a whole day ends at midnight after it, in the platform's time zone)."""
        if self.deadline is None or isinstance(self.deadline, datetime.datetime):
            return self.deadline
        midnight = datetime.datetime.combine(self.deadline + datetime.timedelta(days=1), datetime.time())
        return timezone.make_aware(midnight)

    @property
    def machine_deadline(self) -> str:
        """The deadline for `<time datetime>`: a date, or the moment in the platform's time zone to the second."""
        if self.deadline is None:
            return ""
        if isinstance(self.deadline, datetime.datetime):
            return timezone.localtime(self.deadline).replace(microsecond=0).isoformat()
        return self.deadline.isoformat()

    @property
    def has_time(self) -> bool:
        """The deadline is a moment (shown with its hour), not a whole day."""
        return isinstance(self.deadline, datetime.datetime)


@dataclass(frozen=True)
class Person:
    """Whom the desk is for, as every provider needs them: the user, the moment, and their memberships
    (authority id → role, organisation id → role), read once."""

    user: object
    now: datetime.datetime
    authorities: dict[int, str]
    organisations: dict[int, str]

    @property
    def is_staff(self) -> bool:
        return bool(self.user.is_active and self.user.is_staff)

    @property
    def administered(self) -> list[int]:
        """The organisations the person administers (the role that signs and submits for them)."""
        return [pk for pk, role in self.organisations.items() if role == OrganisationRole.ADMIN]


Provider = Callable[[Person], Iterable[DeskItem]]
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Add (or replace: `ready()` may run twice in tests) the provider of the module `name`."""
    _providers[name] = provider


def registered() -> dict[str, Provider]:
    return dict(_providers)


def person_of(user, *, now: datetime.datetime | None = None) -> Person:
    """The person with their memberships: from the request's cache (one query per request, shared with the rules),
    or, outside a request, read now (one query)."""
    known = memberships.roles(user)
    if known is None:
        known = memberships.read(user)
    return Person(
        user=user,
        now=now or timezone.now(),
        authorities=dict(known.authorities) if user.is_active else {},
        organisations=dict(known.organisations) if user.is_active else {},
    )


def _order(item: DeskItem) -> tuple:
    """Soonest deadline first, those without one last; equal ones keep the order their providers gave (the sort is
    stable)."""
    due = item.due
    return (due is None, due or datetime.datetime.max.replace(tzinfo=datetime.UTC))


def collect(user, *, now: datetime.datetime | None = None) -> list[DeskItem]:
    """Every registered module's items for the user (see `items_for`); none for an anonymous or deactivated one."""
    if not user.is_authenticated or not user.is_active:
        return []
    return items_for(person_of(user, now=now))


def items_for(person: Person) -> list[DeskItem]:
    """Every registered module's items for the person, soonest deadline first (those without one last); an item
    whose deadline has passed is marked `overdue`."""
    items = [item for provider in _providers.values() for item in provider(person)]
    marked = [replace(item, overdue=item.due is not None and item.due <= person.now) for item in items]
    return sorted(marked, key=_order)
