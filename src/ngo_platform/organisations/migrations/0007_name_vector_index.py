"""PostgreSQL: a GIN index on `name_vector`, the name's own terms (see migration 0003).

A search matching more organisations than the directory counts (`selectors.SEARCH_COUNT_LIMIT`) ranks
only a bounded set of candidates: the first name matches and the first matches of all. This index finds
the name matches without reading the rows that match only in their description.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS organisations_searchentry_name_vector_gin"
            " ON organisations_searchentry USING gin (name_vector)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS organisations_searchentry_name_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("organisations", "0006_directory_export")]
    operations = [migrations.RunPython(create, drop)]
