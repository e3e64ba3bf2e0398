"""The database's full-text index over the announcements' `SearchEntry` (`core.search.index_sql`, with the ranking
function of `RankedMatches`), and on PostgreSQL a GIN index on the themes' own vector, which the suggestions read
for candidates by title (`core.search.title_matches`)."""

from django.db import migrations

from ngo_platform.core.search import create_index

forwards, backwards = create_index("partnerships_searchentry", "announcement_id")


def title_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX partnerships_searchentry_name_vector_gin ON partnerships_searchentry USING gin (name_vector)"
        )


def title_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS partnerships_searchentry_name_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards), migrations.RunPython(title_index, title_index_drop)]
