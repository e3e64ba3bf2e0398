"""iCalendar (RFC 5545) of consultations and their meetings, written by hand: CRLF line ends,
lines folded at 75 octets, text escaped."""

from __future__ import annotations

from datetime import timedelta
from datetime import timezone as dt_timezone

from django.utils import timezone

PRODID = "-//ngo-platform//konsultacje//PL"


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never splitting a UTF-8 character (§3.1)."""
    out, current, size = [], "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " " + char, 1 + width, 75
        else:
            current += char
            size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(moment) -> str:
    return moment.astimezone(dt_timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _event(uid: str, start, end, summary: str, description: str, url: str, stamp) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        f"URL:{url}",
        "END:VEVENT",
    ]


def calendar(consultations, meetings, *, base_url: str) -> str:
    host = base_url.split("://", 1)[-1].split("/", 1)[0] or "localhost"
    stamp = timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             "X-WR-CALNAME:Konsultacje"]
    by_pk = {c.pk: c for c in consultations}
    for consultation in consultations:
        url = base_url + consultation.get_absolute_url()
        lines += _event(
            f"konsultacja-{consultation.pk}@{host}", consultation.starts_at, consultation.ends_at,
            f"Konsultacje: {consultation.title}",
            f"{consultation.authority.name}. {consultation.subject}\nUwagi do: {timezone.localtime(consultation.ends_at):%Y-%m-%d %H:%M}",
            url, stamp,
        )
    for meeting in meetings:
        consultation = by_pk[meeting.consultation_id]
        lines += _event(
            f"spotkanie-{meeting.pk}@{host}", meeting.starts_at, meeting.starts_at + timedelta(hours=2),
            f"Spotkanie konsultacyjne: {consultation.title}",
            f"{meeting.place}. {meeting.description}".strip(), base_url + consultation.get_absolute_url(), stamp,
        )
        lines.insert(len(lines) - 1, f"LOCATION:{escape(meeting.place)}")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
