"""iCalendar (RFC 5545) feeds of the platform, written by the `icalendar` library (escaping, CRLF line ends
and folding at 75 octets are its job). Each module builds its events with `event` and joins them with
`calendar`; times are written in UTC (`…Z`), so no VTIMEZONE is needed."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
from django.utils import timezone


def event(
    *,
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    description: str,
    url: str,
    location: str | None = None,
    sequence: int | None = None,
) -> icalendar.Event:
    """One VEVENT from start to end (aware datetimes), with an optional LOCATION and SEQUENCE."""
    item = icalendar.Event()
    item.add("uid", uid)
    item.add("dtstamp", timezone.now().astimezone(UTC))
    item.add("dtstart", start.astimezone(UTC))
    item.add("dtend", end.astimezone(UTC))
    if sequence is not None:
        item.add("sequence", sequence)
    if location is not None:
        item.add("location", location)
    item.add("summary", summary)
    item.add("description", description)
    item.add("url", url)
    return item


def text(item: icalendar.Event) -> str:
    """One VEVENT as the library writes it (folded, CRLF), to keep and join later (`calendar(texts=…)`)."""
    return item.to_ical().decode("utf-8")


def calendar(*, prodid: str, name: str, events: list[icalendar.Event], texts: list[str] = ()) -> str:
    """A published VCALENDAR of `events` and of VEVENTs already written (`texts`), as the text of an .ics file."""
    cal = icalendar.Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for item in events:
        cal.add_component(item)
    written = cal.to_ical().decode("utf-8")
    if not texts:
        return written
    end = written.rindex("END:VCALENDAR")
    return written[:end] + "".join(texts) + written[end:]
