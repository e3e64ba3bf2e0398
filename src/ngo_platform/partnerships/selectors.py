"""Reads of the partnership announcements: the public list with its search and filters, one announcement, the
choices the filters offer, the parties a person writes for, and the author's drafts."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from ngo_platform.accounts import memberships
from ngo_platform.community.selectors import writing_parties
from ngo_platform.core.lemmatiser import query_groups
from ngo_platform.core.page_cache import DataVersion
from ngo_platform.core.search import MIN_PREFIX_LENGTH, RankedMatches
from ngo_platform.organisations.models import Organisation
from ngo_platform.organisations.selectors import current_spheres
from ngo_platform.partnerships.models import (
    AbuseReport,
    Announcement,
    AnnouncementState,
    Conversation,
    Message,
    Partnership,
    PartnershipState,
    SavedSearch,
)
from ngo_platform.territory.models import Sphere

# Bumped after every committed write of the announcements: their cached list is never stale.
ANNOUNCEMENTS_VERSION = DataVersion("partnerships.announcements")
ENTRY_TABLE = "partnerships_searchentry"
ARCHIVE = "archiwum"


@dataclass(frozen=True)
class AnnouncementFilters:
    q: str = ""
    kind: str = ""
    role: str = ""
    sphere: str = ""  # a sphere's number
    powiat: str = ""  # a powiat's TERYT code: announcements for it, a gmina in it, or the whole voivodeship
    abroad: bool = False
    competition: int | None = None
    archived: bool = False

    @property
    def active(self) -> bool:
        return (
            bool(self.q or self.kind or self.role or self.sphere or self.powiat or self.abroad or self.competition)
            or self.archived
        )


def _current(today=None) -> Q:
    """Published with the deadline still to come (the clock archives them the day after, `notices`)."""
    today = today or timezone.localdate()
    return Q(state=AnnouncementState.PUBLISHED, deadline__gte=today)


def public_announcements(filters: AnnouncementFilters | None = None) -> QuerySet[Announcement] | RankedMatches:
    """The announcements matching the filters: current ones (or, `archived`, the archive); with a query, best
    match first (`core.search.RankedMatches`), else the newest first."""
    filters = filters or AnnouncementFilters()
    announcements = Announcement.objects.select_related("organisation", "authority", "competition")
    if filters.archived:
        announcements = announcements.filter(is_archived())
    else:
        announcements = announcements.filter(_current())
    if filters.kind:
        announcements = announcements.filter(kind=filters.kind)
    if filters.role:
        announcements = announcements.filter(role=filters.role)
    if filters.sphere:
        through = Announcement.spheres.through.objects.filter(
            announcement=OuterRef("pk"), sphere__in=current_spheres().filter(number=filters.sphere)
        )
        announcements = announcements.filter(Exists(through))
    if filters.powiat:
        voivodeship = filters.powiat[:2]
        places = Announcement.territory.through.objects.filter(announcement=OuterRef("pk")).filter(
            Q(territorialunit__teryt__startswith=filters.powiat) | Q(territorialunit__teryt=voivodeship)
        )
        announcements = announcements.filter(Exists(places))
    if filters.abroad:
        announcements = announcements.filter(abroad=True)
    if filters.competition:
        announcements = announcements.filter(competition_id=filters.competition)
    if filters.q.strip():
        return RankedMatches(announcements, filters.q, entry_table=ENTRY_TABLE)
    return announcements.order_by("-published_at", "-id")


def is_archived() -> Q:
    """Archived, or published with the deadline passed (until the clock archives it)."""
    today = timezone.localdate()
    return Q(state=AnnouncementState.ARCHIVED) | Q(state=AnnouncementState.PUBLISHED, deadline__lt=today)


def announcement_page(pk: int) -> Announcement:
    return (
        Announcement.objects.select_related("organisation__seat", "authority", "competition")
        .prefetch_related("spheres", "territory")
        .get(pk=pk)
    )


def spheres_in_use() -> QuerySet[Sphere]:
    """The spheres of current announcements (a probe per sphere: the cost does not grow with the list)."""
    used = Announcement.spheres.through.objects.filter(sphere=OuterRef("pk")).filter(
        announcement__state=AnnouncementState.PUBLISHED
    )
    return current_spheres().filter(Exists(used))


def announcing_parties(user) -> list:
    """The organisations and authorities the person writes for (`community.selectors.writing_parties` without
    the platform, which does not seek partners)."""
    return [party for party in writing_parties(user) if party.organisation or party.authority]


def drafts_of(parties) -> QuerySet[Announcement]:
    organisations = [p.organisation.pk for p in parties if p.organisation]
    authorities = [p.authority.pk for p in parties if p.authority]
    return Announcement.objects.filter(
        Q(organisation_id__in=organisations) | Q(authority_id__in=authorities), state=AnnouncementState.DRAFT
    ).order_by("-updated_at")


# Conversations --------------------------------------------------------------------------------------------------


def contacting_organisations(user, announcement) -> list[Organisation]:
    """The organisations the person may write on behalf of to the announcement's author (not the announcing one)."""
    known = memberships.roles(user) or memberships.read(user)
    ids = set(known.organisations) - {announcement.organisation_id}
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def conversation_page(pk: int) -> Conversation:
    return Conversation.objects.select_related(
        "announcement__organisation", "announcement__authority", "organisation"
    ).get(pk=pk)


def messages_of(conversation: Conversation) -> list[Message]:
    return list(conversation.messages.select_related("author").order_by("created_at", "id"))


def standing_partnership(conversation: Conversation) -> Partnership | None:
    """The partnership proposed or confirmed in the conversation, if any (at most one: a constraint)."""
    standing = (PartnershipState.PROPOSED, PartnershipState.CONFIRMED)
    return (
        Partnership.objects.filter(conversation=conversation, state__in=standing)
        .select_related("offer", "proposed_by", "confirmed_by")
        .first()
    )


def _sides(user) -> Q:
    known = memberships.roles(user) or memberships.read(user)
    organisations, authorities = list(known.organisations), list(known.authorities)
    return (
        Q(organisation_id__in=organisations)
        | Q(announcement__organisation_id__in=organisations)
        | Q(announcement__authority_id__in=authorities)
    )


def conversations_of(user) -> QuerySet[Conversation]:
    """The conversations of the sides the person is on, the latest message first."""
    return (
        Conversation.objects.filter(_sides(user))
        .select_related("announcement__organisation", "announcement__authority", "organisation")
        .order_by(F("last_message_at").desc(nulls_last=True), "-id")
    )


def conversations_of_announcement(user, announcement) -> QuerySet[Conversation]:
    """The announcement's conversations the person sees: all of them for its party, else their organisations'."""
    return conversations_of(user).filter(announcement=announcement)


def abuse_reports() -> QuerySet[AbuseReport]:
    return AbuseReport.objects.select_related(
        "reporter", "message__author", "message__conversation__announcement", "message__conversation__organisation"
    )


# Saved searches ---------------------------------------------------------------------------------------------------


def query_of(filters: AnnouncementFilters) -> str:
    """The list's query string of the filters, in a fixed order: what a saved search keeps and links to."""
    params = {
        "q": filters.q.strip(),
        "rodzaj": filters.kind,
        "rola": filters.role,
        "sfera": filters.sphere,
        "powiat": filters.powiat,
        "zagranica": "on" if filters.abroad else "",
        "konkurs": str(filters.competition or ""),
    }
    return urlencode({name: value for name, value in params.items() if value})


def matches(filters: AnnouncementFilters, announcement: Announcement, *, terms: set[str]) -> bool:
    """Whether the current announcement (its spheres and territory prefetched) is one the list shows for the
    filters; `terms` are its search entry's (every word of the query must be among them, the last also as a
    prefix, as `core.search` matches)."""
    if filters.kind and announcement.kind != filters.kind:
        return False
    if filters.role and announcement.role != filters.role:
        return False
    if filters.abroad and not announcement.abroad:
        return False
    if filters.competition and announcement.competition_id != filters.competition:
        return False
    if filters.sphere and filters.sphere not in {sphere.number for sphere in announcement.spheres.all()}:
        return False
    if filters.powiat:
        teryts = [unit.teryt for unit in announcement.territory.all()]
        if not any(code.startswith(filters.powiat) or code == filters.powiat[:2] for code in teryts):
            return False
    groups = query_groups(filters.q)
    for i, group in enumerate(groups):
        last = i == len(groups) - 1
        if not any(term in terms or (last and len(term) >= MIN_PREFIX_LENGTH and _prefixes(term, terms))
                   for term in group):  # fmt: skip
            return False
    return True


def _prefixes(term: str, terms: set[str]) -> bool:
    return any(candidate.startswith(term) for candidate in terms)


def saved_searches_of(user) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user)
