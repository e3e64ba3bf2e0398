"""iCalendar of competitions' offer deadlines: one event per competition, the last hour before the
deadline; `core.ical` builds the format with the `icalendar` library."""

from __future__ import annotations

from datetime import timedelta

from ngo_platform.core import ical

PRODID = "-//ngo-platform//konkursy//PL"


def calendar(competitions, *, base_url: str) -> str:
    events = [
        ical.event(
            uid=f"konkurs-{competition.pk}@ngo-platform",
            start=competition.offers_deadline - timedelta(hours=1),
            end=competition.offers_deadline,
            summary="Termin składania ofert: " + competition.title,
            description=f"{competition.authority.name} – {competition.task_kind}",
            url=base_url + competition.get_absolute_url(),
            sequence=competition.version,
        )
        for competition in competitions
    ]
    return ical.calendar(prodid=PRODID, name="Konkursy ofert – terminy składania ofert", events=events)
