"""What the partnerships tell followers (a source of `notifications.engine`): announcements published by or in
what a person follows (an authority, a territory, a sphere); and, first, the clock's step: announcements whose
deadline has passed are archived (`archive_expired`, the engine's `prepare`, run by every `notify`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ngo_platform.core.workflow import perform
from ngo_platform.notifications.engine import NEWS_FOR, Notice
from ngo_platform.partnerships.forms import FilterForm
from ngo_platform.partnerships.models import Announcement, AnnouncementState, SavedSearch
from ngo_platform.partnerships.selectors import matches
from ngo_platform.partnerships.workflows import ANNOUNCEMENT


def archive_expired(now: datetime | None = None) -> int:
    """Archive every published announcement whose deadline was before today (the system's step, each once:
    `perform` re-reads the row under its lock); how many."""
    today = timezone.localdate(now)
    expired = Announcement.objects.filter(state=AnnouncementState.PUBLISHED, deadline__lt=today)
    count = 0
    for announcement in expired.order_by("pk"):
        try:
            perform(ANNOUNCEMENT, announcement, "archive", actor=None, now=now)
        except ANNOUNCEMENT.error:  # archived meanwhile by its author or a parallel run
            continue
        count += 1
    return count


def _places(announcement) -> str:
    """The territory a follower of a place hears of it through: its one unit, else its party's."""
    units = list(announcement.territory.all())
    if len(units) == 1:
        return units[0].teryt
    party_unit = announcement.authority.unit if announcement.authority_id else announcement.organisation.seat
    return party_unit.teryt if party_unit is not None else ""


def due(now: datetime) -> Iterator[Notice]:
    """Each announcement published in the last NEWS_FOR and still current, for the followers of its authority,
    territory and spheres, and for each saved search it matches (the same event: one e-mail to a person)."""
    published = Announcement.objects.filter(
        state=AnnouncementState.PUBLISHED, published_at__gte=now - NEWS_FOR, deadline__gte=timezone.localdate(now)
    )
    query = published.select_related("authority__unit", "organisation__seat", "search_entry").prefetch_related(
        "spheres", "territory"
    )
    announcements = list(query)
    for announcement in announcements:
        yield _notice(announcement)
    if not announcements:
        return
    for saved in SavedSearch.objects.order_by("pk"):
        filters = FilterForm(QueryDict(saved.query)).filters()
        for announcement in announcements:
            entry = getattr(announcement, "search_entry", None)
            terms = set(f"{entry.name_terms} {entry.body_terms}".split()) if entry else set()
            if announcement.created_by_id != saved.user_id and matches(filters, announcement, terms=terms):
                yield _notice(announcement, target=("partnerships.savedsearch", saved.pk))


def _notice(announcement, target=None) -> Notice:
    """The announcement's publication for the followers of its authority, territory and spheres, or (`target`) for
    those of one saved search it matches."""
    if target is not None:
        whose = {"target": target}
    else:
        whose = {
            "authority_id": announcement.authority_id,
            "teryt": _places(announcement),
            "sphere_ids": tuple(sphere.pk for sphere in announcement.spheres.all()),
        }
    return Notice(
        item=f"partnerships.announcement:{announcement.pk}",
        event="published",
        kind=announcement.get_kind_display(),
        title=announcement.title,
        url=announcement.get_absolute_url(),
        happened_at=announcement.published_at,
        detail=_("%(party)s, until %(deadline)s")
        % {"party": announcement.party, "deadline": formats.date_format(announcement.deadline, "j E Y")},
        exclude=frozenset({announcement.created_by_id} if announcement.created_by_id else ()),
        **whose,
    )
