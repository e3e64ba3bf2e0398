"""Django admin: reference data and roles are visible to platform admins and read-only."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from ngo_platform.accounts import services
from ngo_platform.accounts.models import AuthorityRole
from ngo_platform.core.services import audit_log
from tests.accounts.factories import UserFactory
from tests.helpers import get_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    client.force_login(user)
    return client


def test_roles_are_shown_but_cannot_be_edited_in_the_admin(superuser_client, opolskie):
    person = UserFactory()
    services.authority_membership_set(actor=None, authority=opolskie, user=person, role=AuthorityRole.OFFICER)
    html = get_page(superuser_client, f"/admin/accounts/user/{person.pk}/change/", max_queries=30).content.decode()
    assert "Województwo Opolskie" in html
    assert 'name="authority_memberships-0-role"' not in html  # no editable role field
    assert 'name="authority_memberships-TOTAL_FORMS"' in html


def test_audit_entries_are_read_only_in_the_admin(superuser_client):
    entry = audit_log(actor=None, action="test.admin")
    get_page(superuser_client, "/admin/core/auditentry/", max_queries=15)
    response = superuser_client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert superuser_client.get("/admin/core/auditentry/add/").status_code == 403


def test_admin_is_closed_to_people_who_are_not_platform_admins(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
