"""Who may do what in working groups: each permission against each kind of person, for a group whose work is
public and one whose work is for its members only, and for a version in each state."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ngo_platform.workgroups.models import GroupDocument, VersionState
from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory, UserFactory
from tests.organisations.factories import OrganisationFactory
from tests.workgroups.factories import add_member, make_group, proposed_version

pytestmark = pytest.mark.django_db

PERSONS = [
    "officer",
    "other_officer",
    "coordinator",
    "ngo_member",
    "official_member",
    "author",
    "non_member_representative",
    "resident",
    "platform_admin",
    "deactivated_member",
    "anonymous",
]
MEMBERS = {"coordinator", "ngo_member", "official_member", "author", "deactivated_member"}
ACTIVE_MEMBERS = MEMBERS - {"deactivated_member"}


@pytest.fixture
def world(opolskie, gmina_brzeg):
    organisation = OrganisationFactory()
    officer = AuthorityMembershipFactory(authority=opolskie).user
    coordinator = OrganisationMembershipFactory(organisation=organisation, role="admin").user
    people = {
        "officer": officer,
        "other_officer": AuthorityMembershipFactory(authority=gmina_brzeg).user,
        "coordinator": coordinator,
        "ngo_member": OrganisationMembershipFactory(organisation=organisation, role="editor").user,
        "official_member": AuthorityMembershipFactory(authority=gmina_brzeg).user,
        "author": UserFactory(),
        "non_member_representative": OrganisationMembershipFactory(organisation=OrganisationFactory()).user,
        "resident": UserFactory(),
        "platform_admin": UserFactory(is_staff=True),
        "deactivated_member": UserFactory(),
        "anonymous": AnonymousUser(),
    }
    groups = {}
    for public in (True, False):
        group = make_group(opolskie, officer=officer, coordinator=coordinator, public_work=public)
        add_member(group, people["ngo_member"], organisation)
        for name in ("official_member", "author", "deactivated_member"):
            add_member(group, people[name])
        document = GroupDocument.objects.create(group=group, title="Standard", created_by=coordinator)
        groups[public] = (group, document)
    people["deactivated_member"].is_active = False
    people["deactivated_member"].save()
    return people, groups, opolskie


def _version(world, public, state):
    people, groups, _authority = world
    group, document = groups[public]
    from ngo_platform.workgroups import services
    from tests.consultations.factories import draft_tree

    author = people["author"]
    if state == VersionState.DRAFT:
        return services.version_from_text(actor=author, document=document, root=draft_tree())
    version = proposed_version(document, author)
    if state != VersionState.PROPOSED:
        services.version_step(
            actor=people["coordinator"], version=version, name="accept" if state == "accepted" else "reject"
        )
        version.refresh_from_db()
    return version


@pytest.mark.parametrize("person", PERSONS)
def test_add_group_is_for_officers_of_the_authority(world, person):
    people, _groups, authority = world
    assert people[person].has_perm("workgroups.add_group", authority) == (person == "officer")


@pytest.mark.parametrize("public", [True, False], ids=["public", "members-only"])
@pytest.mark.parametrize("person", PERSONS)
def test_manage_view_work_and_take_part(world, person, public):
    people, groups, _authority = world
    group, document = groups[public]
    user = people[person]
    assert user.has_perm("workgroups.manage_group", group) == (person in {"officer", "coordinator"})
    assert user.has_perm("workgroups.manage_group", document) == (person in {"officer", "coordinator"})
    seen = public or person in ACTIVE_MEMBERS | {"officer"}
    assert user.has_perm("workgroups.view_work", group) == seen
    assert user.has_perm("workgroups.view_work", document) == seen
    assert user.has_perm("workgroups.take_part", group) == (person in ACTIVE_MEMBERS)


@pytest.mark.parametrize("state", VersionState.values)
@pytest.mark.parametrize("public", [True, False], ids=["public", "members-only"])
@pytest.mark.parametrize("person", PERSONS)
def test_version_permissions_by_role_and_state(world, person, public, state):
    people, _groups, _authority = world
    version = _version(world, public, state)
    user = people[person]
    sees_work = public or person in ACTIVE_MEMBERS | {"officer"}
    draft = state == VersionState.DRAFT
    assert user.has_perm("workgroups.view_version", version) == (sees_work and (not draft or person == "author"))
    assert user.has_perm("workgroups.edit_version", version) == (draft and person == "author")
    assert user.has_perm("workgroups.propose_version", version) == (draft and person == "author")
    assert user.has_perm("workgroups.decide_version", version) == (person == "coordinator")
    open_to_comments = state in (VersionState.PROPOSED, VersionState.ACCEPTED)
    assert user.has_perm("workgroups.comment_version", version) == (open_to_comments and person in ACTIVE_MEMBERS)
    assert user.has_perm("workgroups.send_to_consultation", version) == (
        state == VersionState.ACCEPTED and person == "officer"
    )


def test_an_author_who_left_the_group_can_no_longer_edit_or_propose_the_draft(world):
    people, groups, _authority = world
    version = _version(world, True, VersionState.DRAFT)
    groups[True][0].members.filter(user=people["author"]).delete()
    assert not people["author"].has_perm("workgroups.edit_version", version)
    assert not people["author"].has_perm("workgroups.propose_version", version)
    assert people["author"].has_perm("workgroups.view_version", version)  # public work: their own draft still shows
