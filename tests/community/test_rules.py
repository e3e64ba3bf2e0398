"""Who may write, change and read news: each permission against each kind of person, for news of an organisation,
of an authority and of the platform, in each state (draft, published, archived)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from ngo_platform.community import services
from ngo_platform.community.workflows import NEWS
from ngo_platform.core.workflow import perform
from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory, UserFactory
from tests.community.factories import make_news, party_of
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

STATES = ["draft", "published", "archived"]


@pytest.fixture
def people(opolskie, gmina_brzeg):
    organisation, other = OrganisationFactory(), OrganisationFactory()
    return {
        "organisation": organisation,
        "authority": opolskie,
        "platform_admin": UserFactory(is_staff=True),
        "org_admin": OrganisationMembershipFactory(organisation=organisation, role="admin").user,
        "org_editor": OrganisationMembershipFactory(organisation=organisation, role="editor").user,
        "other_member": OrganisationMembershipFactory(organisation=other, role="admin").user,
        "officer": AuthorityMembershipFactory(authority=opolskie).user,
        "other_officer": AuthorityMembershipFactory(authority=gmina_brzeg).user,
        "resident": UserFactory(),
        "deactivated_editor": OrganisationMembershipFactory(
            organisation=organisation, role="editor", user=UserFactory(is_active=False)
        ).user,
        "anonymous": AnonymousUser(),
    }


PERSONS = [
    "platform_admin",
    "org_admin",
    "org_editor",
    "other_member",
    "officer",
    "other_officer",
    "resident",
    "deactivated_editor",
    "anonymous",
]
# Who writes for each kind of party.
WRITERS = {
    "organisation": {"org_admin", "org_editor"},
    "authority": {"officer"},
    "platform": {"platform_admin"},
}


def _news(people, party, state):
    if party == "organisation":
        return make_news(organisation=people["organisation"], state=state)
    if party == "authority":
        return make_news(authority=people["authority"], state=state)
    return make_news(state=state)


@pytest.mark.parametrize("person", PERSONS)
def test_write_news_is_for_representatives_officers_and_platform_admins(people, person):
    may = person in {"platform_admin", "org_admin", "org_editor", "other_member", "officer", "other_officer"}
    assert people[person].has_perm("community.write_news") is may


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("party", list(WRITERS))
@pytest.mark.parametrize("person", PERSONS)
def test_change_news_is_for_those_who_write_for_its_party(people, person, party, state):
    news = _news(people, party, state)
    assert people[person].has_perm("community.change_news", news) is (person in WRITERS[party])


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("party", list(WRITERS))
@pytest.mark.parametrize("person", PERSONS)
def test_a_draft_is_seen_only_by_its_writers_and_public_news_by_everyone(people, person, party, state):
    news = _news(people, party, state)
    expected = state != "draft" or person in WRITERS[party]
    assert people[person].has_perm("community.view_news", news) is expected


@pytest.mark.parametrize("person", ["other_member", "officer", "resident"])
def test_the_services_refuse_whoever_may_not_write_for_the_party(people, person):
    organisation = people["organisation"]
    data = {"title": "T", "lead": "L", "body": "B", "image_alt": "", "spheres": []}
    with pytest.raises(PermissionDenied):
        services.news_create(actor=people[person], party=party_of(organisation=organisation), data=data)
    news = make_news(organisation=organisation, state="draft")
    with pytest.raises(PermissionDenied):
        services.news_update(actor=people[person], news=news, data=data)
    with pytest.raises(PermissionDenied):
        perform(NEWS, news, "publish", actor=people[person])
    news.refresh_from_db()
    assert (news.title, news.state) == ("Aktualność", "draft")


def test_a_representative_who_left_the_organisation_no_longer_changes_its_news(people):
    from ngo_platform.accounts.services import organisation_membership_remove

    organisation, editor = people["organisation"], people["org_editor"]
    news = make_news(organisation=organisation, author=editor, state="draft")
    assert editor.has_perm("community.change_news", news)
    membership = editor.organisation_memberships.get(organisation=organisation)
    organisation_membership_remove(actor=people["org_admin"], membership=membership)
    assert not editor.has_perm("community.change_news", news)
    assert not editor.has_perm("community.view_news", news)
    assert people["org_admin"].has_perm("community.change_news", news)  # the colleague still does
