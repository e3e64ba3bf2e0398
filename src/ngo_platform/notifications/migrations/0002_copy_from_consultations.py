"""The follows, preferences and sent notifications of consultations become the platform's (issue 14): copied
from the consultations' tables before consultations 0004 drops them; a sent notification's item is named
"consultations.consultation:<id>"."""

from django.db import migrations


def copy(apps, schema_editor):
    Follow = apps.get_model("notifications", "Follow")
    Preference = apps.get_model("notifications", "NotificationPreference")
    Sent = apps.get_model("notifications", "NotificationSent")
    for old in apps.get_model("consultations", "Follow").objects.all().iterator():
        new = Follow.objects.create(
            user_id=old.user_id, authority_id=old.authority_id, unit_id=old.unit_id, sphere_id=old.sphere_id
        )
        Follow.objects.filter(pk=new.pk).update(created_at=old.created_at)  # auto_now_add set it to now
    Preference.objects.bulk_create(
        Preference(user_id=old.user_id, email_enabled=old.email_enabled, daily_digest=old.daily_digest)
        for old in apps.get_model("consultations", "NotificationPreference").objects.all().iterator()
    )
    Sent.objects.bulk_create(
        Sent(user_id=old.user_id, item=f"consultations.consultation:{old.consultation_id}", event=old.event)
        for old in apps.get_model("consultations", "NotificationSent").objects.all().iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("consultations", "0003_input_bounds"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
