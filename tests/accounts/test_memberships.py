"""The memberships the rules read are read once per request, and afresh outside one or after they change."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ngo_platform.accounts import memberships, services
from ngo_platform.accounts.models import AuthorityRole, OrganisationRole
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory


@pytest.fixture
def in_a_request():
    """What `request_started` and `request_finished` do for the memberships (sending the signals themselves would
    also close the test's database connection)."""
    memberships._start()
    yield
    memberships._finish()


def test_the_request_signals_start_and_end_the_cache():
    try:
        assert request_started.disconnect(dispatch_uid="memberships_start")
        assert request_finished.disconnect(dispatch_uid="memberships_finish")
    finally:
        memberships.connect()


def _queries(check) -> tuple[bool, int]:
    with CaptureQueriesContext(connection) as queries:
        answer = check()
    return answer, len(queries)


@pytest.mark.django_db
def test_during_a_request_the_rules_read_the_memberships_once(opolskie, in_a_request):
    officer, organisation = UserFactory(), OrganisationFactory()
    services.authority_membership_set(actor=None, authority=opolskie, user=officer, role=AuthorityRole.OFFICER)
    first = _queries(lambda: officer.has_perm("accounts.must_use_mfa"))
    again = _queries(
        lambda: (
            officer.has_perm("accounts.manage_authority_members", opolskie),
            officer.has_perm("accounts.manage_organisation_members", organisation),
        )
    )
    assert first == (True, 1) and again == ((False, False), 0)


@pytest.mark.django_db
def test_a_change_of_membership_is_seen_at_once(opolskie, in_a_request):
    person, organisation = UserFactory(), OrganisationFactory()
    assert not person.has_perm("accounts.manage_organisation_members", organisation)
    services.organisation_membership_set(
        actor=None, organisation=organisation, user=person, role=OrganisationRole.ADMIN, check_permission=False
    )
    assert person.has_perm("accounts.manage_organisation_members", organisation)
    services.organisation_membership_remove(actor=None, membership=person.organisation_memberships.get())
    assert not person.has_perm("accounts.manage_organisation_members", organisation)


@pytest.mark.django_db
def test_outside_a_request_every_question_reads_the_database(opolskie):
    person = UserFactory()
    assert memberships.roles(person) is None
    assert not person.has_perm("accounts.must_use_mfa")
    person.authority_memberships.create(authority=opolskie, role=AuthorityRole.ADMIN)  # behind the services' back
    assert person.has_perm("accounts.must_use_mfa")
    assert person.has_perm("accounts.manage_authority_members", opolskie)


@pytest.mark.django_db
def test_the_cache_ends_with_the_request(client, opolskie):
    client.get("/")
    assert memberships.roles(UserFactory()) is None


@pytest.mark.django_db
def test_a_deactivated_account_has_no_memberships_in_a_request_without_a_query(opolskie, in_a_request):
    person, organisation = UserFactory(), OrganisationFactory()
    services.authority_membership_set(actor=None, authority=opolskie, user=person, role=AuthorityRole.ADMIN)
    services.organisation_membership_set(
        actor=None, organisation=organisation, user=person, role=OrganisationRole.ADMIN, check_permission=False
    )
    assert person.has_perm("accounts.manage_authority_members", opolskie)
    person.is_active = False
    person.save(update_fields=["is_active"])
    answer = _queries(
        lambda: (
            memberships.roles(person),
            person.has_perm("accounts.must_use_mfa"),
            person.has_perm("accounts.manage_authority_members", opolskie),
            person.has_perm("accounts.manage_organisation_members", organisation),
        )
    )
    assert answer == ((memberships.NONE, False, False, False), 0)


@pytest.mark.django_db
def test_a_deactivated_account_has_no_memberships_outside_a_request(opolskie):
    person = UserFactory()
    services.authority_membership_set(actor=None, authority=opolskie, user=person, role=AuthorityRole.ADMIN)
    assert person.has_perm("accounts.manage_authority_members", opolskie)
    person.is_active = False
    assert not person.has_perm("accounts.manage_authority_members", opolskie)
    assert not person.has_perm("accounts.must_use_mfa")
