"""Reads of the community's news: the public list with its filters, the latest for the home page and the parties'
pages, the drafts a person may finish, and on whose behalf a person may write."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ngo_platform.accounts import memberships
from ngo_platform.community.models import AuthorKind, News, NewsState
from ngo_platform.core.page_cache import DataVersion
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import Authority

# Bumped after every committed change of news: the cached list, feeds and home page are never stale.
NEWS_VERSION = DataVersion("community.news")
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
