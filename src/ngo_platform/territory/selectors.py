"""Reads of territory and authorities, each with the prefetching its page needs."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet

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


def authority_page(*, authority: Authority) -> dict:
    """What an authority's page shows: its units and the gminas it covers."""
    unit = authority.unit
    if unit.level == UnitLevel.VOIVODESHIP:
        covered = TerritorialUnit.objects.filter(teryt__startswith=unit.teryt, level=UnitLevel.POWIAT)
    elif unit.level == UnitLevel.POWIAT:
        covered = TerritorialUnit.objects.filter(parent=unit, level=UnitLevel.GMINA)
    else:
        covered = TerritorialUnit.objects.none()
    from ngo_platform.organisations.selectors import organisations_seated_in

    organisations, organisation_count = organisations_seated_in(unit=unit)
    return {
        "authority": authority,
        "covered_units": list(covered.select_related("authority").order_by("teryt")),
        "officer_count": authority.memberships.count(),
        "organisations": organisations,
        "organisation_count": organisation_count,
    }


def home_statistics() -> dict:
    code = settings.NGO_HOME_VOIVODESHIP
    return {
        "authorities": Authority.objects.filter(unit__teryt__startswith=code).count(),
    }


def authority_governing(*, unit: TerritorialUnit) -> Authority | None:
    """The authority of a gmina: its own, or the city with powiat rights that it lies in."""
    authority = Authority.objects.filter(unit=unit).first()
    if authority is None and unit.parent_id and in_city_with_powiat_rights(unit.teryt):
        authority = Authority.objects.filter(unit_id=unit.parent_id).first()
    return authority
