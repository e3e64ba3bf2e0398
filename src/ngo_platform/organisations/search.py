"""Search of organisations: Polish lemmas in Python, the database's full-text index underneath.

Interface used by the rest of the app:
- `index_organisations(organisations)`: write/refresh their SearchEntry rows (services call it).
- `apply_search(queryset, q)`: filter an Organisation queryset by the query and order it by rank
  (annotation `search_rank`, higher is better; then by name, diacritics and case folded).

What a query does:
1. Digits only (spaces, dashes and a leading "KRS"/"NIP"/"REGON" ignored) of length 9, 10 or 14, or 5–8
   digits (a KRS number typed without its leading zeros): exact match on KRS, NIP or REGON, through
   the unique indexes of those columns.
2. Otherwise full-text over the lemmatised, folded terms (`core.lemmatiser`) of SearchEntry: every word
   of the query must match (its lemma or its surface form), the last word also as a prefix (search as
   you type) when it has 3 letters or more. A match in the name ranks above a match only in the
   description: PostgreSQL ranks by `ts_rank` over the name's own small tsvector (0 without a match
   there), SQLite by whether the name alone matches the whole query (1 or 0); then by folded name.
3. Typos, only when a word of the query is unknown to the dictionary and full-text finds nothing at all:
   full-text again with every unknown word cut to its first letters (4 to 6, ~60% of it) as a prefix
   (known words stay whole, so "fundajca kultury" does not become "funda… kult…"), and on
   PostgreSQL also names similar to the query (pg_trgm word similarity on `name_folded`, GIN index).
   Only as a fallback, because a trigram search for a common word ("stowarzyszenie") rechecks a large
   share of all names, far costlier than full-text; and only for unknown words because deciding costs
   one more query, an index scan as long as the search itself for a common word.

The database side (the PostgreSQL `vector` and `name_vector` columns, their trigger and indexes, the
SQLite FTS5 table and its triggers) is created by migration 0003; those columns are not model fields,
they exist on PostgreSQL only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connections
from django.db.models import BooleanField, Expression, F, FloatField, QuerySet, Value
from django.db.models.functions import Collate

from ngo_platform.core.lemmatiser import MIN_TOKEN_LENGTH, is_known, query_groups, terms, tokens
from ngo_platform.core.text import fold
from ngo_platform.organisations.freshness import directory_changes_on_commit
from ngo_platform.organisations.models import Organisation, SearchEntry

ENTRY_FIELDS = ["name_terms", "body_terms", "name_folded", "identifiers"]
FTS_TABLE = "organisations_searchentry_fts"
# SQLite typo fallback: each word is cut to ~60% of its letters (4 to 6) and searched as a prefix.
TYPO_PREFIX_SHARE, TYPO_PREFIX_MIN, TYPO_PREFIX_MAX = 0.6, 4, 6
# The last word of a query is also a prefix from this length on ("ku" would match a good part of the index).
MIN_PREFIX_LENGTH = 3
INDEX_BATCH_SIZE = 1000
# How long a broad search's candidates are kept (their key also changes with every write).
CANDIDATES_CACHE_SECONDS = 600

_IDENTIFIER_LABEL = re.compile(r"^\s*(krs|nip|regon)\b\s*(nr\b)?[\s:.]*", re.IGNORECASE)
_IDENTIFIER_SEPARATORS = re.compile(r"[\s\-‐‑‒–—/.]+")
_DIGITS = re.compile(r"[0-9]+")


# Writing the index ------------------------------------------------------------------------------


def entry_values(organisation: Organisation) -> dict[str, str]:
    """What the index stores for one organisation."""
    name = f"{organisation.name} {organisation.short_name or ''}".strip()
    body = " ".join(filter(None, [organisation.description_short, organisation.description, organisation.city]))
    return {
        "name_terms": " ".join(terms(name)),
        "body_terms": " ".join(terms(body)),
        "name_folded": fold(name)[: SearchEntry._meta.get_field("name_folded").max_length],
        "identifiers": " ".join(filter(None, [organisation.krs, organisation.nip, organisation.regon])),
    }


def index_organisations(organisations: Iterable[Organisation]) -> None:
    """Write or refresh the SearchEntry of each (saved) organisation: one upsert per 1,000 of them.

    The caller's transaction covers it; the database's triggers bring its full-text index along, and
    the directory's cached pages and counts expire when it commits.
    """
    entries = [SearchEntry(organisation_id=o.pk, **entry_values(o)) for o in organisations]
    if not entries:
        return
    SearchEntry.objects.bulk_create(
        entries,
        batch_size=INDEX_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["organisation"],
        update_fields=ENTRY_FIELDS,
    )
    directory_changes_on_commit()


# Reading it -------------------------------------------------------------------------------------


class EntrySQL(Expression):
    """SQL about the organisation's own SearchEntry row, which it joins; `{t}` in `sql` stands for
    that row's table alias (whatever alias Django gives the join, also inside subqueries)."""

    def __init__(self, sql: str, params=(), output_field=None):
        super().__init__(output_field=output_field)
        self.sql, self.params = sql, tuple(params)
        self.entry = F("search_entry__id")

    def __repr__(self):
        return f"{self.__class__.__name__}({self.sql!r}, {self.params!r})"

    def get_source_expressions(self):
        return [self.entry]

    def set_source_expressions(self, exprs):
        (self.entry,) = exprs

    def as_sql(self, compiler, connection):
        return self.sql.replace("{t}", compiler.quote_name_unless_alias(self.entry.alias)), list(self.params)


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
        for field in ("krs", "nip") if len(number) == 10 else ("regon",):
            fields.setdefault(field, []).append(number)
    lookups = [
        Organisation.objects.using(db).filter(**{f"{field}__in": numbers}).order_by().values("pk")
        for field, numbers in fields.items()
    ]
    return lookups[0].union(*lookups[1:]) if len(lookups) > 1 else lookups[0]


def _tsquery(groups: list[tuple[str, ...]], *, prefixed: frozenset[int] | None = None) -> str:
    """A to_tsquery() text: groups ANDed, alternatives ORed, the last group as prefixes. Each term is
    quoted (terms are letters and digits already; quoting keeps tsquery syntax out regardless). It is
    passed as a bound parameter."""

    def lexeme(term: str, prefix: bool) -> str:
        prefix = prefix and len(term) >= MIN_PREFIX_LENGTH
        return "'" + term.replace("\\", "").replace("'", "''") + "'" + (":*" if prefix else "")

    last = len(groups) - 1
    return " & ".join(
        "(" + " | ".join(lexeme(term, i in prefixed if prefixed is not None else i == last) for term in group) + ")"
        for i, group in enumerate(groups)
    )


def _fts5_query(groups: list[tuple[str, ...]], *, prefixed: frozenset[int] | None = None) -> str:
    """An FTS5 MATCH expression: groups ANDed, alternatives ORed, each term a quoted string."""

    def string(term: str, prefix: bool) -> str:
        prefix = prefix and len(term) >= MIN_PREFIX_LENGTH
        return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")

    last = len(groups) - 1
    return " AND ".join(
        "(" + " OR ".join(string(term, i in prefixed if prefixed is not None else i == last) for term in group) + ")"
        for i, group in enumerate(groups)
    )


def _typo_prefix(term: str) -> str:
    """ "caritsa" → "cari", "przyjaciol" → "przyja": long enough to stay specific, short enough to end
    before most typos."""
    return term[: max(TYPO_PREFIX_MIN, min(TYPO_PREFIX_MAX, round(len(term) * TYPO_PREFIX_SHARE)))]


def _typo_groups(q: str, groups: list[tuple[str, ...]]) -> tuple[list[tuple[str, ...]], frozenset[int]]:
    """The groups of a query with a typo: each word unknown to the dictionary cut to its first letters
    as a prefix; known words stay whole (the last one still a prefix, as typed). Also the indexes of
    the groups to match as prefixes. "fundajca kultury" → [("funda",), ("kultura", "kultury")], {0, 1}."""
    unknown = {group for token in tokens(q) if not is_known(token) for group in query_groups(token)}
    cut = [
        tuple(dict.fromkeys(_typo_prefix(term) for term in group)) if group in unknown else group for group in groups
    ]
    prefixed = frozenset(i for i, group in enumerate(groups) if group in unknown or i == len(groups) - 1)
    return cut, prefixed


def _may_be_misspelt(q: str) -> bool:
    """Whether a word of the query is unknown to the dictionary (a typo, a name, a word half typed).

    Only then is it worth asking whether full-text finds anything before looking for similar names:
    that question costs a second index scan, as long as the real one for a common word.
    """
    return any(not is_known(token) for token in tokens(q) if len(token) >= MIN_TOKEN_LENGTH)


def _matches_anything(db: str, sql: str, params: list) -> bool:
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def _postgresql_search(
    queryset: QuerySet, q: str, groups: list[tuple[str, ...]], candidates: int | None, cache_key: str | None
) -> QuerySet:
    tsquery = _tsquery(groups)
    # A broad search's candidates (and whether it is a typo) are what its pages share: kept under
    # `cache_key` (which the caller ties to the data version), the next page or filter order reuses them.
    remembered = cache.get(cache_key) if candidates and cache_key else None
    if remembered is not None:
        typo = remembered["typo"]
    else:
        typo = _may_be_misspelt(q) and not _matches_anything(
            queryset.db,
            # Materialised, so it is planned without the LIMIT: on its own, LIMIT 1 makes a table scan look
            # cheap ("a match will turn up soon"), which reads every row's vector when nothing matches.
            "WITH found AS MATERIALIZED (SELECT 1 FROM organisations_searchentry"
            " WHERE vector @@ to_tsquery('simple', %s)) SELECT 1 FROM found LIMIT 1",
            [tsquery],
        )
    if typo:
        # Names similar to the query (pg_trgm word similarity, GIN index on name_folded), or, as on
        # SQLite, entries with every word's first letters (the other GIN index): a BitmapOr of both.
        text = " ".join(fold(token) for token in tokens(q))
        cut, prefixed = _typo_groups(q, groups)
        prefixes = _tsquery(cut, prefixed=prefixed)
        in_name = EntrySQL("%s <%% {t}.name_folded", [text], BooleanField())
        by_prefix = EntrySQL("{t}.vector @@ to_tsquery('simple', %s)", [prefixes], BooleanField())
        match = EntrySQL(
            "(%s <%% {t}.name_folded OR {t}.vector @@ to_tsquery('simple', %s))", [text, prefixes], BooleanField()
        )
        rest = by_prefix  # what tops up the similar names: one GIN index, no second trigram scan
        rank = EntrySQL("word_similarity(%s, {t}.name_folded)", [text], FloatField())
    else:
        # Matched on the GIN index over name and body; ranked by the name alone (small, kept in the
        # row, so ranking thousands of matches costs little): 0 for a match only in the description.
        in_name = EntrySQL("{t}.name_vector @@ to_tsquery('simple', %s)", [tsquery], BooleanField())
        match = EntrySQL("{t}.vector @@ to_tsquery('simple', %s)", [tsquery], BooleanField())
        rest = match
        rank = EntrySQL("ts_rank({t}.name_vector, to_tsquery('simple', %s))", [tsquery], FloatField())
    if candidates:
        # Too many matches to rank them all within a page's time (ranking means reading every matching
        # row): rank the first `candidates` name matches (GIN index on the name's terms) and, only when
        # there are fewer, as many of the matches in the description, each read no further than that.
        def first(condition, limit):
            return list(queryset.filter(condition).order_by().values_list("pk", flat=True)[:limit])

        if remembered is not None:
            chosen = remembered["chosen"]
        else:
            chosen = first(in_name, candidates)
            if len(chosen) < candidates:
                chosen += first(rest & ~in_name, candidates - len(chosen))
            if cache_key:
                cache.set(cache_key, {"typo": typo, "chosen": chosen}, CANDIDATES_CACHE_SECONDS)
        return queryset.filter(pk__in=chosen).annotate(search_rank=rank)
    return queryset.filter(match).annotate(search_rank=rank)


def _sqlite_search(queryset: QuerySet, q: str, groups: list[tuple[str, ...]]) -> QuerySet:
    query = _fts5_query(groups)
    if _may_be_misspelt(q) and not _matches_anything(
        queryset.db, f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT 1", [query]
    ):
        cut, prefixed = _typo_groups(q, groups)
        query = _fts5_query(cut, prefixed=prefixed)
    in_fts = f"{{t}}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
    match = EntrySQL(in_fts, [query], BooleanField())
    # 1 when the name alone matches the whole query, 0 when the description is needed. Both are
    # uncorrelated subqueries SQLite evaluates once; bm25() would need one full-text query per row.
    rank = EntrySQL(f"CASE WHEN {in_fts} THEN 1.0 ELSE 0.0 END", [f"name_terms : ({query})"], FloatField())
    return queryset.filter(match).annotate(search_rank=rank)


def apply_search(
    queryset: QuerySet[Organisation], q: str, *, candidates: int | None = None, cache_key: str | None = None
) -> QuerySet[Organisation]:
    """`queryset` narrowed to what matches `q`, annotated with `search_rank` and ordered by it, then by name.

    `candidates`: for a query known to match more than this many organisations, PostgreSQL ranks only
    that many name matches and that many matches of all (the directory pages through no more than
    that); the order of the rest is not looked at. Without it, every match is ranked. `cache_key`: where
    to keep those candidates for the next page of the same search (the key must change with the data).

    Still a lazy queryset (filters, count, slices and exports compose). When a word of `q` is unknown to
    the dictionary it runs one small query now (does full-text match anything, or is it a typo?). A query
    without any searchable word (empty, spaces, punctuation, one-letter words) leaves the queryset's rows
    and order as they are (annotated with search_rank 0).
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
        queryset = _postgresql_search(queryset, q, groups, candidates, cache_key)
    elif vendor == "sqlite":
        queryset = _sqlite_search(queryset, q, groups)
    else:  # no full-text index on this database: a plain scan of the folded names
        text = fold(q)
        queryset = queryset.filter(search_entry__name_folded__contains=text).annotate(search_rank=Value(1.0))
    # Ties in the order of the folded name, which sorts Polish names right ("Łąka" with the L's) and
    # lets PostgreSQL sort the matching entries before joining the 20 organisations a page shows. The
    # folded name is lower-case ASCII: byte order ("C") is the right order, and the fastest to sort.
    name = F("search_entry__name_folded")
    return queryset.order_by("-search_rank", Collate(name, "C") if vendor == "postgresql" else name, "search_entry__id")
