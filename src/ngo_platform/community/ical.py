"""iCalendar of events (`core.ical` writes the format): one event, or the events of a filter within the bounded
window (`selectors.CALENDAR_PAST` back, `CALENDAR_AHEAD` ahead) with the consultations' meetings and the
competitions' deadlines; every entry links back to its page. An all-day event is written with dates (VALUE=DATE).

Writing a VEVENT is most of a feed's time (docs/benchmarks.md), so each event's text is kept in the cache for
`TEXT_SECONDS` with its last change and its state: a feed rebuilt after one event changed writes only that one
again."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from ngo_platform.core import ical

# How long an event's written VEVENT is kept; its organiser's renamed name shows after this at the latest.
TEXT_SECONDS = 24 * 3600

PRODID = "-//ngo-platform//wydarzenia//PL"


def _location(event) -> str | None:
    parts = [part for part in (event.place, event.gmina.name if event.gmina_id else "", event.online_url) if part]
    return ", ".join(parts) or None


def _vevent(event, base_url: str, host: str):
    item = ical.event(
        uid=f"wydarzenie-{event.pk}@{host}",
        start=event.starts_at,
        end=event.ends_at,
        summary=("ODWOŁANE: " if event.state == "cancelled" else "") + event.title,
        description=f"{event.party.name}. {base_url}{event.get_absolute_url()}",
        url=base_url + event.get_absolute_url(),
        location=_location(event),
    )
    if event.all_day:
        for key, moment in (("dtstart", event.starts_at), ("dtend", event.ends_at)):
            item.pop(key)
            item.add(key, timezone.localtime(moment).date())
    if event.state == "cancelled":
        item.add("status", "CANCELLED")
    return item


def _texts(events, base_url: str, host: str) -> list[str]:
    """Each event's VEVENT text: the kept one while the event is unchanged, the others written now and kept (one
    cache entry for all, read and written once; it starts afresh when it holds far more than the feeds show)."""
    key = f"community:vevents:{base_url}"
    kept = cache.get(key) or {}
    texts, fresh = [], 0
    for event in events:
        stamp = (event.updated_at, event.state)
        entry = kept.get(event.pk)
        if entry is None or entry[0] != stamp:
            entry = kept[event.pk] = (stamp, ical.text(_vevent(event, base_url, host)))
            fresh += 1
        texts.append(entry[1])
    if fresh:
        if len(kept) > 4 * len(events) + 1000:
            kept = {event.pk: kept[event.pk] for event in events}
        cache.set(key, kept, TEXT_SECONDS)
    return texts


def calendar(events, entries, *, base_url: str, name: str) -> str:
    host = base_url.split("://", 1)[-1].split("/", 1)[0] or "localhost"
    texts = _texts(events, base_url, host)
    items = []
    for entry in entries:
        items.append(
            ical.event(
                uid=f"{entry.uid}@{host}",
                start=entry.starts_at,
                end=entry.ends_at,
                summary=f"{entry.kind}: {entry.title}",
                description=f"{base_url}{entry.url}",
                url=base_url + entry.url,
                location=entry.place or None,
            )
        )
    return ical.calendar(prodid=PRODID, name=name, events=items, texts=texts)
