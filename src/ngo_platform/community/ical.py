"""iCalendar of events (`core.ical` writes the format): one event, or the events of a filter within the bounded
window (`selectors.CALENDAR_PAST` back, `CALENDAR_AHEAD` ahead) with the consultations' meetings and the
competitions' deadlines; every entry links back to its page. An all-day event is written with dates (VALUE=DATE)."""

from __future__ import annotations

from django.utils import timezone

from ngo_platform.core import ical

PRODID = "-//ngo-platform//wydarzenia//PL"


def _location(event) -> str | None:
    parts = [part for part in (event.place, event.gmina.name if event.gmina_id else "", event.online_url) if part]
    return ", ".join(parts) or None


def calendar(events, entries, *, base_url: str, name: str) -> str:
    host = base_url.split("://", 1)[-1].split("/", 1)[0] or "localhost"
    items = []
    for event in events:
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
        items.append(item)
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
    return ical.calendar(prodid=PRODID, name=name, events=items)
