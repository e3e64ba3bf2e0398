"""The database's own search index over `SearchEntry` (see `organisations.search`).

PostgreSQL: a `vector` tsvector column (not in the Django model: it exists on PostgreSQL only) kept by a
BEFORE INSERT/UPDATE trigger as name terms weighted A and body terms weighted C, with the `simple`
configuration (the terms are already lemmatised and folded in Python), and a GIN index on it; beside it
`name_vector`, the name terms alone, small and kept in the row: ranking by it costs next to nothing, where
`ts_rank` over `vector` would decompress every matching row's whole vector (~4x slower for common words).
pg_trgm and a GIN trigram index on `name_folded` for typos.

SQLite: an FTS5 table with external content (the rows of organisations_searchentry) kept in sync by the
documented AFTER INSERT/UPDATE/DELETE triggers.

Existing entries (written by the interim search, which did not lemmatise) are rewritten here.

Caution for later migrations: on SQLite, Django alters a table by copying it into a new one, which drops
the triggers below. A migration that alters organisations_searchentry must run `sqlite_create` again.
"""

from django.db import DatabaseError, migrations, transaction

PG_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    ALTER TABLE organisations_searchentry
        ADD COLUMN vector tsvector,
        ADD COLUMN name_vector tsvector,
        -- No statistics: without them the planner takes every full-text match for selective and
        -- always uses the GIN index. With them it scans the table for common words, which means
        -- decompressing every row's vector (~1 s at 150,000 organisations instead of ~40 ms).
        ALTER COLUMN vector SET STATISTICS 0,
        ALTER COLUMN name_vector SET STATISTICS 0,
        -- What each matching row is ranked and rechecked by stays in the row, uncompressed...
        ALTER COLUMN name_vector SET STORAGE PLAIN,
        ALTER COLUMN name_folded SET STORAGE PLAIN,
        -- ...while the long columns move out of it, so the rows a search visits are small and dense.
        SET (toast_tuple_target = 128)
    """,
    """
    CREATE OR REPLACE FUNCTION organisations_searchentry_vector() RETURNS trigger AS $$
    BEGIN
        NEW.name_vector := setweight(to_tsvector('simple', coalesce(NEW.name_terms, '')), 'A');
        NEW.vector := NEW.name_vector || setweight(to_tsvector('simple', coalesce(NEW.body_terms, '')), 'C');
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER organisations_searchentry_vector
        BEFORE INSERT OR UPDATE OF name_terms, body_terms ON organisations_searchentry
        FOR EACH ROW EXECUTE FUNCTION organisations_searchentry_vector()
    """,
]
# Built after the existing entries are rewritten (once, rather than kept up through every rewrite).
PG_INDEXES = [
    "CREATE INDEX organisations_searchentry_vector_gin ON organisations_searchentry USING gin (vector)",
    """
    CREATE INDEX organisations_searchentry_name_trgm
        ON organisations_searchentry USING gin (name_folded gin_trgm_ops)
    """,
]
PG_DROP = [
    "DROP INDEX IF EXISTS organisations_searchentry_name_trgm",
    "DROP INDEX IF EXISTS organisations_searchentry_vector_gin",
    "DROP TRIGGER IF EXISTS organisations_searchentry_vector ON organisations_searchentry",
    "DROP FUNCTION IF EXISTS organisations_searchentry_vector()",
    """
    ALTER TABLE organisations_searchentry
        DROP COLUMN IF EXISTS vector,
        DROP COLUMN IF EXISTS name_vector,
        ALTER COLUMN name_folded SET STORAGE EXTENDED,
        RESET (toast_tuple_target)
    """,
]

SQLITE_CREATE = [
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS organisations_searchentry_fts USING fts5(
        name_terms, body_terms,
        content='organisations_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS organisations_searchentry_fts_insert
    AFTER INSERT ON organisations_searchentry BEGIN
        INSERT INTO organisations_searchentry_fts(rowid, name_terms, body_terms)
        VALUES (new.id, new.name_terms, new.body_terms);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS organisations_searchentry_fts_delete
    AFTER DELETE ON organisations_searchentry BEGIN
        INSERT INTO organisations_searchentry_fts(organisations_searchentry_fts, rowid, name_terms, body_terms)
        VALUES ('delete', old.id, old.name_terms, old.body_terms);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS organisations_searchentry_fts_update
    AFTER UPDATE ON organisations_searchentry BEGIN
        INSERT INTO organisations_searchentry_fts(organisations_searchentry_fts, rowid, name_terms, body_terms)
        VALUES ('delete', old.id, old.name_terms, old.body_terms);
        INSERT INTO organisations_searchentry_fts(rowid, name_terms, body_terms)
        VALUES (new.id, new.name_terms, new.body_terms);
    END
    """,
    # Index whatever rows exist already.
    "INSERT INTO organisations_searchentry_fts(organisations_searchentry_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS organisations_searchentry_fts_update",
    "DROP TRIGGER IF EXISTS organisations_searchentry_fts_delete",
    "DROP TRIGGER IF EXISTS organisations_searchentry_fts_insert",
    "DROP TABLE IF EXISTS organisations_searchentry_fts",
]


def _run(schema_editor, statements):
    for statement in statements:  # one by one: SQLite executes one statement per call
        schema_editor.execute(statement)


def sqlite_create(schema_editor):
    _run(schema_editor, SQLITE_CREATE)


def reindex_existing(apps, schema_editor):
    """Rewrite the entries the interim search wrote (folded names, no lemmas): upserts of 1,000."""
    from ngo_platform.core.lemmatiser import terms
    from ngo_platform.core.text import fold

    SearchEntry = apps.get_model("organisations", "SearchEntry")
    db = schema_editor.connection.alias
    fields = ["name_terms", "body_terms", "name_folded", "identifiers"]

    def write(batch):
        SearchEntry.objects.using(db).bulk_create(
            batch, update_conflicts=True, unique_fields=["organisation"], update_fields=fields
        )

    pks = list(SearchEntry.objects.using(db).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), 1000):
        batch = list(
            SearchEntry.objects.using(db).filter(pk__in=pks[start : start + 1000]).select_related("organisation")
        )
        for entry in batch:
            org = entry.organisation
            name = f"{org.name} {org.short_name}".strip()
            body = " ".join(filter(None, [org.description_short, org.description, org.city]))
            entry.name_terms = " ".join(terms(name))
            entry.body_terms = " ".join(terms(body))
            entry.name_folded = fold(name)[:300]
            entry.identifiers = " ".join(filter(None, [org.krs, org.nip, org.regon]))
        write(batch)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_CREATE)
        reindex_existing(apps, schema_editor)
        _run(schema_editor, PG_INDEXES)
    elif vendor == "sqlite":
        sqlite_create(schema_editor)
        reindex_existing(apps, schema_editor)
    else:
        reindex_existing(apps, schema_editor)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_DROP)
        # pg_trgm goes too, unless something else (another app's index) still uses it: then the
        # (non-cascading) DROP fails and is rolled back to the savepoint.
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute("DROP EXTENSION IF EXISTS pg_trgm")
        except DatabaseError:
            pass
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_invitation_searchentry_verificationrequest_and_more")]
    operations = [migrations.RunPython(create, drop)]
