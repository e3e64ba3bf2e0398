"""Processes declared once, as data, and performed by one function.

A process (a consultation, a competition, an offer, an election…) is a `Workflow`: the model, its state field and
its `Transition`s. Each transition names its source state(s), its target, a label (for buttons and the audit log),
the permission (a `rules` name) a person needs, an optional guard that returns a refusal message (the times and
content the step needs), the timestamp field it sets, an optional effect (what else changes with it, e.g. the
count when the voting closes) and its audit action.

`perform` is the only code that assigns a state (a test greps for any other): it locks the row, checks the
source state, the permission and the guard, sets the state and the timestamps, runs the effect, saves and writes
the audit entry, all in one transaction (the caller's, when there is one). Pages draw the buttons from the same
table with `available`.

    CONSULTATION = Workflow(
        model=Consultation,
        audit="consultations.consultation_{target}",
        changed_at="state_changed_at",
        error=ConsultationError,
        transitions=[
            Transition("open", source=S.SCHEDULED, target=S.OPEN, label=_("Open"),
                       permission="consultations.manage_consultation", timestamp="opened_at",
                       guard=lambda consultation, now: ... or None),
            ...,
        ],
    )
    consultation = perform(CONSULTATION, consultation, "open", actor=request.user)

An `actor` of None is the system (the clock, a cron job): no permission applies, the guards still do.
"""

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.services import audit_log

# (object, now) → the refusal, or None when the step may be taken; a guard with several reasons to give raises the
# workflow's error itself, with its `problems`.
Guard = Callable[[Any, Any], str | None]
Effect = Callable[[Any, Any], Iterable[str]]  # (object, now) → the further fields it set (saved with the state)


@dataclass(frozen=True)
class Transition:
    name: str
    source: str | tuple[str, ...]
    target: str
    label: Any = ""
    permission: str | None = None
    guard: Guard | None = None
    timestamp: str | None = None
    effect: Effect | None = None
    action: str | None = None  # the audit action; the workflow's pattern when None
    audited: bool = True  # False: one of many steps that the service audits as one entry (a whole decision)
    permission_object: Callable[[Any], Any] | None = None  # what the permission is checked on; the workflow's if None
    refusal: Any = None  # the message (or obj → message) when not in a source state; the workflow's when None
    confirm: Any = None  # what cannot be undone: pages ask before performing it (`core.confirmation.ask_before`)

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else tuple(self.source)


@dataclass
class Workflow:
    model: type[models.Model]
    transitions: list[Transition]
    audit: str  # the audit action, formatted with {name} and {target}
    field: str = "state"
    changed_at: str | None = None  # set on every transition
    also_save: tuple[str, ...] = ()  # saved with every transition (e.g. an auto_now "updated_at")
    error: type[ServiceError] = ServiceError
    refusal: Any = None  # the message when not in a source state, formatted with {state} and {target}
    acting_for: Callable[[Any, Any], Any] = lambda actor, obj: None
    details: Callable[[Any], dict] = lambda obj: {}
    permission_object: Callable[[Any], Any] = lambda obj: obj
    audit_target: Callable[[Any], Any] = lambda obj: obj  # what the audit entry is about (e.g. a call's offer)
    # Called after every transition, inside its transaction: e.g. the version of cached public pages, bumped on commit.
    on_change: Callable[[], None] | None = None
    _by_name: dict[str, Transition] = dataclasses.field(init=False, repr=False)

    def __post_init__(self):
        self._by_name = {t.name: t for t in self.transitions}
        if len(self._by_name) != len(self.transitions):
            raise ValueError(f"{self.model.__name__}: two transitions share a name")
        states = {value for value, _label in self.model._meta.get_field(self.field).choices}
        for t in self.transitions:
            if not {t.target, *t.sources} <= states:
                raise ValueError(f"{self.model.__name__}.{t.name}: a state that the model does not have")

    def __getitem__(self, name: str) -> Transition:
        return self._by_name[name]

    def table(self) -> dict[str, set[str]]:
        """State → the states it may move to (for documentation and tests)."""
        states = {value: set() for value, _label in self.model._meta.get_field(self.field).choices}
        for t in self.transitions:
            for source in t.sources:
                states[source].add(t.target)
        return states

    def leading_to(self, state: str, target: str) -> Transition | None:
        return next((t for t in self.transitions if t.target == target and state in t.sources), None)

    def from_state(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def refusal_of(self, transition: Transition, obj) -> str | None:
        """Why `transition` cannot be taken now by the system (source state and guard), or None."""
        state = getattr(obj, self.field)
        if state not in transition.sources:
            if isinstance(transition.refusal, str | Promise):
                return str(transition.refusal)
            if transition.refusal is not None:
                return str(transition.refusal(obj))
            choices = dict(self.model._meta.get_field(self.field).choices)
            message = self.refusal or _("This cannot be done now: the stage is “%(state)s”.")
            return str(message) % {"state": choices.get(state, state), "target": choices.get(transition.target)}
        if transition.guard is not None:
            return transition.guard(obj, timezone.now())
        return None

    def permitted(self, transition: Transition, user, obj) -> bool:
        on = (transition.permission_object or self.permission_object)(obj)
        return transition.permission is None or user.has_perm(transition.permission, on)

    def can(self, transition: Transition, obj, user) -> bool:
        """`user` may take `transition` of `obj` now: from its state, permitted, its guard agreeing."""
        return (
            getattr(obj, self.field) in transition.sources
            and self.permitted(transition, user, obj)
            and (transition.guard is None or transition.guard(obj, timezone.now()) is None)
        )

    def available(self, obj, user) -> list[Transition]:
        """The transitions `user` may take now: the page's buttons."""
        return [t for t in self.from_state(getattr(obj, self.field)) if self.can(t, obj, user)]


def perform(
    workflow: Workflow,
    obj,
    name: str,
    *,
    actor,
    now=None,
    details: dict | None = None,
    values: dict | None = None,
):
    """Take the transition `name` of `obj`; returns `obj` in its new state.

    `values` are further fields that change with the state (a reason, who decided); `details` go to the audit
    entry. Raises PermissionDenied, or the workflow's error with the refusal; nothing is saved then.
    """
    transition = workflow[name]
    moment = now or timezone.now()
    with transaction.atomic():
        # Locked and read afresh (one query): the checks see the row as it is, whatever the caller read before.
        obj.refresh_from_db(from_queryset=workflow.model._default_manager.select_for_update())
        if actor is not None and not workflow.permitted(transition, actor, obj):
            raise PermissionDenied
        source = getattr(obj, workflow.field)
        if source not in transition.sources:
            raise workflow.error(workflow.refusal_of(transition, obj))
        if transition.guard is not None and (refusal := transition.guard(obj, moment)):
            raise workflow.error(refusal)
        fields = [workflow.field, *workflow.also_save]
        setattr(obj, workflow.field, transition.target)
        for timestamp in (workflow.changed_at, transition.timestamp):
            if timestamp:
                setattr(obj, timestamp, moment)
                fields.append(timestamp)
        for key, value in (values or {}).items():
            setattr(obj, key, value)
            fields.append(key)
        if transition.effect is not None:
            fields += transition.effect(obj, moment) or ()
        obj.save(update_fields=list(dict.fromkeys(fields)))
        if workflow.on_change is not None:
            workflow.on_change()
        if not transition.audited:
            return obj
        audit_log(
            actor=actor,
            action=transition.action or workflow.audit.format(name=transition.name, target=transition.target),
            target=workflow.audit_target(obj),
            acting_for=workflow.acting_for(actor, obj),
            details={**workflow.details(obj), "from": source, "to": transition.target, **(details or {})},
        )
    return obj
