"""Search of organisations: Polish lemmas in Python, the database's full-text index underneath.

Interface used by the rest of the app:
- `index_organisations(organisations)`: write/refresh their SearchEntry rows (services call it).
- `apply_search(queryset, q)`: filter an Organisation queryset by the query and order it by rank
  (annotation `search_rank`, higher is better; then name).

What a query does:
1. Digits only (spaces, dashes and a leading "KRS"/"NIP"/"REGON" ignored) of length 9, 10 or 14, or 5–8
   digits (a KRS number typed without its leading zeros): exact match on KRS, NIP or REGON, through
   the unique indexes of those columns.
2. Otherwise full-text over the lemmatised, folded terms (`core.lemmatiser`) of SearchEntry: every word of the
   query must match (its lemma or its surface form), the last word also as a prefix (search as you type).
   Name terms weigh more than body terms (PostgreSQL: weights A and C in `ts_rank`; SQLite: `bm25`
   with column weights 10 and 1), so a match in the name ranks above a match only in the description.
3. Typos, only when full-text finds nothing at all: PostgreSQL looks for names similar to the query
   (pg_trgm word similarity on `name_folded`, GIN index); SQLite retries full-text with every word cut
   to its first letters (4 to 6, ~60% of it) as a prefix. Only as a fallback because a trigram search on a common word
   ("stowarzyszenie") has to recheck a large share of all names, which costs far more than full-text;
   deciding costs one cheap query (does the full-text query match any entry at all?).

The database side (the PostgreSQL `vector` column, its trigger and indexes, the SQLite FTS5 table and its
triggers) is created by migration 0003; `vector` is not a model field, it exists on PostgreSQL only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connections
from django.db.models import BooleanField, Expression, F, FloatField, Q, QuerySet, Value

from ngo_platform.core.lemmatiser import query_groups, terms, tokens
from ngo_platform.core.text import fold
from ngo_platform.organisations.models import Organisation, SearchEntry

ENTRY_FIELDS = ["name_terms", "body_terms", "name_folded", "identifiers"]
FTS_TABLE = "organisations_searchentry_fts"
# Weights of ts_rank, in the order {D, C, B, A}: names are A, descriptions C (migration 0003).
PG_RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
# bm25 weights of the FTS5 columns (name_terms, body_terms).
SQLITE_BM25 = f"bm25({FTS_TABLE}, 10.0, 1.0)"
# SQLite typo fallback: each word is cut to ~60% of its letters (4 to 6) and searched as a prefix.
TYPO_PREFIX_SHARE, TYPO_PREFIX_MIN, TYPO_PREFIX_MAX = 0.6, 4, 6
INDEX_BATCH_SIZE = 1000

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

    The caller's transaction covers it; the database's triggers bring its full-text index along.
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


def _tsquery(groups: list[tuple[str, ...]], *, weights: str = "") -> str:
    """A to_tsquery() text: groups ANDed, alternatives ORed, the last group as prefixes. Each term is
    quoted (terms are letters and digits already; quoting keeps tsquery syntax out regardless)."""

    def lexeme(term: str, prefix: bool) -> str:
        quoted = "'" + term.replace("\\", "").replace("'", "''") + "'"
        return quoted + (":*" + weights if prefix else (":" + weights if weights else ""))

    last = len(groups) - 1
    return " & ".join(
        "(" + " | ".join(lexeme(term, i == last) for term in group) + ")" for i, group in enumerate(groups)
    )


def _fts5_query(groups: list[tuple[str, ...]], *, prefix_all: bool = False) -> str:
    """An FTS5 MATCH expression: groups ANDed, alternatives ORed, each term a quoted string."""

    def string(term: str, prefix: bool) -> str:
        return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")

    last = len(groups) - 1
    return " AND ".join(
        "(" + " OR ".join(string(term, prefix_all or i == last) for term in group) + ")"
        for i, group in enumerate(groups)
    )


def _typo_prefix(term: str) -> str:
    """ "caritsa" → "cari", "przyjaciol" → "przyja": long enough to stay specific, short enough to end
    before most typos."""
    return term[: max(TYPO_PREFIX_MIN, min(TYPO_PREFIX_MAX, round(len(term) * TYPO_PREFIX_SHARE)))]


def _typo_groups(groups: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return [tuple(dict.fromkeys(_typo_prefix(term) for term in group)) for group in groups]


def _matches_anything(db: str, sql: str, params: list) -> bool:
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def _postgresql_search(queryset: QuerySet, q: str, groups: list[tuple[str, ...]]) -> QuerySet:
    tsquery = _tsquery(groups)
    if _matches_anything(
        queryset.db,
        "SELECT 1 FROM organisations_searchentry WHERE vector @@ to_tsquery('simple', %s) LIMIT 1",
        [tsquery],
    ):
        match = EntrySQL("{t}.vector @@ to_tsquery('simple', %s)", [tsquery], BooleanField())
        rank = EntrySQL(f"ts_rank('{PG_RANK_WEIGHTS}', {{t}}.vector, to_tsquery('simple', %s))", [tsquery], FloatField())
    else:
        text = " ".join(fold(token) for token in tokens(q))
        match = EntrySQL("%s <%% {t}.name_folded", [text], BooleanField())
        rank = EntrySQL("word_similarity(%s, {t}.name_folded)", [text], FloatField())
    return queryset.filter(match).annotate(search_rank=rank)


def _sqlite_search(queryset: QuerySet, q: str, groups: list[tuple[str, ...]]) -> QuerySet:
    query = _fts5_query(groups)
    if not _matches_anything(
        queryset.db, f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT 1", [query]
    ):
        query = _fts5_query(_typo_groups(groups), prefix_all=True)
    match = EntrySQL(f"{{t}}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)", [query], BooleanField())
    rank = EntrySQL(
        f"(SELECT -{SQLITE_BM25} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid = {{t}}.id)",
        [query],
        FloatField(),
    )
    return queryset.filter(match).annotate(search_rank=rank)


def apply_search(queryset: QuerySet[Organisation], q: str) -> QuerySet[Organisation]:
    """`queryset` narrowed to what matches `q`, annotated with `search_rank` and ordered by it, then by name.

    Still a lazy queryset (filters, count, slices and exports compose); it costs one extra small query now
    (does full-text match anything?) unless `q` is an identifier. A query without any searchable word
    (empty, spaces, punctuation, one-letter words) leaves the queryset's rows and order as they are.
    """
    q = (q or "").strip()
    identifiers = identifier_candidates(q)
    if identifiers:
        found = Q(krs__in=identifiers) | Q(nip__in=identifiers) | Q(regon__in=identifiers)
        return queryset.filter(found).annotate(search_rank=Value(1.0)).order_by("-search_rank", "name", "id")
    groups = query_groups(q)
    if not groups:
        return queryset.annotate(search_rank=Value(0.0))
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        queryset = _postgresql_search(queryset, q, groups)
    elif vendor == "sqlite":
        queryset = _sqlite_search(queryset, q, groups)
    else:  # no full-text index on this database: a plain scan of the folded names
        text = fold(q)
        queryset = queryset.filter(search_entry__name_folded__contains=text).annotate(search_rank=Value(1.0))
    return queryset.order_by("-search_rank", "name", "id")
