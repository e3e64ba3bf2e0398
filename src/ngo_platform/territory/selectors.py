"""Reads of territory and authorities, each with the prefetching its page needs."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from ngo_platform.territory.models import Authority, TerritorialUnit, UnitLevel, in_city_with_powiat_rights


@dataclass
class PowiatGroup:
    powiat: TerritorialUnit
    authority: Authority | None
    # (gmina unit, the authority that governs it); in a city with powiat rights the city governs its gmina.
    gminas: list[tuple[TerritorialUnit, Authority | None]] = field(default_factory=list)


@dataclass
class VoivodeshipDirectory:
    voivodeship: TerritorialUnit | None
    authority: Authority | None
    groups: list[PowiatGroup]

    @property
    def gmina_count(self) -> int:
        return sum(len(group.gminas) for group in self.groups)


def authority_queryset() -> QuerySet[Authority]:
    return Authority.objects.select_related("unit", "unit__parent")


def authorities_by_powiat(*, voivodeship_teryt: str | None = None) -> VoivodeshipDirectory:
    """Every authority of one voivodeship, grouped by powiat, in TERYT order: three queries."""
    code = voivodeship_teryt or settings.NGO_HOME_VOIVODESHIP
    units = list(TerritorialUnit.objects.filter(teryt__startswith=code).select_related("authority").order_by("teryt"))
    authority_of = {}
    for unit in units:
        try:
            authority_of[unit.pk] = unit.authority
        except Authority.DoesNotExist:
            authority_of[unit.pk] = None
    voivodeship = next((u for u in units if u.level == UnitLevel.VOIVODESHIP), None)
    groups: dict[str, PowiatGroup] = {}
    for unit in units:
        if unit.level == UnitLevel.POWIAT:
            groups[unit.teryt] = PowiatGroup(powiat=unit, authority=authority_of[unit.pk])
    for unit in units:
        if unit.level == UnitLevel.GMINA and unit.teryt[:4] in groups:
            group = groups[unit.teryt[:4]]
            governing = authority_of[unit.pk] or (group.authority if group.powiat.is_city_with_powiat_rights else None)
            group.gminas.append((unit, governing))
    return VoivodeshipDirectory(
        voivodeship=voivodeship,
        authority=authority_of.get(voivodeship.pk) if voivodeship else None,
        groups=list(groups.values()),
    )


# How many of each kind of matter an authority's page and the home page show (the newest or the soonest);
# each list links to the whole list, filtered.
LATEST = 5
SEATED_SHOWN = 20
# The long texts stay in the database: the lists show titles, dates, states and names.
DEFERRED = {
    "consultation": ("subject", "legal_basis", "final_text", "final_units", "final_note", "draft_source"),
    "competition": ("task_kind", "eligible_entities", "rules_text", "required_attachments", "annulment_reason"),
    "election": ("description", "eligible_legal_forms"),
}


def authority_page(*, authority: Authority, now=None) -> dict:
    """What an authority's page shows: its contact details, its units and the gminas it covers, the council and
    its members, and the latest consultations, competitions, published results, elections and the organisations
    seated in its territory (the latest news come with the page's `latest_news_of` tag). Twelve queries whatever the
    data (tests/territory/test_authority_page.py)."""
    from ngo_platform.competitions.models import CompetitionState
    from ngo_platform.competitions.selectors import public_competitions
    from ngo_platform.consultations.selectors import ListFilters, public_consultations
    from ngo_platform.elections.selectors import authority_councils, public_elections
    from ngo_platform.organisations.selectors import organisations_seated_in

    unit = authority.unit
    if unit.level == UnitLevel.VOIVODESHIP:
        covered = TerritorialUnit.objects.filter(teryt__startswith=unit.teryt, level=UnitLevel.POWIAT)
    elif unit.level == UnitLevel.POWIAT:
        covered = TerritorialUnit.objects.filter(parent=unit, level=UnitLevel.GMINA)
    else:
        covered = TerritorialUnit.objects.none()
    organisations, organisation_count = organisations_seated_in(unit=unit, limit=SEATED_SHOWN)
    competitions = public_competitions({"authority": authority.slug}).defer(*DEFERRED["competition"])
    return {
        "authority": authority,
        "now": now or timezone.now(),
        "covered_units": list(covered.select_related("authority").order_by("teryt")),
        "officers": list(
            authority.memberships.filter(is_public=True, user__is_active=True)
            .select_related("user")
            .order_by("user__display_name", "pk")
        ),
        "councils": authority_councils(authority),
        "consultations": list(
            public_consultations(ListFilters(authority=authority.slug)).defer(*DEFERRED["consultation"])[:LATEST]
        ),
        "competitions": list(competitions[:LATEST]),
        "results": list(
            competitions.filter(state=CompetitionState.RESULTS).order_by("-results_published_at", "-id")[:LATEST]
        ),
        "elections": list(
            public_elections().filter(council__authority=authority).defer(*DEFERRED["election"])[:LATEST]
        ),
        "organisations": organisations,
        "organisation_count": organisation_count,
        "directory_query": _directory_query(unit),
    }


def _directory_query(unit: TerritorialUnit) -> str:
    """The directory's filter of the organisations seated in the unit's territory (the whole directory for the
    voivodeship: it has one)."""
    if unit.level == UnitLevel.GMINA:
        return f"gmina={unit.teryt}"
    if unit.level == UnitLevel.POWIAT:
        return f"powiat={unit.teryt}"
    return ""


def home_statistics() -> dict:
    code = settings.NGO_HOME_VOIVODESHIP
    return {
        "authorities": Authority.objects.filter(unit__teryt__startswith=code).count(),
    }


def directory_total() -> int:
    """The organisations in the directory (listed ones, as the directory counts them), kept in the cache until the
    next write of organisations: counting 100,000 rows takes 48 ms on PostgreSQL (docs/benchmarks.md), and the home
    page is rendered again every minute."""
    from ngo_platform.organisations.freshness import directory_version
    from ngo_platform.organisations.models import Organisation

    key = f"core:home-organisations:{directory_version()}"
    total = cache.get(key)
    if total is None:
        total = Organisation.objects.filter(is_listed=True).count()
        cache.set(key, total, 600)
    return total


def home_page(*, now) -> dict:
    """What the home page shows: what is open now (consultations closing soonest, competitions accepting offers by
    their deadline, elections in nominations or voting), the latest news, and the true counts. Nine queries whatever the data
    (eight while the directory's total is in the cache)."""
    from ngo_platform.community.selectors import latest_news
    from ngo_platform.competitions.selectors import public_competitions
    from ngo_platform.consultations.models import ConsultationState
    from ngo_platform.consultations.selectors import ListFilters, public_consultations
    from ngo_platform.elections.selectors import elections_in_progress

    consultations = public_consultations(ListFilters(state=ConsultationState.OPEN)).filter(ends_at__gt=now)
    competitions = public_competitions({"status": "open"}).order_by("offers_deadline", "id")
    elections = elections_in_progress(now)
    return {
        "consultations": list(consultations.defer(*DEFERRED["consultation"])[:LATEST]),
        "competitions": list(competitions.defer(*DEFERRED["competition"])[:LATEST]),
        "elections": list(elections.defer(*DEFERRED["election"])[:LATEST]),
        "news": latest_news(),
        "counts": {
            "organisations": directory_total(),
            "consultations": consultations.count(),
            "competitions": competitions.count(),
            "elections": elections.count(),
            **home_statistics(),
        },
    }


def authority_governing(*, unit: TerritorialUnit | None) -> Authority | None:
    """The authority of a gmina: its own, or the city with powiat rights that it lies in (none for no gmina:
    an organisation imported without its seat)."""
    if unit is None:
        return None
    authority = Authority.objects.filter(unit=unit).first()
    if authority is None and unit.parent_id and in_city_with_powiat_rights(unit.teryt):
        authority = Authority.objects.filter(unit_id=unit.parent_id).first()
    return authority
