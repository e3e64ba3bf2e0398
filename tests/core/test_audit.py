import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ngo_platform.core.models import AuditEntry, AuditLogIsAppendOnly
from ngo_platform.core.services import audit_log
from tests.accounts.factories import UserFactory
from tests.helpers import get_page
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_audit_log_records_actor_party_target_and_details(opolskie):
    actor = UserFactory()
    entry = audit_log(actor=actor, action="test.thing_done", target=opolskie, acting_for=opolskie, details={"n": 1})
    entry.refresh_from_db()
    assert (entry.actor, entry.acting_for, entry.action) == (actor, opolskie, "test.thing_done")
    assert entry.target_type.model == "authority" and entry.target_id == str(opolskie.pk)
    assert entry.target_repr == "Województwo Opolskie"
    assert entry.details == {"n": 1}


def test_acting_for_must_be_an_organisation_or_authority():
    with pytest.raises(TypeError):
        audit_log(actor=None, action="test.bad", acting_for=UserFactory())


def test_an_entry_cannot_act_for_both_kinds_of_party(opolskie):
    organisation = OrganisationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.create(action="x", acting_for_organisation=organisation, acting_for_authority=opolskie)


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    entry = audit_log(actor=None, action="test.once")
    entry.action = "test.changed"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.changed")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_the_database_refuses_updates_behind_the_orm():
    entry = audit_log(actor=None, action="test.once")
    with pytest.raises(Exception) as raised, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
    assert "append-only" in str(raised.value)
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.once"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE is refused by the trigger on PostgreSQL only")
def test_postgresql_refuses_deletes_behind_the_orm():
    entry = audit_log(actor=None, action="test.once")
    with pytest.raises(Exception) as raised, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    assert "append-only" in str(raised.value)


def test_audit_page_is_for_platform_admins_only(client):
    response = client.get("/audyt/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get("/audyt/").status_code == 403


def _admin_client(client):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    admin = UserFactory(is_staff=True)
    TOTP.activate(admin, "JBSWY3DPEHPK3PXP")
    assert Authenticator.objects.filter(user=admin).exists()
    client.force_login(admin)
    return admin


def test_audit_page_filters_and_pages_with_bounded_queries(client, opolskie, gmina_brzeg):
    admin = _admin_client(client)
    for n in range(60):
        audit_log(actor=admin, action="test.bulk", acting_for=opolskie if n % 2 else gmina_brzeg, details={"n": n})
    audit_log(actor=None, action="test.other")
    response = get_page(client, "/audyt/?action=test.bulk", max_queries=12)
    assert response.context["page"].paginator.count == 60
    assert len(response.context["page"].object_list) == 50
    response = get_page(client, "/audyt/?action=test.bulk&acting_for=Brzeg", max_queries=12)
    assert response.context["page"].paginator.count == 30
    response = get_page(client, f"/audyt/?actor={admin.pk}&strona=2", max_queries=12)
    assert response.context["page"].number == 2
    today = timezone.localdate()  # the date in Europe/Warsaw, as the filter reads it
    tomorrow = today + datetime.timedelta(days=1)
    response = get_page(client, f"/audyt/?action=test&date_from={tomorrow}", max_queries=12)
    assert response.context["page"].paginator.count == 0


def test_audit_page_explains_a_bad_date_range(client):
    _admin_client(client)
    response = get_page(client, "/audyt/?date_from=2026-05-02&date_to=2026-05-01", max_queries=12)
    assert "nie może być wcześniejsza" in response.content.decode()
