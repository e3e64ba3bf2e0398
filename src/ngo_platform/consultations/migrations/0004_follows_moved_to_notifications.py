"""Follows, preferences and sent notifications moved to the notifications app (issue 14), which copied them in
notifications 0002."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0003_input_bounds"),
        ("notifications", "0002_copy_from_consultations"),
    ]

    operations = [
        migrations.DeleteModel(name="Follow"),
        migrations.DeleteModel(name="NotificationPreference"),
        migrations.DeleteModel(name="NotificationSent"),
    ]
