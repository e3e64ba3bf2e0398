"""Reads of the registry: the directory with facets, profiles, exports."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from ngo_platform.accounts.models import OrganisationMembership
from ngo_platform.core.lemmatiser import query_groups
from ngo_platform.organisations import search
from ngo_platform.organisations.freshness import directory_version
from ngo_platform.organisations.models import LegalForm, Organisation, Register
from ngo_platform.territory.models import (
    Sphere,
    SphereCatalogue,
    TerritorialUnit,
    UnitLevel,
    in_city_with_powiat_rights,
)

FACET_CACHE_SECONDS = 600


@dataclass(frozen=True)
class DirectoryFilters:
    """The directory's GET parameters (Polish names, so shared URLs read naturally)."""

    q: str = ""
    sphere: str = ""  # sfera: number in art. 4 ust. 1 of the current list, e.g. "16"
    powiat: str = ""  # powiat: TERYT, 4 digits
    gmina: str = ""  # gmina: TERYT, 7 digits
    legal_form: str = ""  # forma
    opp: bool = False  # opp=1
    register: str = ""  # rejestr
    sort: str = ""  # sort: nazwa | -nazwa | najnowsze | trafnosc
    any_word: bool = False  # not a parameter: the partial matches of a query nothing matches whole

    def without(self, name: str) -> DirectoryFilters:
        values = {f: getattr(self, f) for f in self.__dataclass_fields__}
        values[name] = DirectoryFilters.__dataclass_fields__[name].default
        if name == "powiat":
            values["gmina"] = ""
        return DirectoryFilters(**values)

    @property
    def key(self) -> str:
        return "|".join(str(getattr(self, f)) for f in self.__dataclass_fields__)


def current_spheres() -> QuerySet[Sphere]:
    """The spheres of the newest list (a subquery: costs no query of its own)."""
    newest = SphereCatalogue.objects.order_by("-effective_from").values("pk")[:1]
    return Sphere.objects.filter(catalogue=newest).order_by("position")


def _filtered(filters: DirectoryFilters, *, candidates: int | None = None) -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(is_listed=True)
    if filters.sphere:
        organisations = organisations.filter(spheres__in=current_spheres().filter(number=filters.sphere))
    if filters.gmina:
        organisations = organisations.filter(seat__teryt=filters.gmina)
    elif filters.powiat:
        organisations = organisations.filter(seat__parent__teryt=filters.powiat)
    if filters.legal_form:
        organisations = organisations.filter(legal_form=filters.legal_form)
    if filters.opp:
        organisations = organisations.filter(is_opp=True)
    if filters.register:
        organisations = organisations.filter(register=filters.register)
    if filters.q:
        key = None
        if candidates:
            digest = hashlib.sha256(filters.without("sort").key.encode()).hexdigest()[:32]
            key = f"organisations:candidates:{directory_version()}:{digest}"
        organisations = search.apply_search(
            organisations, filters.q, any_word=filters.any_word, candidates=candidates, cache_key=key
        )
    return organisations


SORTS = {
    "nazwa": ["name", "id"],
    "-nazwa": ["-name", "-id"],
    "najnowsze": ["-created_at", "-id"],
}


def directory_queryset(filters: DirectoryFilters, *, broad: bool = False) -> QuerySet[Organisation]:
    """The organisations a directory page lists, ordered, with what each row shows prefetched.

    `broad`: the search matches more than SEARCH_COUNT_LIMIT organisations (the summary says so); the
    page then pages through the best-ranked of a bounded set of candidates (`search.apply_search`).
    """
    organisations = _filtered(filters, candidates=SEARCH_COUNT_LIMIT if broad and filters.q else None)
    if filters.sort in SORTS:
        organisations = organisations.order_by(*SORTS[filters.sort])
    elif not filters.q:
        organisations = organisations.order_by(*SORTS["nazwa"])
    # With a query and no explicit sort, apply_search's relevance order stands.
    return organisations.select_related("seat", "seat__parent").prefetch_related(
        Prefetch("spheres", queryset=Sphere.objects.order_by("position"))
    )


# A search matching more organisations than this (a common word such as "stowarzyszenie") is not
# counted exactly: the page says "more than", pages through this many, and shows the facet choices of
# the other filters without numbers. Counting every facet over tens of thousands of full-text matches
# costs seconds at national scale (docs/benchmarks.md); narrowing the query is what helps the person.
SEARCH_COUNT_LIMIT = 500


def directory_summary(filters: DirectoryFilters) -> dict:
    """The total and the raw facet counts of a filter combination, cached until the next write.

    One cache entry per combination: a warm directory page costs two cache reads and the page query.
    """
    digest = hashlib.sha256(filters.key.encode()).hexdigest()[:32]
    key = f"organisations:summary:{directory_version()}:{digest}"
    summary = cache.get(key)
    if summary is None:
        summary = (_search_summary(filters) if filters.q else None) or _summary_by_grouping(filters)
        cache.set(key, summary, FACET_CACHE_SECONDS)
    return summary


def _labelled(count: int, counts: dict) -> dict:
    units = TerritorialUnit.objects.filter(teryt__in=[*counts["powiat"], *counts["gmina"]]).only("teryt", "name")
    return {
        "count": count,
        "broad": False,
        "counts": counts,
        "unit_names": {unit.teryt: unit.name for unit in units},
        "sphere_names": dict(current_spheres().values_list("number", "name")),
    }


def _summary_by_grouping(filters: DirectoryFilters) -> dict:
    """Counts by GROUP BY in the database, one query per facet (the directory without a query,
    or a search whose matches without the filters are too many to count in Python)."""
    if filters.q:
        count = _filtered(filters).order_by()[: SEARCH_COUNT_LIMIT + 1].count()
        if count > SEARCH_COUNT_LIMIT:
            return {**directory_summary(filters.without("q")), "count": SEARCH_COUNT_LIMIT, "broad": True}
    else:
        count = _filtered(filters).count()
    counts = {
        "sfera": _counts(filters, "sphere", "spheres__number"),
        "powiat": _counts(filters, "powiat", "seat__parent__teryt"),
        "gmina": _counts(filters, "gmina", "seat__teryt") if filters.powiat else {},
        "forma": _counts(filters, "legal_form", "legal_form"),
        "opp": _counts(filters, "opp", "is_opp"),
        "rejestr": _counts(filters, "register", "register"),
    }
    return _labelled(count, counts)


# (facet key in the summary, the filter it answers, how to read a row's value(s))
_ROW_FACETS = [
    ("sfera", "sphere", lambda row: row["spheres"]),
    ("powiat", "powiat", lambda row: [row["powiat"]]),
    ("gmina", "gmina", lambda row: [row["gmina"]]),
    ("forma", "legal_form", lambda row: [row["legal_form"]]),
    ("opp", "opp", lambda row: [row["is_opp"]]),
    ("rejestr", "register", lambda row: [row["register"]]),
]


def _row_passes(row: dict, filters: DirectoryFilters, *, skip: str = "") -> bool:
    """The facet filters of `_filtered`, in Python, for one matched row (the query is already applied)."""
    return (
        (skip == "sphere" or not filters.sphere or filters.sphere in row["spheres"])
        # As in _filtered: a gmina filter replaces the powiat filter; leaving out the powiat leaves out both.
        and (skip in ("gmina", "powiat") or not filters.gmina or row["gmina"] == filters.gmina)
        and (
            skip == "powiat"
            or not filters.powiat
            or (filters.gmina and skip != "gmina")
            or row["powiat"] == filters.powiat
        )
        and (skip == "legal_form" or not filters.legal_form or row["legal_form"] == filters.legal_form)
        and (skip == "opp" or not filters.opp or row["is_opp"])
        and (skip == "register" or not filters.register or row["register"] == filters.register)
    )


def _search_summary(filters: DirectoryFilters) -> dict | None:
    """Counts of a search in one full-text query: fetch what the facets need of every match (at most
    SEARCH_COUNT_LIMIT of them) and count in Python. None when the query alone matches more."""
    matches = list(
        search.apply_search(Organisation.objects.filter(is_listed=True), filters.q, any_word=filters.any_word)
        .order_by()
        .values_list("id", "legal_form", "register", "is_opp", "seat__teryt", "seat__parent__teryt")[
            : SEARCH_COUNT_LIMIT + 1
        ]
    )
    if len(matches) > SEARCH_COUNT_LIMIT:
        return None
    spheres: dict[int, set] = {}
    for organisation_id, number in Organisation.spheres.through.objects.filter(
        organisation_id__in=[m[0] for m in matches], sphere__in=current_spheres()
    ).values_list("organisation_id", "sphere__number"):
        spheres.setdefault(organisation_id, set()).add(number)
    rows = [
        {
            "spheres": spheres.get(pk, set()),
            "legal_form": form,
            "register": register,
            "is_opp": opp,
            "gmina": gmina,
            "powiat": powiat,
        }
        for pk, form, register, opp, gmina, powiat in matches
    ]
    counts: dict[str, dict] = {}
    for facet, name, values in _ROW_FACETS:
        counter: dict = {}
        if facet != "gmina" or filters.powiat:
            for row in rows:
                if _row_passes(row, filters, skip=name):
                    for value in values(row):
                        if value is not None:
                            counter[value] = counter.get(value, 0) + 1
        counts[facet] = counter
    return _labelled(sum(1 for row in rows if _row_passes(row, filters)), counts)


@dataclass(frozen=True)
class DirectorySearch:
    """What the directory shows for a query: the filters it lists by, their summary, and how it got there.
    `mode` is "" (every word matched), "corrected" (nothing matched as typed; `suggestion` did) or "partial"
    (nothing matched every word: the organisations matching some, those matching more first)."""

    filters: DirectoryFilters
    summary: dict
    mode: str = ""
    suggestion: str | None = None


def directory_search(filters: DirectoryFilters) -> DirectorySearch:
    """The directory's summary, and when the query matches nothing, never an empty page without a way on: the
    query with its typos corrected against the index's vocabulary (`search.corrected`), else the partial
    matches. Costs nothing more when the query matches (its summary is cached); otherwise one query of the
    vocabulary and the summaries of what is tried."""
    summary = directory_summary(filters)
    if not filters.q or summary["count"] or summary["broad"] or search.identifier_candidates(filters.q):
        return DirectorySearch(filters, summary)
    suggestion = search.corrected(filters.q)
    for mode, tried in (
        ("corrected", replace(filters, q=suggestion) if suggestion else None),
        ("partial", replace(filters, q=suggestion or filters.q, any_word=True)),
    ):
        if tried is None or (mode == "partial" and len(query_groups(tried.q)) < 2):
            continue
        found = directory_summary(tried)
        if found["count"] or found["broad"]:
            return DirectorySearch(tried, found, mode, suggestion)
    return DirectorySearch(filters, summary, "", suggestion)


@dataclass
class FacetOption:
    value: str
    label: str
    count: int | None
    selected: bool


@dataclass
class Facet:
    name: str  # the GET parameter
    label: str
    options: list[FacetOption] = field(default_factory=list)


def _counts(filters: DirectoryFilters, name: str, group_by: str) -> dict:
    """{value: count} of one facet, over the organisations matching every other filter."""
    rows = (
        _filtered(filters.without(name))
        .order_by()
        .values(group_by)
        .annotate(n=Count("id", distinct=True))
        .values_list(group_by, "n")
    )
    return {value: n for value, n in rows if value is not None}


def directory_facets(filters: DirectoryFilters, summary: dict) -> list[Facet]:
    """The facets with counts; each counts over the other filters, so choices stay visible.

    For a broad search the choices come from the other filters without the query, and carry no numbers.
    """
    raw, units, spheres = summary["counts"], summary["unit_names"], summary["sphere_names"]
    facets = _facets(filters, raw, units, spheres)
    if summary.get("broad"):
        for facet in facets:
            for option in facet.options:
                option.count = None
    return facets


def _facets(filters: DirectoryFilters, raw: dict, units: dict, spheres: dict) -> list[Facet]:
    facets = [
        Facet(
            "sfera",
            _("Sphere of public tasks"),
            [
                FacetOption(number, f"{number}) {name}", raw["sfera"].get(number, 0), filters.sphere == number)
                for number, name in spheres.items()
                if raw["sfera"].get(number)
            ],
        ),
        Facet(
            "powiat",
            _("Powiat"),
            [
                FacetOption(teryt, units.get(teryt, teryt), n, filters.powiat == teryt)
                for teryt, n in sorted(raw["powiat"].items())
            ],
        ),
    ]
    if filters.powiat:
        facets.append(
            Facet(
                "gmina",
                _("Gmina"),
                [
                    FacetOption(teryt, units.get(teryt, teryt), n, filters.gmina == teryt)
                    for teryt, n in sorted(raw["gmina"].items())
                ],
            )
        )
    facets += [
        Facet(
            "forma",
            _("Legal form"),
            [
                FacetOption(value, str(label), raw["forma"][value], filters.legal_form == value)
                for value, label in LegalForm.choices
                if raw["forma"].get(value)
            ],
        ),
        Facet(
            "opp",
            _("Public benefit status"),
            [FacetOption("1", _("public benefit organisation (OPP)"), raw["opp"].get(True, 0), filters.opp)]
            if raw["opp"].get(True)
            else [],
        ),
        Facet(
            "rejestr",
            _("Register"),
            [
                FacetOption(value, str(label), raw["rejestr"][value], filters.register == value)
                for value, label in Register.choices
                if raw["rejestr"].get(value)
            ],
        ),
    ]
    return [facet for facet in facets if facet.options]


def organisation_profile(*, slug: str) -> Organisation:
    """One organisation with what its public profile shows; raises DoesNotExist."""
    public_members = (
        OrganisationMembership.objects.filter(is_public=True).select_related("user").order_by("user__display_name")
    )
    return (
        Organisation.objects.select_related("seat", "seat__parent")
        .prefetch_related(
            Prefetch("spheres", queryset=Sphere.objects.order_by("position")),
            Prefetch("areas", queryset=TerritorialUnit.objects.order_by("teryt")),
            Prefetch("memberships", queryset=public_members, to_attr="public_members"),
        )
        .get(slug=slug, is_listed=True)
    )


def organisations_seated_in(*, unit: TerritorialUnit, limit: int = 50) -> tuple[list[Organisation], int]:
    """Organisations seated in an authority's territory (gmina, powiat or voivodeship): a page and the total."""
    if unit.level == UnitLevel.GMINA:
        organisations = Organisation.objects.filter(seat=unit)
    elif unit.level == UnitLevel.POWIAT:
        organisations = Organisation.objects.filter(seat__parent=unit)
    else:
        organisations = Organisation.objects.filter(seat__teryt__startswith=unit.teryt)
    organisations = organisations.filter(is_listed=True).order_by("name", "id")
    return list(organisations.select_related("seat")[:limit]), organisations.count()


def verification_queue(*, user) -> QuerySet | None:
    """Requests a person may decide: all for platform admins; for officers, those of organisations
    seated in the territory of their authorities (gmina, or the city's gmina). None: not a verifier."""
    from ngo_platform.organisations.models import VerificationRequest

    requests = VerificationRequest.objects.select_related("organisation", "organisation__seat", "applicant").order_by(
        "state", "-created_at"
    )
    if user.is_staff:
        return requests
    authority_units = list(user.authority_memberships.values_list("authority__unit__teryt", flat=True))
    if not authority_units:
        return None
    gminas = [code for code in authority_units if len(code) == 7]
    cities = [code for code in authority_units if len(code) == 4 and in_city_with_powiat_rights(code)]
    return requests.filter(Q(organisation__seat__teryt__in=gminas) | Q(organisation__seat__parent__teryt__in=cities))


def organisation_members(*, organisation: Organisation) -> dict:
    from ngo_platform.organisations.models import Invitation

    return {
        "memberships": list(organisation.memberships.select_related("user").order_by("role", "user__email")),
        "pending_invitations": list(
            Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True).order_by("-created_at")
        ),
    }
