"""Search of organisations: Polish lemmas in Python, the database's full-text index underneath.

Interface used by the rest of the app:
- `index_organisations(organisations)`: write/refresh their SearchEntry rows and the vocabulary (services
  call it); what an entry holds is the organisation's name, and in its body the descriptions, the legal
  form's words (`legal_forms.search_words`), the town, gmina and powiat of the seat and the spheres.
- `apply_search(queryset, q, any_word=False)`: filter an Organisation queryset by the query and order it
  by rank (annotation `search_rank`, higher is better; then by name, diacritics and case folded).
- `corrected(q)`: the query with its typos corrected against the vocabulary, or None
  (`selectors.directory_search` tries it, then the partial matches, when a query matches nothing).

What a query does:
1. Digits only (spaces, dashes and a leading "KRS"/"NIP"/"REGON" ignored) of length 9, 10 or 14, or 5–8
   digits (a KRS number typed without its leading zeros): exact match on KRS, NIP or REGON, through
   the unique indexes of those columns.
2. Otherwise full-text over the lemmatised, folded terms (`core.lemmatiser`) of SearchEntry: every word
   of the query must match (its lemma or its surface form; `any_word`: any of them, those matching more
   first), the last word also as a prefix (search as you type) when it has 3 letters or more. A match in
   the name ranks above a match only in the body: PostgreSQL ranks by `ts_rank` over the name's own small
   tsvector (0 without a match there), SQLite by whether the name alone matches the query (1 or 0); then
   by folded name.
3. Typos are not this function's: `corrected` replaces each word the index does not hold by the nearest
   word it holds, within one typo from 5 letters and two from 9 (optimal string alignment, so a swap of
   neighbours is one), in Python over the vocabulary (`SearchWord`), the same on every database.

The database side (the PostgreSQL `vector` and `name_vector` columns, their trigger and indexes, the
SQLite FTS5 table and its triggers) is created by migration 0003; those columns are not model fields,
they exist on PostgreSQL only.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connections
from django.db.models import BooleanField, Expression, F, FloatField, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Collate
from rapidfuzz import process as rapidfuzz_process
from rapidfuzz.distance import OSA

from ngo_platform.core.lemmatiser import query_groups, terms, tokens, words
from ngo_platform.core.search import EntrySQL, fts5_query, tsquery
from ngo_platform.core.text import fold
from ngo_platform.organisations import legal_forms
from ngo_platform.organisations.freshness import directory_changes_on_commit
from ngo_platform.organisations.models import Organisation, SearchEntry, SearchWord
from ngo_platform.territory.models import TerritorialUnit

ENTRY_FIELDS = ["name_terms", "body_terms", "name_folded", "identifiers"]
FTS_TABLE = "organisations_searchentry_fts"
INDEX_BATCH_SIZE = 1000
# How long a broad search's candidates are kept (their key also changes with every write).
CANDIDATES_CACHE_SECONDS = 600

_IDENTIFIER_LABEL = re.compile(r"^\s*(krs|nip|regon)\b\s*(nr\b)?[\s:.]*", re.IGNORECASE)
_IDENTIFIER_SEPARATORS = re.compile(r"[\s\-‐‑‒–—/.]+")
_DIGITS = re.compile(r"[0-9]+")


# Writing the index ------------------------------------------------------------------------------


@dataclass
class _Context:
    """What an entry says besides the organisation's own columns, read for a whole batch at once: the names of
    its seat's gmina and powiat, and of its spheres."""

    places: dict[int, tuple[str, str]]  # seat id → (gmina, powiat)
    spheres: dict[int, list[str]]  # organisation id → sphere names

    @classmethod
    def load(cls, organisations: list[Organisation]) -> _Context:
        seat_ids = {o.seat_id for o in organisations if o.seat_id}
        places = {
            pk: (name, powiat or "")
            for pk, name, powiat in TerritorialUnit.objects.filter(pk__in=seat_ids).values_list(
                "pk", "name", "parent__name"
            )
        }
        spheres: dict[int, list[str]] = {}
        through = Organisation.spheres.through
        for organisation_id, name in through.objects.filter(
            organisation_id__in=[o.pk for o in organisations]
        ).values_list("organisation_id", "sphere__name"):
            spheres.setdefault(organisation_id, []).append(name)
        return cls(places=places, spheres=spheres)


def _texts(organisation: Organisation, context: _Context) -> tuple[str, str]:
    """The name and the body of an entry. The name ranks first; the body holds the descriptions and what people
    also type to find an organisation: its legal form as registers word it, the town, gmina and powiat of its
    seat, and its spheres ("stowarzyszenie sportowe", "fundacja opole", "klub sportowy nysa")."""
    name = f"{organisation.name} {organisation.short_name or ''}".strip()
    gmina, powiat = context.places.get(organisation.seat_id, ("", ""))
    body = [
        organisation.description_short,
        organisation.description,
        legal_forms.search_words(organisation.legal_form),
        organisation.get_institution_type_display() if organisation.institution_type else "",
        organisation.city,
        gmina,
        powiat,
        *context.spheres.get(organisation.pk, ()),
    ]
    return name, " ".join(filter(None, body))


def entry_values(organisation: Organisation, context: _Context) -> dict[str, str]:
    """What the index stores for one organisation."""
    name, body = _texts(organisation, context)
    return {
        "name_terms": " ".join(terms(name)),
        "body_terms": " ".join(terms(body)),
        "name_folded": fold(name)[: SearchEntry._meta.get_field("name_folded").max_length],
        "identifiers": " ".join(filter(None, [organisation.krs, organisation.nip, organisation.regon])),
    }


def index_organisations(organisations: Iterable[Organisation]) -> None:
    """Write or refresh the SearchEntry of each (saved) organisation, and the vocabulary: per 1,000 of them one
    read of their seats, one of their spheres and one upsert; then the new words, 1,000 to an insert.

    The caller's transaction covers it; the database's triggers bring its full-text index along, and
    the directory's cached pages and counts expire when it commits.
    """
    organisations = list(organisations)
    if not organisations:
        return
    vocabulary: dict[str, str] = {}
    for start in range(0, len(organisations), INDEX_BATCH_SIZE):
        batch = organisations[start : start + INDEX_BATCH_SIZE]
        context = _Context.load(batch)
        entries = []
        for organisation in batch:
            entries.append(SearchEntry(organisation_id=organisation.pk, **entry_values(organisation, context)))
            vocabulary.update(words(" ".join(_texts(organisation, context))))
        SearchEntry.objects.bulk_create(
            entries, update_conflicts=True, unique_fields=["organisation"], update_fields=ENTRY_FIELDS
        )
    limit = SearchWord._meta.get_field("word").max_length
    SearchWord.objects.bulk_create(
        # Numbers are not corrected (a typo in one is another number): the vocabulary holds words only.
        [
            SearchWord(word=word, shown=shown[:limit])
            for word, shown in vocabulary.items()
            if len(word) <= limit and not any(ch.isdigit() for ch in word)
        ],
        batch_size=INDEX_BATCH_SIZE,
        ignore_conflicts=True,
    )
    directory_changes_on_commit()


def reindex_all(batch: int = INDEX_BATCH_SIZE) -> int:
    """Index every organisation again (after the index learnt to hold more): the number indexed."""
    count = 0
    last = 0
    while chunk := list(Organisation.objects.filter(pk__gt=last).order_by("pk")[:batch]):
        index_organisations(chunk)
        count += len(chunk)
        last = chunk[-1].pk
    return count


# Typo tolerance --------------------------------------------------------------------------------
# As Meilisearch and Typesense do: a word of 5 to 8 letters may have one typo, of 9 or more two, a shorter one
# none; a typo is a letter added, dropped, changed, or two neighbours swapped (optimal string alignment). The
# words of a query that the index does not hold are corrected against its vocabulary, in Python with rapidfuzz,
# so SQLite and PostgreSQL tolerate exactly the same typos.
ONE_TYPO_FROM, TWO_TYPOS_FROM = 5, 9
_vocabulary_lock = threading.Lock()


@dataclass
class _Vocabulary:
    """The process's copy of the vocabulary: the words in the order the database numbered them."""

    last: tuple[int, str] = (0, "")  # (pk, word) of the newest word read
    words: list[str] = field(default_factory=list)
    shown: dict[str, str] = field(default_factory=dict)


_vocabulary = _Vocabulary()


def _typos_allowed(word: str) -> int:
    return 2 if len(word) >= TWO_TYPOS_FROM else 1 if len(word) >= ONE_TYPO_FROM else 0


def _words(db: str) -> _Vocabulary:
    """The vocabulary, kept in the process and topped up with the words added since: one query, which also
    reads the newest word already known again, so that a copy of a database rolled back or replaced under
    it (its numbers then reused) is read anew instead of trusted."""
    global _vocabulary
    with _vocabulary_lock:
        last_pk, last_word = _vocabulary.last
        rows = list(
            SearchWord.objects.using(db)
            .filter(Q(pk__gt=last_pk) | Q(pk=last_pk))
            .order_by("pk")
            .values_list("pk", "word", "shown")
        )
        if last_pk and (not rows or rows[0][:2] != (last_pk, last_word)):
            _vocabulary = _Vocabulary()
            rows = list(SearchWord.objects.using(db).order_by("pk").values_list("pk", "word", "shown"))
        elif last_pk:
            rows = rows[1:]
        for _pk, word, written in rows:
            if word not in _vocabulary.shown:
                _vocabulary.shown[word] = written
                _vocabulary.words.append(word)
        if rows:
            _vocabulary.last = rows[-1][:2]
        return _vocabulary


def corrected(q: str, *, db: str = "default") -> str | None:
    """The query with each word the index does not hold replaced by the nearest word it holds, within the
    typos the word's length allows (the nearest first, then one that starts with the same letter, then the
    shorter, then in alphabetical order); None when nothing was corrected."""
    vocabulary = _words(db)
    known, shown = vocabulary.shown.keys(), vocabulary.shown
    changed = False
    out: list[str] = []
    for token in tokens(q):
        folded = fold(token)
        allowed = _typos_allowed(folded)
        group = query_groups(token)
        if not allowed or not group or any(term in known for term in group[0]) or folded.isdigit():
            out.append(token)
            continue
        found = rapidfuzz_process.extract(
            folded, vocabulary.words, scorer=OSA.distance, score_cutoff=allowed, limit=None
        )
        if not found:
            out.append(token)
            continue
        best = min(found, key=lambda hit: (hit[1], hit[0][:1] != folded[:1], len(hit[0]), hit[0]))
        out.append(shown[best[0]])
        changed = True
    return " ".join(out) if changed else None


# Reading it -------------------------------------------------------------------------------------


def identifier_candidates(q: str) -> list[str] | None:
    """The identifiers a query stands for, or None if it is not one.

    "526-025-09-95" → ["5260250995"]; "KRS 123456" → ["0000123456"]; "123456789" (REGON or a short KRS)
    → ["123456789", "0123456789"].
    """
    digits = _IDENTIFIER_SEPARATORS.sub("", _IDENTIFIER_LABEL.sub("", q))
    if not _DIGITS.fullmatch(digits):
        return None
    if len(digits) in (9, 10, 14):
        return list(dict.fromkeys([digits, digits.zfill(10)] if len(digits) == 9 else [digits]))
    if 5 <= len(digits) <= 8:
        return [digits.zfill(10)]
    return None


def _identified(db: str, identifiers: list[str]) -> QuerySet:
    """The ids of organisations with any of these KRS, NIP or REGON numbers: a union of lookups on the
    unique index of each column (SQLite, left to plan "krs = … OR regon = …", would scan the table)."""
    fields: dict[str, list[str]] = {}
    for number in identifiers:
        for column in ("krs", "nip") if len(number) == 10 else ("regon",):
            fields.setdefault(column, []).append(number)
    lookups = [
        Organisation.objects.using(db).filter(**{f"{field}__in": numbers}).order_by().values("pk")
        for field, numbers in fields.items()
    ]
    return lookups[0].union(*lookups[1:]) if len(lookups) > 1 else lookups[0]


def _postgresql_search(
    queryset: QuerySet,
    groups: list[tuple[str, ...]],
    candidates: int | None,
    cache_key: str | None,
    *,
    any_word: bool,
) -> QuerySet:
    text = tsquery(groups, joiner=" | " if any_word else " & ")
    # Matched on the GIN index over name and body; ranked by the name alone (small, kept in the row, so
    # ranking thousands of matches costs little): 0 for a match only in the description. Partial matches
    # (`any_word`) rank first by how many of the words they match.
    in_name = EntrySQL("{t}.name_vector @@ to_tsquery('simple', %s)", [text], BooleanField())
    match = EntrySQL("{t}.vector @@ to_tsquery('simple', %s)", [text], BooleanField())
    if any_word:
        last = len(groups) - 1
        one = [tsquery([group], prefix_last=i == last) for i, group in enumerate(groups)]
        matched = " + ".join(["(CASE WHEN {t}.vector @@ to_tsquery('simple', %s) THEN 1 ELSE 0 END)"] * len(groups))
        rank = EntrySQL(
            f"({matched}) + ts_rank({{t}}.name_vector, to_tsquery('simple', %s))", [*one, text], FloatField()
        )
    else:
        rank = EntrySQL("ts_rank({t}.name_vector, to_tsquery('simple', %s))", [text], FloatField())
    if candidates:
        # Too many matches to rank them all within a page's time (ranking means reading every matching
        # row): rank the first `candidates` name matches (GIN index on the name's terms) and, only when
        # there are fewer, as many of the matches in the description, each read no further than that.
        # Ranked once, they are what the pages of one search share: kept in their order under `cache_key`
        # (tied to the data version), so that a page reads only its organisations, in that order.
        ranked = cache.get(cache_key) if cache_key else None
        if ranked is None:

            def first(condition, limit):
                return list(queryset.filter(condition).order_by().values_list("pk", flat=True)[:limit])

            chosen = first(in_name, candidates)
            if len(chosen) < candidates:
                chosen += first(match & ~in_name, candidates - len(chosen))
            ranked = list(
                _ordered(queryset.filter(pk__in=chosen).annotate(search_rank=rank)).values_list("pk", flat=True)
            )
            if cache_key:
                cache.set(cache_key, ranked, CANDIDATES_CACHE_SECONDS)
        return _in_order(queryset, ranked)
    return _ordered(queryset.filter(match).annotate(search_rank=rank))


class _IdsSQL(Expression):
    """SQL about the organisation's id and a list of ids passed as one array parameter (`{id}`, `%s` in
    `sql`): one placeholder however long the list, where `pk__in` would write one per id."""

    def __init__(self, sql: str, ids: list[int], output_field):
        super().__init__(output_field=output_field)
        self.sql, self.ids, self.pk = sql, list(ids), F("pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def as_sql(self, compiler, connection):
        pk_sql, pk_params = compiler.compile(self.pk)
        return self.sql.replace("{id}", pk_sql), [self.ids, *pk_params]


def _in_order(queryset: QuerySet, ranked: list[int]) -> QuerySet:
    """PostgreSQL: the organisations of `ranked` (their ids, best first), in that order (`search_rank` is the
    negated place, so that "higher is better" holds here too)."""
    place = _IdsSQL("array_position(%s::bigint[], {id})", ranked, IntegerField())
    return (
        queryset.filter(_IdsSQL("{id} = ANY(%s::bigint[])", ranked, BooleanField()))
        .annotate(search_rank=-place)
        .order_by("-search_rank")
    )


def _sqlite_search(queryset: QuerySet, groups: list[tuple[str, ...]], *, any_word: bool) -> QuerySet:
    query = fts5_query(groups, joiner=" OR " if any_word else " AND ")
    in_fts = f"{{t}}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
    match = EntrySQL(in_fts, [query], BooleanField())
    # 1 when the name alone matches the query, 0 when the description is needed; partial matches (`any_word`)
    # first by how many words they match. All are uncorrelated subqueries SQLite evaluates once; bm25() would
    # need one full-text query per row.
    in_name = f"CASE WHEN {in_fts} THEN 1.0 ELSE 0.0 END"
    if any_word:
        last = len(groups) - 1
        words_matched = [fts5_query([group], prefix_last=i == last) for i, group in enumerate(groups)]
        rank = EntrySQL(
            " + ".join([in_name] * (len(groups) + 1)),
            [*words_matched, f"name_terms : ({query})"],
            FloatField(),
        )
    else:
        rank = EntrySQL(in_name, [f"name_terms : ({query})"], FloatField())
    return queryset.filter(match).annotate(search_rank=rank)


def apply_search(
    queryset: QuerySet[Organisation],
    q: str,
    *,
    any_word: bool = False,
    candidates: int | None = None,
    cache_key: str | None = None,
) -> QuerySet[Organisation]:
    """`queryset` narrowed to what matches `q`, annotated with `search_rank` and ordered by it, then by name.

    Every word must match; `any_word`: any word may (the partial matches the directory shows when nothing
    matches every word), those matching more words first. `candidates`: for a query known to match more than
    this many organisations, PostgreSQL ranks only that many name matches and that many matches of all (the
    directory pages through no more than that); the order of the rest is not looked at. Without it, every
    match is ranked. `cache_key`: where to keep those candidates for the next page of the same search (the
    key must change with the data). Typos are corrected before (`corrected`), not here.

    A lazy queryset that costs no query of its own (filters, count, slices and exports compose). A query
    without any searchable word (empty, spaces, punctuation, one-letter words) leaves the queryset's rows and
    order as they are (annotated with search_rank 0).
    """
    q = (q or "").strip()
    identifiers = identifier_candidates(q)
    if identifiers:
        found = queryset.filter(pk__in=_identified(queryset.db, identifiers))
        return found.annotate(search_rank=Value(1.0)).order_by("-search_rank", "name", "id")
    groups = query_groups(q)
    if not groups:
        return queryset.annotate(search_rank=Value(0.0))
    queryset = queryset.filter(search_entry__isnull=False)  # an inner join the conditions below reuse
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        return _postgresql_search(queryset, groups, candidates, cache_key, any_word=any_word)
    if vendor == "sqlite":
        return _ordered(_sqlite_search(queryset, groups, any_word=any_word))
    # No full-text index on this database: a plain scan of the folded names.
    text = fold(q)
    return _ordered(queryset.filter(search_entry__name_folded__contains=text).annotate(search_rank=Value(1.0)))


def _ordered(queryset: QuerySet) -> QuerySet:
    """Best `search_rank` first; ties in the order of the folded name, which sorts Polish names right ("Łąka"
    with the L's) and lets PostgreSQL sort the matching entries before joining the 20 organisations a page
    shows. The folded name is lower-case ASCII: byte order ("C") is the right order, and the fastest to sort."""
    name = F("search_entry__name_folded")
    postgresql = connections[queryset.db].vendor == "postgresql"
    return queryset.order_by("-search_rank", Collate(name, "C") if postgresql else name, "search_entry__id")
