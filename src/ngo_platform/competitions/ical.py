"""iCalendar (RFC 5545) of competitions' offer deadlines, written by hand: CRLF line ends, lines folded
at 75 octets, text escaped. One event per competition: the last hour before the deadline."""

from __future__ import annotations

from datetime import timedelta
from datetime import timezone as dt_timezone

from django.utils import timezone

PRODID = "-//ngo-platform//konkursy//PL"


def escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
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


def _utc(moment) -> str:
    return moment.astimezone(dt_timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def calendar(competitions, *, base_url: str) -> str:
    stamp = timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             "X-WR-CALNAME:Konkursy ofert – terminy składania ofert"]
    for competition in competitions:
        url = base_url + competition.get_absolute_url()
        lines += [
            "BEGIN:VEVENT",
            f"UID:konkurs-{competition.pk}@ngo-platform",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART:{_utc(competition.offers_deadline - timedelta(hours=1))}",
            f"DTEND:{_utc(competition.offers_deadline)}",
            f"SEQUENCE:{competition.version}",
            f"SUMMARY:{escape('Termin składania ofert: ' + competition.title)}",
            f"DESCRIPTION:{escape(competition.authority.name + ' – ' + competition.task_kind)}",
            f"URL:{url}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
