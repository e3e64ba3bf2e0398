"""The function that ranks the library's matches on PostgreSQL in one statement (`core.search.ranked_function_sql`,
what `RankedMatches` pages through); SQLite needs none."""

from django.db import migrations

from ngo_platform.core.search import create_ranked_function

forwards, backwards = create_ranked_function("library_searchentry", "document_id")


class Migration(migrations.Migration):
    dependencies = [("library", "0003_search_index_completed")]

    operations = [migrations.RunPython(forwards, backwards)]
