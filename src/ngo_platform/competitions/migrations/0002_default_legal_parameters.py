"""The nationwide statutory parameters as documented in `models.DEFAULTS` (UDPP, Dz.U. 2024 poz. 1491)."""

import datetime

from django.db import migrations


def forwards(apps, schema_editor):
    from ngo_platform.competitions.models import DEFAULTS

    LegalParameters = apps.get_model("competitions", "LegalParameters")
    LegalParameters.objects.get_or_create(
        version="UDPP 2024", authority=None,
        defaults={
            "effective_from": datetime.date(2004, 1, 1), "legal_basis": "ustawa z 24.04.2003 (t.j. Dz.U. 2024 poz. 1491), art. 13, 15, 19a",
            "note": "Wartości domyślne; projekt nowelizacji z 2025 r. (20/40 tys. zł, 30%) niezweryfikowany.", **DEFAULTS,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("competitions", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
