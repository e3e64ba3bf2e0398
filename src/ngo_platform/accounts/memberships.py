"""The memberships the rules read, once per request.

A page asks `has_perm` many times (each button, each row); each rule wants to know whether the person belongs to
an authority or an organisation, and in which role. During a request (between Django's `request_started` and
`request_finished` signals) the person's memberships are read once and every predicate answers
from them (one query); outside a request (a service called by a command, a task or a test) every question reads the database
afresh. A service that changes memberships calls `forget()`.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.signals import request_finished, request_started
from django.db.models import CharField, Value


@dataclass(frozen=True)
class Roles:
    authorities: dict[int, str]  # authority id → role
    organisations: dict[int, str]  # organisation id → role


NONE = Roles(authorities={}, organisations={})

_per_request: ContextVar[dict | None] = ContextVar("memberships_per_request", default=None)


def _start(**kwargs) -> None:
    _per_request.set({})


def _finish(**kwargs) -> None:
    _per_request.set(None)


def connect() -> None:
    request_started.connect(_start, dispatch_uid="memberships_start")
    request_finished.connect(_finish, dispatch_uid="memberships_finish")


@contextmanager
def remembering():
    """Outside a request (a command's batch), read each person's memberships once for the block, as a request does."""
    token = _per_request.set({})
    try:
        yield
    finally:
        _per_request.reset(token)


def forget() -> None:
    """The memberships changed: read them again."""
    if (cache := _per_request.get()) is not None:
        cache.clear()


def roles(user) -> Roles | None:
    """The person's memberships when a request is being served (read on first use), else None."""
    cache = _per_request.get()
    if cache is None or not user.is_authenticated:
        return None
    if not user.is_active:
        return NONE  # a deactivated account holds nothing (no query)
    if user.pk not in cache:
        cache[user.pk] = read(user)
    return cache[user.pk]


def read(user) -> Roles:
    """The person's memberships in the authorities and the organisations, read now: one query for both."""
    authorities = user.authority_memberships.values_list(Value("a", output_field=CharField()), "authority_id", "role")
    organisations = user.organisation_memberships.values_list(
        Value("o", output_field=CharField()), "organisation_id", "role"
    )
    found = {"a": {}, "o": {}}
    for kind, party, role in authorities.union(organisations, all=True):
        found[kind][party] = role
    return Roles(authorities=found["a"], organisations=found["o"])


def remembered(key: tuple, read):
    """`read()` once per request for `key` (another app's memberships: a seat on a commission, a committee); called
    every time outside a request."""
    cache = _per_request.get()
    if cache is None:
        return read()
    if key not in cache:
        cache[key] = read()
    return cache[key]
