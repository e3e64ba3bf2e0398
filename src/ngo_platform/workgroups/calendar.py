"""The groups' meetings on the events calendar (`core.calendar`): meetings of groups whose work is public, two
hours each. One query."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _

from ngo_platform.core.calendar import CalendarEntry
from ngo_platform.workgroups.models import GroupMeeting


def entries(start, end) -> list[CalendarEntry]:
    meetings = GroupMeeting.objects.filter(
        group__public_work=True, starts_at__gte=start, starts_at__lt=end
    ).select_related("group")
    return [
        CalendarEntry(
            kind=_("Working group meeting"),
            title=meeting.group.name,
            starts_at=meeting.starts_at,
            ends_at=meeting.starts_at + timedelta(hours=2),
            url=meeting.group.get_absolute_url(),
            uid=f"zespol-spotkanie-{meeting.pk}",
            place=meeting.place or meeting.online_url,
        )
        for meeting in meetings
    ]
