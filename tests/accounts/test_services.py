import pytest
from django.core.exceptions import PermissionDenied

from ngo_platform.accounts import services
from ngo_platform.accounts.models import AuthorityMembership, AuthorityRole, OrganisationMembership, OrganisationRole
from ngo_platform.core.models import AuditEntry
from tests.accounts.factories import AuthorityMembershipFactory, UserFactory
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_authority_admin_appoints_officer_and_it_is_audited(opolskie):
    admin = AuthorityMembershipFactory(authority=opolskie, role=AuthorityRole.ADMIN).user
    person = UserFactory()
    membership = services.authority_membership_set(
        actor=admin, authority=opolskie, user=person, role=AuthorityRole.OFFICER
    )
    assert membership.role == AuthorityRole.OFFICER
    entry = AuditEntry.objects.get(action="accounts.authoritymembership_set", target_id=str(membership.pk))
    assert entry.actor == admin
    assert entry.acting_for_authority == opolskie
    assert entry.details == {"user": person.email, "role": "officer", "previous_role": None}


def test_officer_cannot_appoint_and_nothing_changes(opolskie):
    officer = AuthorityMembershipFactory(authority=opolskie, role=AuthorityRole.OFFICER).user
    person = UserFactory()
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.authority_membership_set(actor=officer, authority=opolskie, user=person, role=AuthorityRole.ADMIN)
    assert not AuthorityMembership.objects.filter(user=person).exists()
    assert AuditEntry.objects.count() == before


def test_role_change_is_audited_once_and_repeating_it_is_a_no_op(opolskie):
    person = UserFactory()
    services.authority_membership_set(actor=None, authority=opolskie, user=person, role=AuthorityRole.OFFICER)
    services.authority_membership_set(actor=None, authority=opolskie, user=person, role=AuthorityRole.ADMIN)
    services.authority_membership_set(actor=None, authority=opolskie, user=person, role=AuthorityRole.ADMIN)
    assert AuthorityMembership.objects.get(user=person).role == AuthorityRole.ADMIN
    entries = AuditEntry.objects.filter(action="accounts.authoritymembership_set", details__user=person.email)
    assert [e.details["previous_role"] for e in entries.order_by("id")] == [None, "officer"]


def test_unknown_role_is_refused(opolskie):
    with pytest.raises(ValueError):
        services.authority_membership_set(actor=None, authority=opolskie, user=UserFactory(), role="mayor")


def test_organisation_admin_adds_editor_and_removes_them(reference_data):
    organisation = OrganisationFactory()
    admin = UserFactory()
    services.organisation_membership_set(actor=None, organisation=organisation, user=admin, role=OrganisationRole.ADMIN)
    editor = UserFactory()
    membership = services.organisation_membership_set(
        actor=admin, organisation=organisation, user=editor, role=OrganisationRole.EDITOR
    )
    services.organisation_membership_remove(actor=admin, membership=membership)
    assert not OrganisationMembership.objects.filter(user=editor).exists()
    removal = AuditEntry.objects.get(action="accounts.organisationmembership_remove")
    assert removal.actor == admin and removal.acting_for_organisation == organisation


def test_editor_cannot_remove_anyone(reference_data):
    organisation = OrganisationFactory()
    editor = UserFactory()
    services.organisation_membership_set(
        actor=None, organisation=organisation, user=editor, role=OrganisationRole.EDITOR
    )
    other = services.organisation_membership_set(
        actor=None, organisation=organisation, user=UserFactory(), role=OrganisationRole.ADMIN
    )
    with pytest.raises(PermissionDenied):
        services.organisation_membership_remove(actor=editor, membership=other)
    assert OrganisationMembership.objects.filter(pk=other.pk).exists()
