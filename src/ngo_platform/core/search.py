"""Full-text search of any module: Polish lemmas in Python (`core.lemmatiser`), the database's index underneath.

A module that searches keeps an entry table beside what it searches (one row per object, a one-to-one named
`search_entry`), with `name_terms` (the title's terms, ranked first), `body_terms` (the rest) and `name_folded`
(the title folded, for the order of ties). Its migration creates the database's index with `index_sql(table)`:
on PostgreSQL, `vector` and `name_vector` tsvector columns kept by a trigger with the `simple` configuration
(the terms are lemmatised and folded already) and a GIN index; on SQLite, an FTS5 table with external content
kept by triggers. The directory of organisations (`organisations.search`) was the first such index and has
more of its own (identifiers, typo corrections, ranked candidates); the library's documents use `matching`.

Every word of a query must match (its lemma or its surface form), the last also as a prefix from
MIN_PREFIX_LENGTH letters on (search as you type); a match in the title ranks above a match in the body only.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import BooleanField, Expression, F, FloatField, QuerySet, Value
from django.db.models.functions import Collate

from ngo_platform.core.lemmatiser import query_groups, terms
from ngo_platform.core.text import fold

# The last word of a query is also a prefix from this length on ("ku" would match a good part of the index).
MIN_PREFIX_LENGTH = 3


def entry_values(title: str, body: str, *, folded_limit: int) -> dict[str, str]:
    """What an entry stores for an object of this title and body."""
    return {
        "name_terms": " ".join(terms(title)),
        "body_terms": " ".join(terms(body)),
        "name_folded": fold(title)[:folded_limit],
    }


class EntrySQL(Expression):
    """SQL about the object's own entry row, which it joins through `entry` (the one-to-one's name); `{t}` in
    `sql` stands for that row's table alias (whatever alias Django gives the join, also inside subqueries)."""

    def __init__(self, sql: str, params=(), output_field=None, *, entry: str | None = "search_entry"):
        super().__init__(output_field=output_field)
        self.sql, self.params = sql, tuple(params)
        self.entry = F(f"{entry}__id" if entry else "id")  # `entry=None`: a query of the entry table itself

    def __repr__(self):
        return f"{self.__class__.__name__}({self.sql!r}, {self.params!r})"

    def get_source_expressions(self):
        return [self.entry]

    def set_source_expressions(self, exprs):
        (self.entry,) = exprs

    def as_sql(self, compiler, connection):
        return self.sql.replace("{t}", compiler.quote_name_unless_alias(self.entry.alias)), list(self.params)


def tsquery(groups: list[tuple[str, ...]], *, joiner: str = " & ", prefix_last: bool = True) -> str:
    """A to_tsquery() text: groups ANDed (`joiner` " | ": ORed), alternatives ORed, the last group also as
    prefixes. Each term is quoted (terms are letters and digits already; quoting keeps tsquery syntax out
    regardless). It is passed as a bound parameter."""

    def lexeme(term: str, prefix: bool) -> str:
        prefix = prefix and len(term) >= MIN_PREFIX_LENGTH
        return "'" + term.replace("\\", "").replace("'", "''") + "'" + (":*" if prefix else "")

    last = len(groups) - 1
    return joiner.join(
        "(" + " | ".join(lexeme(term, prefix_last and i == last) for term in group) + ")"
        for i, group in enumerate(groups)
    )


def fts5_query(groups: list[tuple[str, ...]], *, joiner: str = " AND ", prefix_last: bool = True) -> str:
    """An FTS5 MATCH expression: groups ANDed (`joiner` " OR ": ORed), alternatives ORed, each term a quoted
    string, the last group also as prefixes."""

    def string(term: str, prefix: bool) -> str:
        prefix = prefix and len(term) >= MIN_PREFIX_LENGTH
        return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")

    last = len(groups) - 1
    return joiner.join(
        "(" + " OR ".join(string(term, prefix_last and i == last) for term in group) + ")"
        for i, group in enumerate(groups)
    )


def _conditions(groups, vendor: str, entry_table: str, entry: str | None):
    """(match, rank, folded name) expressions of a query's word groups about the entry joined through `entry`
    (None: the entry table itself), or None on a database without a full-text index."""
    name = F(f"{entry}__name_folded" if entry else "name_folded")
    if vendor == "postgresql":
        text = tsquery(groups)
        matches = f"{entry_table}_matching(to_tsquery('simple', %s))"  # the GIN index, always (match_function_sql)
        match = EntrySQL(f"{{t}}.id IN (SELECT {matches})", [text], BooleanField(), entry=entry)
        rank = EntrySQL("ts_rank({t}.name_vector, to_tsquery('simple', %s))", [text], FloatField(), entry=entry)
        return match, rank, Collate(name, "C")  # lower-case ASCII: byte order is the right order, and the fastest
    if vendor == "sqlite":
        text, fts = fts5_query(groups), f"{entry_table}_fts"
        in_fts = f"{{t}}.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"
        match = EntrySQL(in_fts, [text], BooleanField(), entry=entry)
        rank = EntrySQL(
            f"CASE WHEN {in_fts} THEN 1.0 ELSE 0.0 END", [f"name_terms : ({text})"], FloatField(), entry=entry
        )
        return match, rank, name
    return None


def matching(queryset: QuerySet, q: str, *, entry_table: str, entry: str = "search_entry") -> QuerySet:
    """`queryset` narrowed to what matches every word of `q`, annotated with `search_rank` (higher is better: a
    match in the title first) and ordered by it, then by the folded title. A query with no searchable word
    leaves the queryset as it is. A lazy queryset: no query of its own. For a list that pages through many
    matches, `RankedMatches` ranks them without joining what each shows."""
    groups = query_groups((q or "").strip())
    if not groups:
        return queryset.annotate(search_rank=Value(0.0))
    queryset = queryset.filter(**{f"{entry}__isnull": False})  # an inner join the conditions below reuse
    found = _conditions(groups, connections[queryset.db].vendor, entry_table, entry)
    if found is None:  # no full-text index on this database: the folded titles
        return queryset.filter(**{f"{entry}__name_folded__contains": fold(q)}).annotate(search_rank=Value(1.0))
    match, rank, name = found
    return queryset.filter(match).annotate(search_rank=rank).order_by("-search_rank", name, f"{entry}__id")


class RankedMatches:
    """What of `queryset` matches every word of `q`, in `matching`'s order, as a sequence for a Paginator: the
    matches ranked on the entry table alone, once (the rank is the title's, kept in the entry's row; the list of
    their ids is both the count and every page), then only a page's objects read from `queryset` with whatever it
    selects along. Two queries a page, as `matching`'s count and page, but the matches are found and ranked once
    and joined to nothing: on PostgreSQL by `<table>_ranked` (`index_sql` with `owner`, `ranked_function_sql`),
    the queryset's filters then keeping only their objects' ids. `matching` joined every match to what a row
    shows before sorting them (4,406 of 10,000 library documents for «programu współpracy»: 35 ms → 9 ms). Meant
    for a collection of some ten thousand objects (a list of every match's id)."""

    def __init__(self, queryset: QuerySet, q: str, *, entry_table: str, entry: str = "search_entry"):
        groups = query_groups((q or "").strip())
        vendor = connections[queryset.db].vendor
        self.queryset, self._ids, self.plain, self.sql = queryset, None, None, None
        if not groups or vendor not in ("postgresql", "sqlite"):  # nothing to rank, or no full-text index
            self.plain = matching(queryset, q, entry_table=entry_table, entry=entry)
            return
        filtered = queryset.query.has_filters()
        if vendor == "postgresql":  # ranked in the database's function, then narrowed by the queryset's filters
            sql = f"SELECT r.id FROM {entry_table}_ranked(to_tsquery('simple', %s)) WITH ORDINALITY AS r(id, n)"
            params = [tsquery(groups)]
            if filtered:
                inner, inner_params = queryset.order_by().values("pk").query.sql_with_params()
                sql, params = f"{sql} WHERE r.id IN ({inner})", [*params, *inner_params]
            self.sql = (f"{sql} ORDER BY r.n", params)
            return
        relation = queryset.model._meta.get_field(entry)
        owner = relation.field.name  # the entry's one-to-one to the object
        entries = relation.related_model.objects.using(queryset.db)
        if filtered:
            entries = entries.filter(**{f"{owner}__in": queryset.order_by().values("pk")})
        match, rank, name = _conditions(groups, vendor, entry_table, None)
        ranked = entries.filter(match).annotate(search_rank=rank).order_by("-search_rank", name, "id")
        self.ranked = ranked.values_list(f"{owner}_id", flat=True)

    def ids(self) -> list[int]:
        """The matching objects' ids, best first."""
        if self._ids is None:
            if self.sql is None:
                self._ids = list(self.ranked)
            else:
                with connections[self.queryset.db].cursor() as cursor:
                    cursor.execute(*self.sql)
                    self._ids = [row[0] for row in cursor.fetchall()]
        return self._ids

    def count(self) -> int:
        return self.plain.count() if self.plain is not None else len(self.ids())

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[0 : self.count()])

    def __getitem__(self, index):
        if self.plain is not None:
            return self.plain[index]
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self.ids()[index]
        found = {item.pk: item for item in self.queryset.filter(pk__in=ids).order_by()}
        return [found[pk] for pk in ids if pk in found]


def title_matches(entry_table: str, owner: str, words, *, limit: int, using: str = "default") -> list[int]:
    """The `owner` column (the object's id) of at most `limit` entries whose title has any of `words` (terms as
    the index holds them), those sharing more first: candidates by name, read on the index of the titles (on
    PostgreSQL a GIN index on `name_vector`, which the entry table must have)."""
    words = list(dict.fromkeys(words))
    vendor = connections[using].vendor
    if not words or vendor not in ("postgresql", "sqlite"):
        return []
    groups = [(word,) for word in words]
    if vendor == "postgresql":
        sql = (
            f"SELECT {owner} FROM {entry_table} WHERE name_vector @@ to_tsquery('simple', %s)"
            f" ORDER BY ts_rank(name_vector, to_tsquery('simple', %s)) DESC, id LIMIT %s"
        )
        text = tsquery(groups, joiner=" | ", prefix_last=False)
        params = [text, text, limit]
    else:
        fts = f"{entry_table}_fts"
        sql = (
            f"SELECT e.{owner} FROM {fts} JOIN {entry_table} e ON e.id = {fts}.rowid"
            f" WHERE {fts} MATCH %s ORDER BY {fts}.rank, e.id LIMIT %s"
        )
        params = ["name_terms : (" + fts5_query(groups, joiner=" OR ", prefix_last=False) + ")", limit]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def match_function_sql(table: str) -> tuple[str, str]:
    """(create, drop) of `<table>_matching(tsquery)`: the ids of the entries whose vector matches, always read
    through the GIN index. The planner prices a sequential scan by the heap's pages alone, and the vectors live
    out of line (`toast_tuple_target`), so on a table of some thousand entries it would read and decompress every
    vector (35 ms at 10,000 library documents, seconds with long texts) rather than ask the index (2 ms): a
    prefix term makes its estimate of the index dear. The function's own `SET` keeps that choice inside it."""
    return (
        f"""CREATE OR REPLACE FUNCTION {table}_matching(query tsquery) RETURNS SETOF bigint
            LANGUAGE sql STABLE SET enable_seqscan = off
            AS $$ SELECT id FROM {table} WHERE vector @@ query $$""",
        f"DROP FUNCTION IF EXISTS {table}_matching(tsquery)",
    )


def ranked_function_sql(table: str, owner: str) -> tuple[str, str]:
    """(create, drop) of `<table>_ranked(tsquery)`: the `owner` column (the object's id) of every matching entry,
    best first (`matching`'s order), read through the GIN index as `match_function_sql`'s. What `RankedMatches`
    pages through on PostgreSQL: ranked in one statement (9 ms for 4,406 of 10,000 library documents, where
    joining the entries back to `<table>_matching` took 20 ms)."""
    return (
        f"""CREATE OR REPLACE FUNCTION {table}_ranked(query tsquery) RETURNS SETOF bigint
            LANGUAGE sql STABLE SET enable_seqscan = off
            AS $$ SELECT {owner} FROM {table} WHERE vector @@ query
                  ORDER BY ts_rank(name_vector, query) DESC, name_folded COLLATE "C", id $$""",
        f"DROP FUNCTION IF EXISTS {table}_ranked(tsquery)",
    )


def index_sql(table: str, owner: str | None = None) -> dict[str, list[str]]:
    """The statements that create (and drop) the database's index over the entry table `table`:
    {"postgresql": [...], "postgresql_drop": [...], "sqlite": [...], "sqlite_drop": [...]}. SQLite's FTS5 table
    is `<table>_fts`. On SQLite a later migration that alters `table` drops the triggers: run these again. With
    `owner` (the entry's column of the object's id), PostgreSQL also gets `ranked_function_sql`'s function."""
    fts = f"{table}_fts"
    ranked = [ranked_function_sql(table, owner)] if owner else []
    return {
        "postgresql": [
            f"""ALTER TABLE {table} ADD COLUMN vector tsvector, ADD COLUMN name_vector tsvector,
                ALTER COLUMN vector SET STATISTICS 0, ALTER COLUMN name_vector SET STATISTICS 0,
                ALTER COLUMN name_vector SET STORAGE PLAIN, ALTER COLUMN name_folded SET STORAGE PLAIN,
                SET (toast_tuple_target = 128)""",
            f"""CREATE OR REPLACE FUNCTION {table}_vector() RETURNS trigger AS $$
                BEGIN
                    NEW.name_vector := setweight(to_tsvector('simple', coalesce(NEW.name_terms, '')), 'A');
                    NEW.vector := NEW.name_vector
                        || setweight(to_tsvector('simple', coalesce(NEW.body_terms, '')), 'C');
                    RETURN NEW;
                END;
                $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {table}_vector BEFORE INSERT OR UPDATE OF name_terms, body_terms ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_vector()""",
            f"CREATE INDEX {table}_vector_gin ON {table} USING gin (vector)",
            match_function_sql(table)[0],
            *(create for create, _drop in ranked),
        ],
        "postgresql_drop": [
            *(drop for _create, drop in ranked),
            match_function_sql(table)[1],
            f"DROP INDEX IF EXISTS {table}_vector_gin",
            f"DROP TRIGGER IF EXISTS {table}_vector ON {table}",
            f"DROP FUNCTION IF EXISTS {table}_vector()",
            f"ALTER TABLE {table} DROP COLUMN IF EXISTS vector, DROP COLUMN IF EXISTS name_vector",
        ],
        "sqlite": [
            f"""CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(name_terms, body_terms,
                content='{table}', content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
            f"""CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN
                INSERT INTO {fts}(rowid, name_terms, body_terms) VALUES (new.id, new.name_terms, new.body_terms);
            END""",
            f"""CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN
                INSERT INTO {fts}({fts}, rowid, name_terms, body_terms)
                VALUES ('delete', old.id, old.name_terms, old.body_terms);
            END""",
            f"""CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE ON {table} BEGIN
                INSERT INTO {fts}({fts}, rowid, name_terms, body_terms)
                VALUES ('delete', old.id, old.name_terms, old.body_terms);
                INSERT INTO {fts}(rowid, name_terms, body_terms) VALUES (new.id, new.name_terms, new.body_terms);
            END""",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        ],
        "sqlite_drop": [
            f"DROP TRIGGER IF EXISTS {fts}_update",
            f"DROP TRIGGER IF EXISTS {fts}_delete",
            f"DROP TRIGGER IF EXISTS {fts}_insert",
            f"DROP TABLE IF EXISTS {fts}",
        ],
    }


def _run(statements: dict[str, list[str]]):
    def run(which):
        def operation(apps, schema_editor):
            vendor = schema_editor.connection.vendor
            for statement in statements.get(vendor + which, []):  # one by one: SQLite runs one per call
                schema_editor.execute(statement)

        return operation

    return run(""), run("_drop")


def create_index(table: str, owner: str | None = None):
    """A migration's RunPython pair (forwards, backwards) creating the index of `index_sql(table, owner)`."""
    return _run(index_sql(table, owner))


def complete_index(table: str, owner: str):
    """A migration's RunPython pair bringing an index made by an earlier `index_sql` up to `index_sql(table,
    owner)`: the match and ranking functions, and the folded title kept in the row (PLAIN; `toast_tuple_target`
    had moved it out of line, so ordering the matches by it read the TOAST table for each), existing values
    rewritten to move back."""
    (match, match_drop), (ranked, ranked_drop) = match_function_sql(table), ranked_function_sql(table, owner)
    storage = f"ALTER TABLE {table} ALTER COLUMN name_folded SET STORAGE PLAIN"
    rewrite = f"UPDATE {table} SET name_folded = name_folded || ''"
    return _run({"postgresql": [match, ranked, storage, rewrite], "postgresql_drop": [ranked_drop, match_drop]})
