"""Who may add and change the library's documents: each permission against each kind of person."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory, UserFactory
from tests.library.factories import add_document

pytestmark = pytest.mark.django_db

PERSONS = ["officer", "admin", "other_officer", "representative", "resident", "platform_admin", "anonymous"]


@pytest.fixture
def people(opolskie, gmina_brzeg):
    return {
        "officer": AuthorityMembershipFactory(authority=opolskie).user,
        "admin": AuthorityMembershipFactory(authority=opolskie, role="admin").user,
        "other_officer": AuthorityMembershipFactory(authority=gmina_brzeg).user,
        "representative": OrganisationMembershipFactory().user,
        "resident": UserFactory(),
        "platform_admin": UserFactory(is_staff=True),
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize("person", PERSONS)
def test_add_and_change_document_are_for_the_authority_s_officers(people, opolskie, person):
    document = add_document(opolskie)
    expected = person in {"officer", "admin"}
    assert people[person].has_perm("library.add_document", opolskie) == expected
    assert people[person].has_perm("library.change_document", document) == expected
