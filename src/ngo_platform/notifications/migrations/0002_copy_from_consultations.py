"""The follows, preferences and sent notifications of consultations become the platform's (issue 14): copied, with
their dates, from the consultations' tables before consultations 0004 drops them; a sent notification's item is
named "consultations.consultation:<id>". Reversing consultations 0004 copies them back (`BACKWARD`)."""

from django.db import migrations

PREFIX = "consultations.consultation:"

FORWARD = [
    "INSERT INTO notifications_follow (user_id, authority_id, unit_id, sphere_id, created_at)"
    " SELECT user_id, authority_id, unit_id, sphere_id, created_at FROM consultations_follow",
    "INSERT INTO notifications_notificationpreference (user_id, email_enabled, daily_digest)"
    " SELECT user_id, email_enabled, daily_digest FROM consultations_notificationpreference",
    "INSERT INTO notifications_notificationsent (user_id, item, event, sent_at)"
    f" SELECT user_id, '{PREFIX}' || CAST(consultation_id AS VARCHAR(20)), event, sent_at"
    " FROM consultations_notificationsent",
]

BACKWARD = [
    "INSERT INTO consultations_follow (user_id, authority_id, unit_id, sphere_id, created_at)"
    " SELECT user_id, authority_id, unit_id, sphere_id, created_at FROM notifications_follow"
    " WHERE target_type_id IS NULL",
    "INSERT INTO consultations_notificationpreference (user_id, email_enabled, daily_digest)"
    " SELECT user_id, email_enabled, daily_digest FROM notifications_notificationpreference",
    "INSERT INTO consultations_notificationsent (user_id, consultation_id, event, sent_at)"
    f" SELECT user_id, CAST(SUBSTR(item, {len(PREFIX) + 1}) AS INTEGER), event, sent_at"
    f" FROM notifications_notificationsent WHERE item LIKE '{PREFIX}%%'",
]


def run(statements):
    def apply(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("consultations", "0003_input_bounds"),
    ]

    operations = [migrations.RunPython(run(FORWARD), migrations.RunPython.noop)]
