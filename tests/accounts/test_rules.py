"""One test per rule: who may, and who may not."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ngo_platform.accounts.models import AuthorityRole, OrganisationRole
from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory, UserFactory
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger():
    return UserFactory()


@pytest.fixture
def platform_admin():
    return UserFactory(is_staff=True)


def test_must_use_mfa(platform_admin, opolskie, stranger):
    officer = AuthorityMembershipFactory(authority=opolskie).user
    assert platform_admin.has_perm("accounts.must_use_mfa")
    assert officer.has_perm("accounts.must_use_mfa")
    ngo_person = OrganisationMembershipFactory(role=OrganisationRole.ADMIN).user
    assert not ngo_person.has_perm("accounts.must_use_mfa")
    assert not stranger.has_perm("accounts.must_use_mfa")
    assert not AnonymousUser().has_perm("accounts.must_use_mfa")


def test_the_two_factor_middleware_asks_the_rule_alone(platform_admin, opolskie, stranger):
    """The middleware runs on every request: the same answers as the rule (and superusers, to whom `has_perm`
    says yes), without Django's ModelBackend reading the permission tables for everyone the rule refuses."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ngo_platform.accounts.middleware import must_use_mfa

    officer = AuthorityMembershipFactory(authority=opolskie).user
    ngo_person = OrganisationMembershipFactory(role=OrganisationRole.ADMIN).user
    superuser = UserFactory(is_superuser=True)
    with CaptureQueriesContext(connection) as queries:
        answers = [must_use_mfa(person) for person in (platform_admin, officer, superuser, ngo_person, stranger)]
    assert answers == [True, True, True, False, False]
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]
    superuser.is_active = False
    assert not must_use_mfa(superuser)


def test_platform_admin_must_be_active(platform_admin):
    platform_admin.is_active = False
    assert not platform_admin.has_perm("accounts.must_use_mfa")


def test_view_profile(platform_admin, stranger):
    me = UserFactory()
    assert me.has_perm("accounts.view_profile", me)
    assert platform_admin.has_perm("accounts.view_profile", me)
    assert not stranger.has_perm("accounts.view_profile", me)
    assert not AnonymousUser().has_perm("accounts.view_profile", me)


def test_manage_authority_members(platform_admin, opolskie, gmina_brzeg, stranger):
    admin = AuthorityMembershipFactory(authority=opolskie, role=AuthorityRole.ADMIN).user
    officer = AuthorityMembershipFactory(authority=opolskie, role=AuthorityRole.OFFICER).user
    assert admin.has_perm("accounts.manage_authority_members", opolskie)
    assert platform_admin.has_perm("accounts.manage_authority_members", opolskie)
    # An officer is not an admin; an admin of one authority is not an admin of another.
    assert not officer.has_perm("accounts.manage_authority_members", opolskie)
    assert not admin.has_perm("accounts.manage_authority_members", gmina_brzeg)
    assert not stranger.has_perm("accounts.manage_authority_members", opolskie)
    assert not AnonymousUser().has_perm("accounts.manage_authority_members", opolskie)


def test_manage_organisation_members(platform_admin, reference_data, stranger):
    organisation, other = OrganisationFactory(), OrganisationFactory()
    admin = OrganisationMembershipFactory(organisation=organisation, role=OrganisationRole.ADMIN).user
    editor = OrganisationMembershipFactory(organisation=organisation, role=OrganisationRole.EDITOR).user
    assert admin.has_perm("accounts.manage_organisation_members", organisation)
    assert platform_admin.has_perm("accounts.manage_organisation_members", organisation)
    assert not editor.has_perm("accounts.manage_organisation_members", organisation)
    assert not admin.has_perm("accounts.manage_organisation_members", other)
    assert not stranger.has_perm("accounts.manage_organisation_members", organisation)
    assert not AnonymousUser().has_perm("accounts.manage_organisation_members", organisation)


def test_view_audit_log(platform_admin, opolskie, stranger):
    officer_admin = AuthorityMembershipFactory(authority=opolskie, role=AuthorityRole.ADMIN).user
    assert platform_admin.has_perm("core.view_audit_log")
    assert not officer_admin.has_perm("core.view_audit_log")
    assert not stranger.has_perm("core.view_audit_log")
    assert not AnonymousUser().has_perm("core.view_audit_log")


def test_predicates_refuse_missing_objects(stranger):
    from ngo_platform.accounts import rules as r

    assert not r.is_authority_member(stranger, None)
    assert not r.is_organisation_member(stranger, None)
    assert not r.is_self(stranger, None)


def deactivated(user):
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


def test_a_deactivated_account_holds_no_membership(platform_admin, opolskie, reference_data):
    """An officer, an authority admin, an organisation's admin and editor whose accounts were deactivated: no
    predicate built on their memberships answers yes (the memberships themselves have no end: a membership that
    ends is deleted)."""
    from ngo_platform.accounts import rules as r

    organisation = OrganisationFactory()
    authority_admin = AuthorityMembershipFactory(authority=opolskie, role=AuthorityRole.ADMIN).user
    officer = AuthorityMembershipFactory(authority=opolskie, role=AuthorityRole.OFFICER).user
    org_admin = OrganisationMembershipFactory(organisation=organisation, role=OrganisationRole.ADMIN).user
    editor = OrganisationMembershipFactory(organisation=organisation, role=OrganisationRole.EDITOR).user
    # Active, each holds its role.
    assert r.is_authority_admin(authority_admin, opolskie) and r.is_authority_member(officer, opolskie)
    assert r.is_any_officer(officer) and r.is_any_organisation_member(editor)
    assert r.organisation_role(org_admin, organisation.pk) == OrganisationRole.ADMIN
    for person in (authority_admin, officer, org_admin, editor, platform_admin):
        deactivated(person)
    assert not r.is_authority_admin(authority_admin, opolskie)
    assert not r.is_authority_member(authority_admin, opolskie) and not r.is_authority_member(officer, opolskie)
    assert not r.is_any_officer(officer) and not r.is_any_officer(authority_admin)
    assert not r.is_organisation_admin(org_admin, organisation)
    assert not r.is_organisation_member(org_admin, organisation) and not r.is_organisation_member(editor, organisation)
    assert not r.is_any_organisation_member(editor)
    assert r.organisation_role(org_admin, organisation.pk) is None
    assert r.acting_for_authority(officer, opolskie) is None
    assert not r.is_self(editor, editor)
    for person in (authority_admin, officer):
        assert not person.has_perm("accounts.must_use_mfa")
        assert not person.has_perm("accounts.manage_authority_members", opolskie)
    assert not org_admin.has_perm("accounts.manage_organisation_members", organisation)
    assert not editor.has_perm("accounts.view_profile", editor)
    assert not platform_admin.has_perm("accounts.manage_organisation_members", organisation)


def test_is_any_organisation_member(reference_data, stranger):
    from ngo_platform.accounts import rules as r

    editor = OrganisationMembershipFactory(role=OrganisationRole.EDITOR).user
    assert r.is_any_organisation_member(editor)
    assert not r.is_any_organisation_member(stranger)
    assert not r.is_any_organisation_member(AnonymousUser())
