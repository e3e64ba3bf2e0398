"""iCalendar of consultations (from start to end) and their meetings (two hours each); `core.ical`
builds the format with the `icalendar` library."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ngo_platform.core import ical

PRODID = "-//ngo-platform//konsultacje//PL"


def calendar(consultations, meetings, *, base_url: str) -> str:
    host = base_url.split("://", 1)[-1].split("/", 1)[0] or "localhost"
    by_pk = {c.pk: c for c in consultations}
    events = [
        ical.event(
            uid=f"konsultacja-{consultation.pk}@{host}",
            start=consultation.starts_at,
            end=consultation.ends_at,
            summary=f"Konsultacje: {consultation.title}",
            description=f"{consultation.authority.name}. {consultation.subject}\n"
            f"Uwagi do: {timezone.localtime(consultation.ends_at):%Y-%m-%d %H:%M}",
            url=base_url + consultation.get_absolute_url(),
        )
        for consultation in consultations
    ]
    for meeting in meetings:
        consultation = by_pk[meeting.consultation_id]
        events.append(
            ical.event(
                uid=f"spotkanie-{meeting.pk}@{host}",
                start=meeting.starts_at,
                end=meeting.starts_at + timedelta(hours=2),
                summary=f"Spotkanie konsultacyjne: {consultation.title}",
                description=f"{meeting.place}. {meeting.description}".strip(),
                url=base_url + consultation.get_absolute_url(),
                location=meeting.place,
            )
        )
    return ical.calendar(prodid=PRODID, name="Konsultacje", events=events)
