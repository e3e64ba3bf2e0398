"""The database's full-text index over the library's `SearchEntry` (`core.search.index_sql`): PostgreSQL's
tsvector columns with their trigger and GIN index, SQLite's FTS5 table with its triggers."""

from django.db import migrations

from ngo_platform.core.search import create_index

forwards, backwards = create_index("library_searchentry")


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
