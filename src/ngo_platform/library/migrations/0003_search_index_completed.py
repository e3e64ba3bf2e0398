"""The library's search index as `core.search.index_sql` makes it now (`complete_index`): the functions through
which PostgreSQL matches and ranks on the GIN index (what `RankedMatches` pages through), and the folded titles
kept in the row; SQLite needs nothing."""

from django.db import migrations

from ngo_platform.core.search import complete_index

forwards, backwards = complete_index("library_searchentry", "document_id")


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
