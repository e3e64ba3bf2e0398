"""Every write of the partnership announcements: writing and changing one on behalf of its party; its steps are
taken by `core.workflow.perform(ANNOUNCEMENT, …)` (partnerships.workflows). Each write refreshes the
announcement's search entry and the version of the cached list."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ngo_platform.core.bounds import limit_of
from ngo_platform.core.permissions import check_permission
from ngo_platform.core.search import entry_values
from ngo_platform.core.services import audit_log
from ngo_platform.partnerships.models import Announcement, AnnouncementState, SavedSearch, SearchEntry
from ngo_platform.partnerships.selectors import ANNOUNCEMENTS_VERSION, query_of
from ngo_platform.partnerships.workflows import PartnershipError

FIELDS = (
    "kind",
    "role",
    "title",
    "description",
    "abroad",
    "programme",
    "competition",
    "deadline",
    "offered",
    "needed",
    "budget_from",
    "budget_to",
)


def announcement_create(*, actor, party, data: dict) -> Announcement:
    """A draft written on behalf of `party` (a `community.selectors.Party` of an organisation or an authority)."""
    announcement = Announcement(organisation=party.organisation, authority=party.authority, created_by=actor)
    check_permission(actor, "partnerships.change_announcement", announcement)
    with transaction.atomic():
        _apply(announcement, data)
        announcement.save()
        _relations(announcement, data)
        audit_log(
            actor=actor, action="partnerships.announcement_create", target=announcement, acting_for=announcement.party
        )
    return announcement


def announcement_update(*, actor, announcement: Announcement, data: dict) -> Announcement:
    check_permission(actor, "partnerships.change_announcement", announcement)
    with transaction.atomic():
        announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if announcement.state == AnnouncementState.ARCHIVED:
            raise PartnershipError(_("An archived announcement cannot be changed: publish it again first."))
        changed = _apply(announcement, data)
        announcement.save()
        _relations(announcement, data)
        audit_log(
            actor=actor,
            action="partnerships.announcement_update",
            target=announcement,
            acting_for=announcement.party,
            details={"fields": changed},
        )
        if announcement.is_public:
            ANNOUNCEMENTS_VERSION.bump_on_commit()
    return announcement


def _apply(announcement: Announcement, data: dict) -> list[str]:
    """Set the form's fields; the names of those that changed. The form has checked the budget's order."""
    budget_from, budget_to = data.get("budget_from"), data.get("budget_to")
    if budget_from is not None and budget_to is not None and budget_from > budget_to:
        raise PartnershipError(_("The budget's lower end is above its upper end."), field="budget_to")
    changed = [name for name in FIELDS if getattr(announcement, name) != data.get(name)]
    for name in FIELDS:
        setattr(announcement, name, data.get(name))
    announcement.programme = announcement.programme or ""
    announcement.offered, announcement.needed = announcement.offered or "", announcement.needed or ""
    return changed


def _relations(announcement: Announcement, data: dict) -> None:
    spheres, territory = list(data.get("spheres") or []), list(data.get("territory") or [])
    announcement.spheres.set(spheres)
    announcement.territory.set(territory)
    index_announcement(announcement, spheres=spheres, territory=territory)


def index_announcement(announcement: Announcement, *, spheres, territory) -> None:
    body = "\n".join(
        [
            announcement.description,
            announcement.offered,
            announcement.needed,
            announcement.programme,
            *(sphere.name for sphere in spheres),
            *(unit.name for unit in territory),
        ]
    )
    limit = SearchEntry._meta.get_field("name_folded").max_length
    SearchEntry.objects.update_or_create(
        announcement=announcement, defaults=entry_values(announcement.title, body, folded_limit=limit)
    )


def saved_search_create(*, actor, filters, description: str) -> SavedSearch:
    """Save the person's search and follow it (`notifications`): new announcements that match are e-mailed. A
    search without any filter would match every announcement: refused."""
    from ngo_platform.notifications import services as follows

    if not actor.is_authenticated:
        raise PermissionDenied
    query = query_of(filters)
    if not query:
        raise PartnershipError(_("Choose a filter or type words to search for first."))
    with transaction.atomic():
        saved, created = SavedSearch.objects.get_or_create(
            user=actor, query=query, defaults={"description": description[: limit_of(SavedSearch, "description")]}
        )
        follows.follow_add(actor=actor, target=saved)
        if created:
            audit_log(actor=actor, action="partnerships.saved_search_create", target=saved, details={"query": query})
    return saved


def saved_search_delete(*, actor, saved: SavedSearch) -> None:
    """Stop the alerts and forget the search."""
    from django.contrib.contenttypes.models import ContentType

    from ngo_platform.notifications.models import Follow

    if saved.user_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        kind = ContentType.objects.get_for_model(SavedSearch)
        Follow.objects.filter(user=actor, target_type=kind, target_id=saved.pk).delete()
        audit_log(actor=actor, action="partnerships.saved_search_delete", target=saved, details={"query": saved.query})
        saved.delete()
