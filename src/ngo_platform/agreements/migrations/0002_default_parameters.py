"""The nationwide period for the final report as documented in `models.DEFAULTS` (art. 18 ust. 1 UDPP)."""

import datetime

from django.db import migrations


def forwards(apps, schema_editor):
    from ngo_platform.agreements.models import DEFAULTS

    AgreementParameters = apps.get_model("agreements", "AgreementParameters")
    AgreementParameters.objects.get_or_create(
        version="UDPP 2024", authority=None,
        defaults={
            "effective_from": datetime.date(2004, 1, 1),
            "legal_basis": "ustawa z 24.04.2003 (t.j. Dz.U. 2024 poz. 1491), art. 18 ust. 1; wzór umowy Dz.U. 2018 poz. 2057, zał. 3",
            "note": "Sprawozdanie końcowe w terminie 30 dni od dnia zakończenia realizacji zadania; przypomnienia 7 i 1 dzień przed terminem.",
            **DEFAULTS,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
