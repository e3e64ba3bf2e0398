"""Follows, preferences and sent notifications moved to the notifications app (issue 14), which copied them in
notifications 0002. Reversed, the tables come back first, then the subjects' follows, the preferences and the
consultations' records are copied back into them (`BACKWARD` of notifications 0002)."""

from importlib import import_module

from django.db import migrations

copying = import_module("ngo_platform.notifications.migrations.0002_copy_from_consultations")


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0003_input_bounds"),
        ("notifications", "0002_copy_from_consultations"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, copying.run(copying.BACKWARD)),
        migrations.DeleteModel(name="Follow"),
        migrations.DeleteModel(name="NotificationPreference"),
        migrations.DeleteModel(name="NotificationSent"),
    ]
