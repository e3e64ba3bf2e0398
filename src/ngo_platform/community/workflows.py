"""The courses of the community, declared once (`core.workflow`).

A news item: draft → published → archived; a published item may go back to a draft (taken off the site to be
corrected), an archived one may be published again. An event: draft → published → cancelled (the cancelled event
stays on the calendar, marked, and its registered people are told). Whoever may change the item
(`community.change_news`, `community.change_event`) takes every step. A registration: a place, or a place on the
waiting list, promoted when a place is freed, cancelled by its person (the services decide who and when, with the
event's row locked). An idea or a need: waiting for an answer → under consideration → accepted (→ done) or
rejected, each step an official answer of the addressed authority (`services.ideas.idea_answer`)."""

from django.utils.translation import gettext_lazy

from ngo_platform.community.models import (
    Event,
    EventRegistration,
    EventState,
    Idea,
    IdeaState,
    News,
    NewsState,
    RegistrationState,
)
from ngo_platform.community.selectors import EVENTS_VERSION, IDEAS_VERSION, NEWS_VERSION
from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.workflow import Transition, Workflow

S = NewsState
CHANGE = "community.change_news"


class NewsError(ServiceError):
    """A news step that is not allowed now (`core.exceptions.ServiceError`)."""


class EventError(ServiceError):
    """An event step or registration that is not allowed now (`core.exceptions.ServiceError`)."""


class IdeaError(ServiceError):
    """An idea's support or answer that is not allowed now (`core.exceptions.ServiceError`)."""


def _first_publication(news, now):
    """The publication date is the first one: a correction taken back to a draft keeps its place in the list."""
    if news.published_at is None:
        news.published_at = now
    return ["published_at"]


NEWS = Workflow(
    model=News,
    audit="community.news_{name}",
    changed_at="state_changed_at",
    error=NewsError,
    on_change=NEWS_VERSION.bump_on_commit,
    refusal=gettext_lazy("This cannot be done now: the news item is “%(state)s”."),
    acting_for=lambda actor, news: news.party if actor is not None else None,
    transitions=[
        Transition("publish", S.DRAFT, S.PUBLISHED, gettext_lazy("Publish"), CHANGE, effect=_first_publication),
        Transition("unpublish", S.PUBLISHED, S.DRAFT, gettext_lazy("Take back to a draft"), CHANGE),
        Transition("archive", S.PUBLISHED, S.ARCHIVED, gettext_lazy("Archive"), CHANGE, timestamp="archived_at"),
        Transition("republish", S.ARCHIVED, S.PUBLISHED, gettext_lazy("Publish again"), CHANGE),
    ],
)


def _tell_the_registered(event, now):
    from ngo_platform.community.services.events import tell_registered_of_cancellation

    tell_registered_of_cancellation(event)
    return []


E = EventState
CHANGE_EVENT = "community.change_event"
EVENT = Workflow(
    model=Event,
    audit="community.event_{name}",
    changed_at="state_changed_at",
    error=EventError,
    on_change=EVENTS_VERSION.bump_on_commit,
    refusal=gettext_lazy("This cannot be done now: the event is “%(state)s”."),
    acting_for=lambda actor, event: event.party if actor is not None else None,
    transitions=[
        Transition("publish", E.DRAFT, E.PUBLISHED, gettext_lazy("Publish"), CHANGE_EVENT, timestamp="published_at"),
        Transition(
            "cancel",
            E.PUBLISHED,
            E.CANCELLED,
            gettext_lazy("Cancel the event"),
            CHANGE_EVENT,
            effect=_tell_the_registered,
            confirm=gettext_lazy("A cancelled event cannot be published again."),
        ),
    ],
)


R = RegistrationState
REGISTRATION = Workflow(
    model=EventRegistration,
    audit="community.registration_{name}",
    also_save=("changed_at",),
    error=EventError,
    audit_target=lambda registration: registration.event,
    details=lambda registration: {"registration": registration.pk, "person": registration.user_id},
    transitions=[
        Transition("promote", R.WAITING, R.REGISTERED, gettext_lazy("Give the freed place")),
        Transition("cancel", (R.REGISTERED, R.WAITING), R.CANCELLED, gettext_lazy("Cancel the registration")),
    ],
)


IS = IdeaState
ANSWER = "community.answer_idea"
IDEA = Workflow(
    model=Idea,
    audit="community.idea_{name}",
    changed_at="state_changed_at",
    error=IdeaError,
    on_change=IDEAS_VERSION.bump_on_commit,
    refusal=gettext_lazy("This cannot be done now: the idea is “%(state)s”."),
    acting_for=lambda actor, idea: idea.authority if actor is not None else None,
    transitions=[
        Transition("consider", IS.SUBMITTED, IS.CONSIDERING, gettext_lazy("Under consideration"), ANSWER),
        Transition("accept", (IS.SUBMITTED, IS.CONSIDERING), IS.ACCEPTED, gettext_lazy("Accept"), ANSWER),
        Transition("reject", (IS.SUBMITTED, IS.CONSIDERING), IS.REJECTED, gettext_lazy("Reject"), ANSWER),
        Transition("complete", IS.ACCEPTED, IS.DONE, gettext_lazy("Done"), ANSWER),
    ],
)
