"""Notifications 0002 carries the consultations' follows, preferences and sent notifications over before
consultations 0004 drops their tables: nobody stops following, nobody is e-mailed again what they had; and back."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.helpers import migrate_to_latest

BEFORE = [("consultations", "0003_input_bounds"), ("notifications", None)]


@pytest.mark.django_db(transaction=True)
def test_the_consultations_follows_preferences_and_records_are_carried_over(reference_data):
    from ngo_platform.territory.models import Authority, Sphere
    from tests.consultations.factories import make_consultation

    opolskie = Authority.objects.get(unit__teryt="16")
    consultation = make_consultation(opolskie)
    person, other = UserFactory(), UserFactory()
    long_ago = timezone.now() - timedelta(days=40)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE[:1]).apps
        Follow = apps.get_model("consultations", "Follow")
        Follow.objects.create(user_id=person.pk, authority_id=opolskie.pk)
        Follow.objects.create(user_id=other.pk, sphere_id=Sphere.objects.order_by("pk").first().pk)
        Follow.objects.filter(user_id=person.pk).update(created_at=long_ago)
        apps.get_model("consultations", "NotificationPreference").objects.create(
            user_id=person.pk, email_enabled=True, daily_digest=True
        )
        Sent = apps.get_model("consultations", "NotificationSent")
        Sent.objects.create(user_id=person.pk, consultation_id=consultation.pk, event="opened")
        Sent.objects.update(sent_at=long_ago)
    finally:
        migrate_to_latest()
    from ngo_platform.notifications.models import Follow, NotificationPreference, NotificationSent

    carried = Follow.objects.get(user=person)
    assert carried.authority_id == opolskie.pk and carried.created_at == long_ago
    assert Follow.objects.get(user=other).sphere_id is not None
    assert NotificationPreference.objects.get(user=person).daily_digest is True
    sent = NotificationSent.objects.get(user=person)
    assert (sent.item, sent.event) == (f"consultations.consultation:{consultation.pk}", "opened")
    assert sent.sent_at < timezone.now() - timedelta(days=1)  # its date kept
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE[:1])  # reversed: back into the consultations' tables
    try:
        apps = executor.loader.project_state(BEFORE[:1]).apps
        back = apps.get_model("consultations", "NotificationSent").objects.get(user_id=person.pk)
        assert (back.consultation_id, back.event) == (consultation.pk, "opened")
        assert apps.get_model("consultations", "Follow").objects.count() == 2
        assert apps.get_model("consultations", "NotificationPreference").objects.get(user_id=person.pk).daily_digest
    finally:
        migrate_to_latest()
