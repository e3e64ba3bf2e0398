"""The vocabulary of the search index (typo tolerance the same on every database), the end of the trigram
index it replaces, and the entries written again: they now hold the legal form, the seat and the spheres."""

from django.db import migrations, models


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS organisations_searchentry_name_trgm")


def reindex(apps, schema_editor):
    """Index existing organisations again with the code of this release (a database without entries, as every
    new one, has nothing to do, so no later change of the models can trip it)."""
    if not apps.get_model("organisations", "SearchEntry").objects.using(schema_editor.connection.alias).exists():
        return
    from ngo_platform.organisations.search import reindex_all

    reindex_all()


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0008_import_as_registers_say"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=60, unique=True)),
                ("shown", models.CharField(max_length=60)),
            ],
            options={
                "verbose_name": "search word",
                "verbose_name_plural": "search words",
            },
        ),
        migrations.RunPython(drop_trigram_index, migrations.RunPython.noop),
        migrations.RunPython(reindex, migrations.RunPython.noop),
    ]
