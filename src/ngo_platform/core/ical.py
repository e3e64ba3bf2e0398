"""iCalendar (RFC 5545) written by hand for the platform's feeds: CRLF line ends, lines folded at 75
octets, text escaped. Each module builds its events with `event` and joins them with `calendar`."""

from __future__ import annotations

from datetime import UTC

from django.utils import timezone


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never splitting a UTF-8 character (§3.1)."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " " + char, 1 + width
        else:
            current += char
            size += width
    out.append(current)
    return "\r\n".join(out)


def utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event(*, uid: str, start, end, summary: str, description: str, url: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The content lines of one VEVENT; `extra` adds already formatted properties (LOCATION, SEQUENCE…)."""
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{utc(timezone.now())}",
        f"DTSTART:{utc(start)}",
        f"DTEND:{utc(end)}",
        *extra,
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        f"URL:{url}",
        "END:VEVENT",
    ]


def calendar(*, prodid: str, name: str, events: list[list[str]]) -> str:
    """A VCALENDAR of `events`, every line folded and ended with CRLF."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{prodid}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for lines_of_event in events:
        lines += lines_of_event
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
