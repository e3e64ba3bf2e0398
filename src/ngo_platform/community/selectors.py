"""Reads of the community: the news (the public list with its filters, the latest for the home page and the
parties' pages, the drafts a person may finish, on whose behalf a person may write) and the events (the list, a
month, the calendar's window with the consultations' meetings and the competitions' deadlines, the registrations)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.accounts import memberships
from ngo_platform.community.models import (
    AuthorKind,
    Event,
    EventRegistration,
    EventState,
    Idea,
    IdeaSupport,
    News,
    NewsState,
    RegistrationState,
)
from ngo_platform.core.page_cache import DataVersion
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import Authority

# Bumped after every committed change of news: the cached list, feeds and home page are never stale.
NEWS_VERSION = DataVersion("community.news")
EVENTS_VERSION = DataVersion("community.events")
IDEAS_VERSION = DataVersion("community.ideas")
LATEST = 3
# The list and the feeds do not need the body (up to 10,000 characters each).
LIST_DEFER = ("body", "image_alt", "created_by", "updated_at", "state_changed_at", "archived_at")


@dataclass(frozen=True)
class NewsFilters:
    kind: str = ""  # AuthorKind
    authority: str = ""  # the authority's slug: its own news
    powiat: str = ""  # TERYT of a powiat: news of authorities and organisations seated in it
    sphere: str = ""  # a sphere's number
    archived: bool = False

    @property
    def active(self) -> bool:
        return bool(self.kind or self.authority or self.powiat or self.sphere or self.archived)


def public_news(filters: NewsFilters | None = None) -> QuerySet[News]:
    """Published news (or, with `archived`, the archived), newest first."""
    filters = filters or NewsFilters()
    state = NewsState.ARCHIVED if filters.archived else NewsState.PUBLISHED
    queryset = News.objects.filter(state=state).select_related("organisation", "authority").defer(*LIST_DEFER)
    if filters.kind == AuthorKind.ORGANISATION:
        queryset = queryset.filter(organisation__isnull=False)
    elif filters.kind == AuthorKind.AUTHORITY:
        queryset = queryset.filter(authority__isnull=False)
    elif filters.kind == AuthorKind.PLATFORM:
        queryset = queryset.filter(organisation__isnull=True, authority__isnull=True)
    if filters.authority:
        queryset = queryset.filter(authority__slug=filters.authority)
    if filters.powiat:
        queryset = queryset.filter(
            Q(authority__unit__teryt__startswith=filters.powiat)
            | Q(organisation__seat__teryt__startswith=filters.powiat)
        )
    if filters.sphere:
        queryset = queryset.filter(spheres__number=filters.sphere).distinct()
    return queryset.order_by("-published_at", "-id")


def latest_news(*, organisation: Organisation | None = None, authority: Authority | None = None) -> list[News]:
    """The latest published news (of the organisation, or of the authority, when given): one query."""
    queryset = public_news()
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    if authority is not None:
        queryset = queryset.filter(authority=authority)
    return list(queryset[:LATEST])


def authorities_with_news() -> QuerySet[Authority]:
    return Authority.objects.filter(news__state=NewsState.PUBLISHED).distinct().order_by("name")


def news_detail(pk: int) -> News:
    return (
        News.objects.select_related("organisation", "authority").prefetch_related("spheres", "attachments").get(pk=pk)
    )


@dataclass(frozen=True)
class Party:
    """On whose behalf a person may write: `key` is what the form posts ("organisation:12", "authority:3",
    "platform")."""

    key: str
    label: str
    organisation: Organisation | None = None
    authority: Authority | None = None


def writing_parties(user) -> list[Party]:
    """The organisations the person represents, the authorities they are an officer of and, for a platform
    administrator, the platform: two queries (the memberships are read once per request)."""
    known = memberships.roles(user) or memberships.read(user)
    parties = [
        Party(f"organisation:{o.pk}", o.name, organisation=o)
        for o in Organisation.objects.filter(pk__in=known.organisations).order_by("name")
    ]
    parties += [
        Party(f"authority:{a.pk}", a.name, authority=a)
        for a in Authority.objects.filter(pk__in=known.authorities).order_by("name")
    ]
    if user.is_active and user.is_staff:
        parties.append(Party("platform", _("The platform (its administrators)")))
    return parties


def news_drafts(*, organisations, authorities, platform: bool) -> QuerySet[News]:
    """Drafts written on behalf of the given parties, the latest changed first (the desk)."""
    parties = Q(organisation_id__in=organisations) | Q(authority_id__in=authorities)
    if platform:
        parties |= Q(organisation__isnull=True, authority__isnull=True)
    return (
        News.objects.filter(parties, state=NewsState.DRAFT)
        .select_related("organisation", "authority")
        .defer(*LIST_DEFER[:-3])
        .order_by("-updated_at", "-id")
    )


# --- Events ---

# The calendar feed's window (issue 14: a feed of thousands of events must stay bounded).
CALENDAR_PAST = datetime.timedelta(days=30)
CALENDAR_AHEAD = datetime.timedelta(days=365)


@dataclass(frozen=True)
class EventFilters:
    kind: str = ""  # AuthorKind.ORGANISATION or AUTHORITY: who organises
    authority: str = ""  # the organising authority's slug
    powiat: str = ""  # TERYT of a powiat: events held in its gminas
    online: bool = False  # only those one can join online
    past: bool = False  # the past ones instead of the coming ones
    day: datetime.date | None = None  # those lasting on this day (past or coming), instead of the coming ones

    @property
    def active(self) -> bool:
        return bool(self.kind or self.authority or self.powiat or self.online or self.past or self.day)


def public_events(filters: EventFilters | None = None, *, now=None) -> QuerySet[Event]:
    """Published and cancelled events: those not yet over, soonest first (or, with `past`, the past ones, latest
    first)."""
    filters, now = filters or EventFilters(), now or timezone.now()
    queryset = (
        Event.objects.filter(state__in=(EventState.PUBLISHED, EventState.CANCELLED))
        .select_related("organisation", "authority", "gmina")
        .defer("description", "accessibility", "created_by", "state_changed_at")
    )
    if filters.kind == AuthorKind.ORGANISATION:
        queryset = queryset.filter(organisation__isnull=False)
    elif filters.kind == AuthorKind.AUTHORITY:
        queryset = queryset.filter(authority__isnull=False)
    if filters.authority:
        queryset = queryset.filter(authority__slug=filters.authority)
    if filters.powiat:
        queryset = queryset.filter(gmina__teryt__startswith=filters.powiat)
    if filters.online:
        queryset = queryset.exclude(online_url="")
    if filters.day:
        start = timezone.make_aware(datetime.datetime.combine(filters.day, datetime.time()))
        end = timezone.make_aware(datetime.datetime.combine(filters.day + datetime.timedelta(days=1), datetime.time()))
        return queryset.filter(starts_at__lt=end, ends_at__gt=start).order_by("starts_at", "id")
    if filters.past:
        return queryset.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    return queryset.filter(ends_at__gt=now).order_by("starts_at", "id")


def events_between(start, end, filters: EventFilters | None = None) -> QuerySet[Event]:
    """The public events that overlap [start, end), by their start (a month's page, the calendar feed)."""
    queryset = public_events(filters, now=start - datetime.timedelta(days=36_500))
    return queryset.filter(starts_at__lt=end, ends_at__gt=start).order_by("starts_at", "id")


def month_events(start, end, filters: EventFilters | None = None) -> QuerySet[Event]:
    """`events_between` with only what a day of the month page shows (a busy month holds hundreds: no organiser,
    no place, two dates a row)."""
    fields = ("pk", "title", "starts_at", "ends_at", "all_day", "state")
    return events_between(start, end, filters).select_related(None).only(*fields)


def authorities_with_events() -> QuerySet[Authority]:
    return Authority.objects.filter(events__state=EventState.PUBLISHED).distinct().order_by("name")


def other_modules_between(start, end):
    """The dates of the other modules (consultation meetings, offers' deadlines, …) in [start, end), from their
    own providers (`core.calendar`)."""
    from ngo_platform.core.calendar import entries_between

    return entries_between(start, end)


def event_page(pk: int) -> Event:
    """The event with its organiser and the count of its registrations (one query)."""
    return (
        Event.objects.select_related("organisation", "authority", "gmina")
        .annotate(
            registered=Count("registrations", filter=Q(registrations__state=RegistrationState.REGISTERED)),
            waiting=Count("registrations", filter=Q(registrations__state=RegistrationState.WAITING)),
        )
        .get(pk=pk)
    )


def registration_of(user, event) -> EventRegistration | None:
    if not user.is_authenticated:
        return None
    return event.registrations.exclude(state=RegistrationState.CANCELLED).filter(user=user).first()


def registrations(event) -> QuerySet[EventRegistration]:
    """Who registered and who waits, in the order they came (the organiser's list)."""
    return (
        event.registrations.exclude(state=RegistrationState.CANCELLED)
        .select_related("user")
        .order_by("created_at", "id")
    )


# --- Ideas and needs ---

IDEA_ORDERS = {
    "poparcie": ("-supporters", "-id"),
    "nowe": ("-created_at", "-id"),
    "stan": ("state", "-supporters", "-id"),
}


@dataclass(frozen=True)
class IdeaFilters:
    authority: str = ""  # the addressed authority's slug
    sphere: str = ""  # a sphere's number
    state: str = ""  # IdeaState
    kind: str = ""  # IdeaKind
    order: str = "poparcie"  # a key of IDEA_ORDERS

    @property
    def active(self) -> bool:
        return bool(self.authority or self.sphere or self.state or self.kind)


def public_ideas(filters: IdeaFilters | None = None) -> QuerySet[Idea]:
    """Every idea and need (they are public from the moment they are posted), sorted as asked."""
    filters = filters or IdeaFilters()
    queryset = Idea.objects.select_related("authority", "sphere", "organisation", "author").defer(
        "description", "author__password"
    )
    if filters.authority:
        queryset = queryset.filter(authority__slug=filters.authority)
    if filters.sphere:
        queryset = queryset.filter(sphere__number=filters.sphere)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return queryset.order_by(*IDEA_ORDERS.get(filters.order, IDEA_ORDERS["poparcie"]))


def ideas_to_answer(*, authorities, platform: bool) -> QuerySet[Idea]:
    """Ideas addressed to the given authorities (and, with `platform`, to the platform) that wait for an answer or
    are under consideration, the most supported first (the desk)."""
    addressed = Q(authority_id__in=authorities)
    if platform:
        addressed |= Q(authority__isnull=True)
    return (
        Idea.objects.filter(addressed, state__in=("submitted", "considering"))
        .select_related("authority")
        .only("pk", "title", "authority__name", "authority__slug")
        .order_by("-supporters", "-id")
    )


def authorities_with_ideas() -> QuerySet[Authority]:
    return Authority.objects.filter(ideas__isnull=False).distinct().order_by("name")


def idea_page(pk: int) -> Idea:
    return (
        Idea.objects.select_related("authority", "sphere", "territory", "organisation", "author")
        .prefetch_related("answers__author", "answers__authority")
        .get(pk=pk)
    )


def supports_by(user, idea) -> set:
    """As whom the idea already has the person's support: None (their own) and the ids of the organisations they
    represent that support it (whoever of their representatives gave it). One query."""
    if not user.is_authenticated:
        return set()
    known = memberships.roles(user) or memberships.read(user)
    given = IdeaSupport.objects.filter(idea=idea).filter(
        Q(user=user, organisation__isnull=True) | Q(organisation__in=list(known.organisations))
    )
    return set(given.values_list("organisation_id", flat=True))


def idea_followers(idea) -> list:
    """Whom an official answer is e-mailed to: the author and every person who supported it, each once."""
    from ngo_platform.accounts.models import User

    people = IdeaSupport.objects.filter(idea=idea).values("user")
    return list(User.objects.filter(Q(pk=idea.author_id) | Q(pk__in=people), is_active=True).order_by("pk"))
