"""The competitions' dates on the events calendar (`core.calendar`): the deadline for offers of every announced
competition. One query."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ngo_platform.competitions.selectors import public_competitions
from ngo_platform.core.calendar import CalendarEntry


def entries(start, end) -> list[CalendarEntry]:
    deadlines = public_competitions({}).filter(offers_deadline__gte=start, offers_deadline__lt=end)
    return [
        CalendarEntry(
            kind=_("Deadline for offers"),
            title=competition.title,
            starts_at=competition.offers_deadline,
            ends_at=competition.offers_deadline,
            url=competition.get_absolute_url(),
            uid=f"termin-ofert-{competition.pk}",
        )
        for competition in deadlines
    ]
