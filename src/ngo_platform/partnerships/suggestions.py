"""Suggestions of partners that say why: for an announcement or an organisation (the subject), the organisations
and the current announcements that match it, best first, each with its reasons.

A candidate earns points, and each point has its reason:
- every sphere of public tasks it shares with the subject: SPHERE (at most MAX_SPHERES of them count);
- territory, from TERYT codes (an organisation's seat and areas of activity, an announcement's territory): the
  same gmina PLACE[3], the same powiat PLACE[2], the same voivodeship PLACE[1];
- words of the subject's text found in the candidate's entry of the full-text index (the directory's, the
  announcements'; Polish lemmas, `core.lemmatiser`), counting only words that are distinctive among the
  candidates (in at most DISTINCTIVE of them): WORD each, at most MAX_WORDS;
- history on the platform, in a sphere of the subject: grants awarded FUNDED, other offers OFFERED; an earlier
  joint offer with the subject's organisation (as leader or partner) JOINT;
- an announcement of the other kind (seeking partners for one offering cooperation): COMPLEMENT.
Territory alone suggests no one (every organisation of a voivodeship would do).

The candidates are read in a bounded number of queries and rows whatever the size of the directory: those seated
near the subject (its gminas first, then its powiats: at most NEAR) sharing the most spheres, those sharing the
most spheres among the PER_SPHERE newest of each sphere, POOL of each; those whose name (title) has a word of the
subject's title (TITLE_POOL); the subject organisation's earlier partners; then their spheres, places, entries and
history for those few hundred only. The subject itself, its organisation, announcements of its own party, archived
announcements and organisations not listed or not active are never suggested.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ngo_platform.competitions.models import Offer, OfferPartner, OfferState
from ngo_platform.core.lemmatiser import lemmas
from ngo_platform.core.search import title_matches
from ngo_platform.organisations import legal_forms
from ngo_platform.organisations.models import LegalForm, Organisation, OrganisationStatus
from ngo_platform.partnerships.models import Announcement, AnnouncementKind, AnnouncementState
from ngo_platform.territory.models import TerritorialUnit

SPHERE, MAX_SPHERES = 2, 3
PLACE = {3: 3, 2: 2, 1: 1}
WORD, MAX_WORDS = 1, 3
MIN_WORD = 4  # shorter lemmas ("on", "dla", "rok") are function words or too common to say anything
DISTINCTIVE = 0.2  # a word in more than this share of the candidates says nothing about any of them
FUNDED, OFFERED, JOINT, COMPLEMENT = 2, 1, 3, 1
POOL, TITLE_POOL, LIMIT = 150, 40, 10
NEAR = 3000  # at most this many organisations seated near the subject are read for the near candidates
PER_SPHERE = 2000  # the newest organisations of a sphere read for the candidates anywhere in the directory
NOT_OFFERED = (OfferState.DRAFT, OfferState.WITHDRAWN)


@dataclass(frozen=True)
class Subject:
    """What suggestions are found for: its spheres (id → name), places (TERYT codes), the lemmas of its text
    (lemma → as written) and of its title, and who it is, never suggested to itself."""

    spheres: dict[int, str]
    places: frozenset[str]
    words: dict[str, str]
    title_words: tuple[str, ...] = ()
    organisation_id: int | None = None
    authority_id: int | None = None
    announcement_id: int | None = None
    kind: str = ""


# The reasons' words, translated only for the suggestions shown (a few hundred candidates are scored).
SHARED_SPHERES = gettext_lazy("shared spheres: %(spheres)s")
PLACE_REASONS = {
    3: gettext_lazy("the same gmina"),
    2: gettext_lazy("the same powiat"),
    1: gettext_lazy("the same voivodeship"),
}
SIMILAR_WORDS = gettext_lazy("similar words: %(words)s")
FUNDED_IN = gettext_lazy("carried out public tasks in the sphere: %(spheres)s")
OFFERED_IN = gettext_lazy("made offers in the sphere: %(spheres)s")
JOINT_OFFER = gettext_lazy("an earlier joint offer with you")
OTHER_KIND = {
    AnnouncementKind.OFFERING: gettext_lazy("they offer cooperation"),
    AnnouncementKind.SEEKING: gettext_lazy("they seek partners"),
}


@dataclass
class Suggestion:
    item: object
    score: int = 0
    found: list[tuple] = field(default_factory=list)  # (message, its parameters) of each reason
    grounded: bool = False  # a reason of its own, beyond territory and kind

    def add(self, points: int, message, params=None, *, grounds: bool = True) -> None:
        self.score += points
        self.found.append((message, params))
        self.grounded = self.grounded or grounds

    @property
    def reasons(self) -> list[str]:
        """Why it is suggested, in the person's language."""
        return [str(message) % params if params else str(message) for message, params in self.found]


def _ignored(spheres: Iterable[str], places: Iterable[str]) -> set[str]:
    """Words that name what other reasons count (the spheres', the places') or a legal form: not the text's."""
    names = " ".join([*spheres, *places, *(legal_forms.search_words(code) for code in LegalForm.values)])
    return set(lemmas(names))


def _subject(spheres, units, title: str, text: str, **who) -> Subject:
    spheres = {sphere.pk: sphere.name for sphere in spheres}
    ignored = _ignored(spheres.values(), (unit.name for unit in units))
    words = {
        lemma: shown
        for lemma, shown in lemmas(f"{title}\n{text}").items()
        if lemma not in ignored and len(lemma) >= MIN_WORD
    }
    title_words = tuple(lemma for lemma in lemmas(title) if lemma in words)
    places = frozenset(unit.teryt for unit in units)
    return Subject(spheres=spheres, places=places, words=words, title_words=title_words, **who)


def of_announcement(announcement: Announcement) -> Subject:
    """The announcement as a subject (its spheres and territory prefetched: `selectors.announcement_page`)."""
    text = "\n".join([announcement.description, announcement.offered, announcement.needed])
    return _subject(
        announcement.spheres.all(),
        announcement.territory.all(),
        announcement.title,
        text,
        organisation_id=announcement.organisation_id,
        authority_id=announcement.authority_id,
        announcement_id=announcement.pk,
        kind=announcement.kind,
    )


def of_organisation(organisation: Organisation) -> Subject:
    """The organisation as a subject: its spheres, its seat and areas, its descriptions (two queries)."""
    units = list(organisation.areas.all())
    if organisation.seat_id:
        units.append(organisation.seat)
    text = "\n".join([organisation.description_short, organisation.description])
    return _subject(organisation.spheres.all(), units, organisation.name, text, organisation_id=organisation.pk)


def place_level(ours: Iterable[str], theirs: Iterable[str]) -> int:
    """3 when they share a gmina, 2 a powiat, 1 the voivodeship, 0 nothing (TERYT codes of any level)."""
    theirs = list(theirs)
    best = 0
    for a in ours:
        for b in theirs:
            if len(a) == 7 and a == b:
                return 3
            if len(a) >= 4 and len(b) >= 4 and a[:4] == b[:4]:
                best = max(best, 2)
            elif a[:2] == b[:2]:
                best = max(best, 1)
    return best


def _joint_partners(subject: Subject) -> set[int]:
    """The organisations that were in an offer (not a draft, not withdrawn) with the subject's organisation."""
    own = subject.organisation_id
    if own is None:
        return set()
    rows = (
        OfferPartner.objects.filter(Q(offer__organisation_id=own) | Q(organisation_id=own))
        .exclude(offer__state__in=NOT_OFFERED)
        .values_list("offer__organisation_id", "organisation_id")
    )
    return {pk for pair in rows for pk in pair} - {own}


def _text_points(suggestions: dict[int, Suggestion], terms_of: dict[int, set[str]], subject: Subject) -> None:
    """WORD for each of the subject's words found in a candidate's entry, among the distinctive ones."""
    if not subject.words or not suggestions:
        return
    frequency: dict[str, int] = defaultdict(int)
    for terms in terms_of.values():
        for word in subject.words.keys() & terms:
            frequency[word] += 1
    most = max(2, math.floor(DISTINCTIVE * len(suggestions)))
    distinctive = [word for word in subject.words if 0 < frequency[word] <= most]
    for pk, suggestion in suggestions.items():
        shared = [subject.words[word] for word in distinctive if word in terms_of.get(pk, ())][:MAX_WORDS]
        if shared:
            suggestion.add(WORD * len(shared), SIMILAR_WORDS, {"words": ", ".join(shared)})


def _sphere_points(suggestion: Suggestion, subject: Subject, spheres: Iterable[int]) -> None:
    shared = [name for pk, name in subject.spheres.items() if pk in spheres][:MAX_SPHERES]
    if shared:
        suggestion.add(SPHERE * len(shared), SHARED_SPHERES, {"spheres": "; ".join(shared)})


def _territory_points(suggestion: Suggestion, subject: Subject, places: Iterable[str]) -> None:
    level = place_level(subject.places, places)
    if level:
        suggestion.add(PLACE[level], PLACE_REASONS[level], grounds=False)


def _ranked(suggestions: Iterable[Suggestion], name, limit: int) -> list[Suggestion]:
    """Those with a reason beyond territory, best first (then by name), at most `limit`."""
    kept = [suggestion for suggestion in suggestions if suggestion.grounded]
    return sorted(kept, key=lambda s: (-s.score, name(s.item)))[:limit]


# Organisations ----------------------------------------------------------------------------------------------


def _organisation_pool(subject: Subject, joint: set[int]) -> list[int]:
    """The candidates' ids: near ones (seated in the subject's powiats) by shared spheres and territory; anywhere
    in the directory by shared spheres alone, read on the spheres' table without joining the organisations (an
    organisation a sphere is shared with, among 150,000, is one of some ten thousand: joining each to its seat
    was what a page waited for); by name; the subject organisation's earlier partners."""
    spheres = list(subject.spheres)
    through = Organisation.spheres.through.objects.filter(sphere_id__in=spheres)
    if subject.organisation_id:
        through = through.exclude(organisation_id=subject.organisation_id)
    ids: list[int] = []
    if spheres:
        ids += _near_sharing_spheres(subject, spheres)
    if spheres:
        ids += _sharing_spheres(spheres, subject.organisation_id)
    ids += title_matches("organisations_searchentry", "organisation_id", subject.title_words, limit=TITLE_POOL)
    return list(dict.fromkeys([*ids, *sorted(joint)]))


def _near_sharing_spheres(subject: Subject, spheres: list[int]) -> list[int]:
    """Organisations seated near the subject (its gminas first, then the rest of its powiats) that share the most
    of its spheres, among at most NEAR of them: two reads on the seats' index, then the spheres' unique index
    probed for those alone (joining every organisation to its seat let the planner scan all 150,000)."""
    powiats = sorted({code[:4] for code in subject.places if len(code) >= 4})
    if not powiats:
        return []  # a voivodeship-wide subject: every organisation is near; `_sharing_spheres` reads them
    gminas = [code for code in subject.places if len(code) == 7]
    near = Q(pk__in=[])
    for code in powiats:
        near |= Q(teryt__startswith=code)
    units = dict(TerritorialUnit.objects.filter(near).values_list("teryt", "pk"))
    listed = Organisation.objects.filter(status=OrganisationStatus.ACTIVE, is_listed=True).exclude(
        pk=subject.organisation_id or 0
    )
    seated = listed.filter(seat_id__in=list(units.values())).order_by("-pk")
    if first := [units[code] for code in gminas if code in units]:
        # Only with gminas: a Case of no gmina is a constant, which Django orders by as "ORDER BY 0" (an error on
        # PostgreSQL: a powiat-wide announcement's page failed).
        here = Case(When(seat_id__in=first, then=Value(1)), default=Value(0), output_field=IntegerField())
        seated = seated.annotate(here=here).order_by("-here", "-pk")
    chosen = list(seated.values_list("pk", flat=True)[:NEAR])
    if not chosen:
        return []
    ranked = (
        Organisation.spheres.through.objects.filter(organisation_id__in=chosen, sphere_id__in=spheres)
        .values("organisation_id")
        .annotate(shared=Count("sphere_id"))
        .order_by("-shared", "-organisation_id")
        .values_list("organisation_id", flat=True)[:POOL]
    )
    return list(ranked)


def _sharing_spheres(spheres: list[int], own: int | None) -> list[int]:
    """Organisations sharing the most of the spheres, among the PER_SPHERE newest of each sphere: bounded
    whatever the directory's size (all sharing a popular sphere are some ten thousand of 150,000: counting them
    took 43 ms, these 4 ms; EXPLAIN ANALYZE on PostgreSQL, docs/benchmarks.md)."""
    table = Organisation.spheres.through._meta.db_table
    newest = " UNION ALL ".join(
        f"SELECT organisation_id FROM (SELECT organisation_id FROM {table} WHERE sphere_id = %s"
        f" ORDER BY organisation_id DESC LIMIT %s) AS s{i}"
        for i in range(len(spheres))
    )
    sql = (
        f"SELECT organisation_id FROM ({newest}) AS shared WHERE organisation_id <> %s"
        " GROUP BY organisation_id ORDER BY COUNT(*) DESC, organisation_id DESC LIMIT %s"
    )
    params = [value for sphere in spheres for value in (sphere, PER_SPHERE)] + [own or 0, POOL]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def suggest(subject: Subject, *, limit: int = LIMIT) -> tuple[list[Suggestion], list[Suggestion]]:
    """(organisations, announcements) suggested for the subject, its earlier partners read once for both."""
    joint = _joint_partners(subject)
    return (
        suggest_organisations(subject, limit=limit, joint=joint),
        suggest_announcements(subject, limit=limit, joint=joint),
    )


def suggest_organisations(subject: Subject, *, limit: int = LIMIT, joint: set[int] | None = None) -> list[Suggestion]:
    """The organisations that match the subject, best first, each with its reasons (a fixed number of
    queries)."""
    joint = _joint_partners(subject) if joint is None else joint
    ids = [pk for pk in _organisation_pool(subject, joint) if pk != subject.organisation_id]
    if not ids:
        return []
    organisations = (
        Organisation.objects.filter(pk__in=ids, status=OrganisationStatus.ACTIVE, is_listed=True)
        .select_related("seat", "search_entry")
        .only(
            "name",
            "short_name",
            "slug",
            "seat__teryt",
            "seat__name",
            "search_entry__name_terms",
            "search_entry__body_terms",
            "description_short",
        )
    )
    suggestions = {o.pk: Suggestion(o) for o in organisations}
    ids = list(suggestions)
    spheres: dict[int, set[int]] = defaultdict(set)
    for organisation_id, sphere_id in Organisation.spheres.through.objects.filter(
        organisation_id__in=ids, sphere_id__in=list(subject.spheres)
    ).values_list("organisation_id", "sphere_id"):
        spheres[organisation_id].add(sphere_id)
    places: dict[int, set[str]] = defaultdict(set)
    for organisation_id, teryt in Organisation.areas.through.objects.filter(organisation_id__in=ids).values_list(
        "organisation_id", "territorialunit__teryt"
    ):
        places[organisation_id].add(teryt)
    terms_of = {}
    for pk, suggestion in suggestions.items():
        organisation = suggestion.item
        if organisation.seat_id:
            places[pk].add(organisation.seat.teryt)
        entry = getattr(organisation, "search_entry", None)
        terms_of[pk] = set(f"{entry.name_terms} {entry.body_terms}".split()) if entry else set()
        _sphere_points(suggestion, subject, spheres[pk])
        _territory_points(suggestion, subject, places[pk])
    _text_points(suggestions, terms_of, subject)
    _history_points(suggestions, subject, joint)
    return _ranked(suggestions.values(), lambda o: o.name, limit)


def _history_points(suggestions: dict[int, Suggestion], subject: Subject, joint: set[int]) -> None:
    """Grants and offers in the subject's spheres (as the lead or a partner), and earlier joint offers."""
    ids, spheres = list(suggestions), list(subject.spheres)
    done: dict[int, dict[int, bool]] = defaultdict(dict)  # organisation → sphere → funded
    led = Offer.objects.filter(organisation_id__in=ids, competition__sphere_id__in=spheres).exclude(
        state__in=NOT_OFFERED
    )
    shared = OfferPartner.objects.filter(organisation_id__in=ids, offer__competition__sphere_id__in=spheres).exclude(
        offer__state__in=NOT_OFFERED
    )
    rows = [
        *led.values_list("organisation_id", "competition__sphere_id", "state"),
        *shared.values_list("organisation_id", "offer__competition__sphere_id", "offer__state"),
    ]
    for organisation_id, sphere_id, state in rows:
        done[organisation_id][sphere_id] = done[organisation_id].get(sphere_id, False) or state == OfferState.FUNDED
    for pk, suggestion in suggestions.items():
        funded = [subject.spheres[s] for s, yes in done[pk].items() if yes]
        offered = [subject.spheres[s] for s, yes in done[pk].items() if not yes]
        if funded:
            suggestion.add(FUNDED, FUNDED_IN, {"spheres": "; ".join(funded)})
        elif offered:
            suggestion.add(OFFERED, OFFERED_IN, {"spheres": "; ".join(offered)})
        if pk in joint:
            suggestion.add(JOINT, JOINT_OFFER)


# Announcements ----------------------------------------------------------------------------------------------


def _announcement_pool(subject: Subject) -> list[int]:
    today = timezone.localdate()
    current = Q(announcement__state=AnnouncementState.PUBLISHED, announcement__deadline__gte=today)
    own = Q(announcement_id=subject.announcement_id)
    if subject.organisation_id:
        own |= Q(announcement__organisation_id=subject.organisation_id)
    if subject.authority_id:
        own |= Q(announcement__authority_id=subject.authority_id)
    ids: list[int] = []
    if subject.spheres:
        through = Announcement.spheres.through.objects.filter(current, sphere_id__in=list(subject.spheres))
        ranked = (
            through.exclude(own)
            .values("announcement_id")
            .annotate(shared=Count("sphere_id"))
            .order_by("-shared", "-announcement_id")
            .values_list("announcement_id", flat=True)[:POOL]
        )
        ids = list(ranked)
    ids += title_matches("partnerships_searchentry", "announcement_id", subject.title_words, limit=TITLE_POOL)
    return list(dict.fromkeys(ids))


def suggest_announcements(subject: Subject, *, limit: int = LIMIT, joint: set[int] | None = None) -> list[Suggestion]:
    """The current announcements of others that match the subject, best first, each with its reasons."""
    ids = _announcement_pool(subject)
    if not ids:
        return []
    today = timezone.localdate()
    announcements = Announcement.objects.filter(
        pk__in=ids, state=AnnouncementState.PUBLISHED, deadline__gte=today
    ).exclude(pk=subject.announcement_id)
    if subject.organisation_id:
        announcements = announcements.exclude(organisation_id=subject.organisation_id)
    if subject.authority_id:
        announcements = announcements.exclude(authority_id=subject.authority_id)
    announcements = (
        announcements.select_related("organisation", "authority", "competition", "search_entry")
        .only(
            *("kind", "role", "title", "deadline", "programme", "organisation_id", "authority_id", "competition_id"),
            *("organisation__name", "organisation__slug", "authority__name", "authority__slug", "competition__title"),
            *("search_entry__name_terms", "search_entry__body_terms"),
        )
        .order_by()
    )
    suggestions = {a.pk: Suggestion(a) for a in announcements}
    ids = list(suggestions)
    spheres: dict[int, set[int]] = defaultdict(set)
    for announcement_id, sphere_id in Announcement.spheres.through.objects.filter(announcement_id__in=ids).values_list(
        "announcement_id", "sphere_id"
    ):
        spheres[announcement_id].add(sphere_id)
    places: dict[int, set[str]] = defaultdict(set)
    for announcement_id, teryt in Announcement.territory.through.objects.filter(announcement_id__in=ids).values_list(
        "announcement_id", "territorialunit__teryt"
    ):
        places[announcement_id].add(teryt)
    joint = _joint_partners(subject) if joint is None else joint
    terms_of = {}
    for pk, suggestion in suggestions.items():
        announcement = suggestion.item
        entry = getattr(announcement, "search_entry", None)
        terms_of[pk] = set(f"{entry.name_terms} {entry.body_terms}".split()) if entry else set()
        _sphere_points(suggestion, subject, spheres[pk])
        _territory_points(suggestion, subject, places[pk])
        if subject.kind and announcement.kind != subject.kind:
            suggestion.add(COMPLEMENT, OTHER_KIND[announcement.kind], grounds=False)
        if announcement.organisation_id in joint:
            suggestion.add(JOINT, JOINT_OFFER)
    _text_points(suggestions, terms_of, subject)
    return _ranked(suggestions.values(), lambda a: a.title, limit)
