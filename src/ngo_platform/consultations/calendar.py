"""The consultations' dates on the events calendar (`core.calendar`): the meetings of public consultations, two
hours each (as in the consultations' own iCal). One query."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _

from ngo_platform.consultations.models import Meeting
from ngo_platform.consultations.selectors import PUBLIC_STATES
from ngo_platform.core.calendar import CalendarEntry


def entries(start, end) -> list[CalendarEntry]:
    meetings = Meeting.objects.filter(
        consultation__state__in=PUBLIC_STATES, starts_at__gte=start, starts_at__lt=end
    ).select_related("consultation")
    return [
        CalendarEntry(
            kind=_("Consultation meeting"),
            title=meeting.consultation.title,
            starts_at=meeting.starts_at,
            ends_at=meeting.starts_at + timedelta(hours=2),
            url=meeting.consultation.get_absolute_url(),
            uid=f"spotkanie-{meeting.pk}",
            place=meeting.place,
        )
        for meeting in meetings
    ]
