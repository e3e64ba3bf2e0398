"""Every write of the events: writing and changing an event, registering and cancelling (a cancelled place goes
to the first person on the waiting list, who is told by e-mail). The steps of an event's course are taken by
`core.workflow.perform(EVENT, …)` (community.workflows)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.community.models import Event, EventRegistration, EventState, RegistrationMode, RegistrationState
from ngo_platform.community.selectors import EVENTS_VERSION, Party
from ngo_platform.community.workflows import REGISTRATION, EventError
from ngo_platform.core.services import audit_log, email_notify
from ngo_platform.core.workflow import perform

FIELDS = (
    "title",
    "description",
    "all_day",
    "place",
    "gmina",
    "online_url",
    "accessibility",
    "registration",
    "registration_url",
    "capacity",
)


def moments(data: dict) -> tuple[datetime.datetime, datetime.datetime]:
    """The event's start and end as stored: the form's moments, or for an all-day event midnight (Europe/Warsaw)
    of its first day and midnight after its last."""
    if not data.get("all_day"):
        return data["starts_at"], data["ends_at"]
    first = timezone.localtime(data["starts_at"]).date()
    last = timezone.localtime(data["ends_at"]).date()
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time()))
    return start, end


def _apply(event: Event, data: dict) -> list[str]:
    changed = [name for name in FIELDS if getattr(event, name) != data.get(name)]
    for name in FIELDS:
        setattr(event, name, data.get(name))
    if event.registration != RegistrationMode.PLATFORM:
        event.capacity = None
    if event.registration != RegistrationMode.EXTERNAL:
        event.registration_url = ""
    start, end = moments(data)
    if (event.starts_at, event.ends_at) != (start, end):
        changed.append("dates")
    event.starts_at, event.ends_at = start, end
    return changed


def event_create(*, actor, party: Party, data: dict) -> Event:
    event = Event(organisation=party.organisation, authority=party.authority, created_by=actor)
    if party.organisation is None and party.authority is None:
        raise EventError(_("An event is organised by an organisation or a local government."), "party")
    if not actor.has_perm("community.change_event", event):
        raise PermissionDenied
    with transaction.atomic():
        _apply(event, data)
        event.save()
        audit_log(actor=actor, action="community.event_create", target=event, acting_for=event.party)
    return event


def event_update(*, actor, event: Event, data: dict) -> Event:
    if not actor.has_perm("community.change_event", event):
        raise PermissionDenied
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.state == EventState.CANCELLED:
            raise EventError(_("A cancelled event cannot be changed."))
        taken = event.registrations.filter(state=RegistrationState.REGISTERED).count()
        if data.get("registration") == RegistrationMode.PLATFORM and (data.get("capacity") or 0) < taken:
            raise EventError(
                _("%(count)s people are already registered: the places cannot be fewer.") % {"count": taken},
                "capacity",
            )
        changed = _apply(event, data)
        event.save()
        audit_log(
            actor=actor,
            action="community.event_update",
            target=event,
            acting_for=event.party,
            details={"fields": changed},
        )
        if "capacity" in changed:
            _fill_from_waiting_list(event)
        if event.is_public:
            EVENTS_VERSION.bump_on_commit()
    return event


def registration_create(*, actor, event: Event) -> EventRegistration:
    """A place for the person, or a place on the waiting list once the places are taken; a second registration of
    the same person returns the first (a double click registers once)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)  # registrations of one event, one at a time
        if not actor.has_perm("community.register_for_event", event):
            raise EventError(_("Registration for this event is not open."))
        existing = event.registrations.exclude(state=RegistrationState.CANCELLED).filter(user=actor).first()
        if existing is not None:
            return existing
        taken = event.registrations.filter(state=RegistrationState.REGISTERED).count()
        state = RegistrationState.REGISTERED if taken < event.capacity else RegistrationState.WAITING
        registration = EventRegistration.objects.create(event=event, user=actor, state=state)
        audit_log(
            actor=actor, action=f"community.event_{state}", target=event, details={"registration": registration.pk}
        )
    return registration


def registration_cancel(*, actor, registration: EventRegistration) -> None:
    """The person gives up the place (or the place on the waiting list); a freed place goes to the first who waits."""
    if registration.user_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = EventRegistration.objects.get(pk=registration.pk)
        if registration.state == RegistrationState.CANCELLED:
            return
        perform(REGISTRATION, registration, "cancel", actor=actor)
        if event.state == EventState.PUBLISHED:
            _fill_from_waiting_list(event)


def _fill_from_waiting_list(event: Event) -> None:
    """Give the free places to those who wait, first come first served, and tell each by e-mail. Called with the
    event's row locked."""
    if event.registration != RegistrationMode.PLATFORM:
        return
    taken = event.registrations.filter(state=RegistrationState.REGISTERED).count()
    free = max((event.capacity or 0) - taken, 0)
    if not free:
        return
    waiting = list(event.registrations.filter(state=RegistrationState.WAITING).select_related("user")[:free])
    for registration in waiting:
        perform(REGISTRATION, registration, "promote", actor=None)
        email_notify(
            to=[registration.user.email],
            template="community/email/place_freed",
            context={"event": event, "person": registration.user},
        )


def tell_registered_of_cancellation(event: Event) -> None:
    """E-mail everyone registered or waiting, each their own message (no one sees the others' addresses), that
    the event is cancelled; queued inside the cancellation's transaction."""
    people = event.registrations.exclude(state=RegistrationState.CANCELLED).select_related("user")
    for registration in people:
        email_notify(
            to=[registration.user.email],
            template="community/email/event_cancelled",
            context={"event": event, "person": registration.user},
        )
