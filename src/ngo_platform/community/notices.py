"""What the community tells followers (a source of `notifications.engine`): news and events published by or in
what a person follows (an authority, a territory, a sphere), events cancelled, ideas addressed there, and the
official answers to an idea the person follows (its author and supporters have them e-mailed at once)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ngo_platform.community.models import Event, EventState, Idea, IdeaAnswer, IdeaSupport, News, NewsState
from ngo_platform.notifications.engine import NEWS_FOR, Notice


def _teryt(party, unit=None) -> str:
    """The territory it concerns: its own unit, else its authority's, else its organisation's seat."""
    if unit is not None:
        return unit.teryt
    if party is None:
        return ""
    unit = getattr(party, "unit", None) or getattr(party, "seat", None)
    return unit.teryt if unit is not None else ""


def news(now: datetime) -> Iterator[Notice]:
    published = News.objects.filter(state=NewsState.PUBLISHED, published_at__gte=now - NEWS_FOR)
    query = published.select_related("authority__unit", "organisation__seat").prefetch_related("spheres")
    for item in query:
        yield Notice(
            item=f"community.news:{item.pk}",
            event="published",
            kind=_("news item"),
            title=item.title,
            url=item.get_absolute_url(),
            happened_at=item.published_at,
            detail=str(item.party or _("the platform")),
            authority_id=item.authority_id,
            teryt=_teryt(item.party),
            sphere_ids=tuple(sphere.pk for sphere in item.spheres.all()),
            exclude=frozenset({item.created_by_id}),
        )


def events(now: datetime) -> Iterator[Notice]:
    """Events to come, published or cancelled in the last NEWS_FOR. A cancellation is news for those who followed
    before the event was published (as `happened_at`), who heard of it, not for later followers."""
    since = now - NEWS_FOR
    query = Event.objects.filter(ends_at__gte=now).filter(
        Q(state=EventState.PUBLISHED, published_at__gte=since)
        | Q(state=EventState.CANCELLED, state_changed_at__gte=since)
    )
    for event in query.select_related("authority__unit", "organisation__seat", "gmina"):
        cancelled = event.state == EventState.CANCELLED
        when = formats.date_format(timezone.localtime(event.starts_at), "j E Y" if event.all_day else "j E Y, H:i")
        yield Notice(
            item=f"community.event:{event.pk}",
            event="cancelled" if cancelled else "published",
            kind=_("event cancelled") if cancelled else _("event"),
            title=event.title,
            url=event.get_absolute_url(),
            happened_at=event.published_at,
            detail=f"{when}, {event.party}",
            authority_id=event.authority_id,
            teryt=_teryt(event.party, event.gmina),
            exclude=frozenset({event.created_by_id}),
        )


def ideas(now: datetime) -> Iterator[Notice]:
    since = now - NEWS_FOR
    for idea in Idea.objects.filter(created_at__gte=since).select_related("authority__unit", "territory"):
        yield Notice(
            item=f"community.idea:{idea.pk}",
            event="submitted",
            kind=_("idea or need"),
            title=idea.title,
            url=idea.get_absolute_url(),
            happened_at=idea.created_at,
            detail=str(idea.authority or _("the platform")),
            authority_id=idea.authority_id,
            teryt=_teryt(idea.authority, idea.territory),
            sphere_ids=(idea.sphere_id,) if idea.sphere_id else (),
            exclude=frozenset({idea.author_id}),
        )
    answers = list(IdeaAnswer.objects.filter(created_at__gte=since).select_related("idea"))
    supports: dict[int, list[tuple[int, datetime]]] = defaultdict(list)  # idea id → (supporter, since)
    for idea_id, user_id, since in IdeaSupport.objects.filter(idea__in={a.idea_id for a in answers}).values_list(
        "idea_id", "user_id", "created_at"
    ):
        supports[idea_id].append((user_id, since))
    for answer in answers:
        # e-mailed at once by the service: the author and who supported it by then; and who wrote the answer
        told = {user for user, since in supports[answer.idea_id] if since <= answer.created_at}
        yield Notice(
            item=f"community.idea:{answer.idea_id}",
            event=f"answer:{answer.pk}",
            kind=_("answer to an idea you follow"),
            title=answer.idea.title,
            url=answer.idea.get_absolute_url(),
            happened_at=answer.created_at,
            detail=answer.get_state_display(),
            target=("community.idea", answer.idea_id),
            exclude=frozenset(told | {answer.idea.author_id, answer.author_id}),
        )


def due(now: datetime) -> Iterator[Notice]:
    yield from news(now)
    yield from events(now)
    yield from ideas(now)
