"""Who may write, change and read partnership announcements and see the partners suggested: each permission
against each kind of person."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory, UserFactory
from tests.partnerships.factories import announcement, organisation

pytestmark = pytest.mark.django_db

PERSONS = ["editor", "other_representative", "officer", "other_officer", "resident", "platform_admin", "anonymous"]


@pytest.fixture
def author(reference_data):
    return organisation(name="Autorzy", spheres=["16"])


@pytest.fixture
def people(author, opolskie, gmina_brzeg):
    return {
        "editor": OrganisationMembershipFactory(organisation=author, role="editor").user,
        "other_representative": OrganisationMembershipFactory().user,
        "officer": AuthorityMembershipFactory(authority=opolskie).user,
        "other_officer": AuthorityMembershipFactory(authority=gmina_brzeg).user,
        "resident": UserFactory(),
        "platform_admin": UserFactory(is_staff=True),
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize("person", PERSONS)
def test_write_announcement_is_for_representatives_and_officers(people, person):
    expected = person in {"editor", "other_representative", "officer", "other_officer"}
    assert people[person].has_perm("partnerships.write_announcement") == expected


@pytest.mark.parametrize("person", PERSONS)
def test_change_announcement_and_see_suggestions_are_for_its_party(people, author, opolskie, person):
    by_organisation = announcement(organisation=author, state="draft")
    by_authority = announcement(authority=opolskie, state="draft")
    assert people[person].has_perm("partnerships.change_announcement", by_organisation) == (person == "editor")
    assert people[person].has_perm("partnerships.see_suggestions", by_organisation) == (person == "editor")
    assert people[person].has_perm("partnerships.change_announcement", by_authority) == (person == "officer")
    assert people[person].has_perm("partnerships.see_suggestions", by_authority) == (person == "officer")


@pytest.mark.parametrize("person", PERSONS)
def test_view_announcement_public_once_published_a_draft_for_its_party(people, author, person):
    draft = announcement(organisation=author, state="draft")
    published = announcement(organisation=author)
    archived = announcement(organisation=author, state="archived")
    assert people[person].has_perm("partnerships.view_announcement", published)
    assert people[person].has_perm("partnerships.view_announcement", archived)
    assert people[person].has_perm("partnerships.view_announcement", draft) == (person == "editor")


@pytest.mark.parametrize("person", PERSONS)
def test_see_organisation_suggestions_is_for_its_representatives(people, author, person):
    assert people[person].has_perm("partnerships.see_organisation_suggestions", author) == (person == "editor")


@pytest.fixture
def conversation(people, author):
    from ngo_platform.partnerships import conversations

    made = announcement(organisation=author)
    interested = organisation(name="Zainteresowani", spheres=["16"])
    people["interested"] = OrganisationMembershipFactory(organisation=interested).user
    return conversations.conversation_start(
        actor=people["interested"], announcement=made, organisation=interested, text="Dzień dobry."
    )


SIDES = [*PERSONS, "interested"]


@pytest.mark.parametrize("person", SIDES)
def test_contact_author_is_for_representatives_of_other_organisations_while_current(people, author, conversation,
                                                                                     person):  # fmt: skip
    current = conversation.announcement
    draft = announcement(organisation=author, state="draft")
    expected = person in {"other_representative", "interested"}
    assert people[person].has_perm("partnerships.contact_author", current) == expected
    assert not people[person].has_perm("partnerships.contact_author", draft)


@pytest.mark.parametrize("person", SIDES)
def test_conversation_and_its_messages_are_for_the_two_sides(people, conversation, person):
    message = conversation.messages.get()
    expected = person in {"editor", "interested"}
    for perm in ("partnerships.view_conversation", "partnerships.write_message", "partnerships.propose_partnership"):
        assert people[person].has_perm(perm, conversation) == expected, perm
    assert people[person].has_perm("partnerships.report_message", message) == expected


@pytest.mark.parametrize("person", SIDES)
def test_confirm_withdraw_and_joint_offer_by_side_and_state(people, conversation, person):
    from ngo_platform.partnerships import conversations

    partnership = conversations.partnership_propose(
        actor=people["interested"], conversation=conversation, leader="announcer", scope="Razem."
    )
    assert people[person].has_perm("partnerships.confirm_partnership", partnership) == (person == "editor")
    assert people[person].has_perm("partnerships.withdraw_partnership", partnership) == (person == "interested")
    assert not people[person].has_perm("partnerships.start_joint_offer", partnership)  # not confirmed yet
    conversations.partnership_confirm(actor=people["editor"], partnership=partnership)
    partnership.refresh_from_db()
    assert people[person].has_perm("partnerships.start_joint_offer", partnership) == (person == "editor")


@pytest.mark.parametrize("person", SIDES)
def test_review_reports_is_for_platform_administrators(people, conversation, person):
    assert people[person].has_perm("partnerships.review_reports") == (person == "platform_admin")


@pytest.mark.parametrize("person", PERSONS)
def test_follow_saved_search_is_for_its_owner(people, person):
    from ngo_platform.partnerships.models import SavedSearch

    saved = SavedSearch.objects.create(user=people["editor"], query="rodzaj=offering", description="Oferty")
    assert people[person].has_perm("partnerships.follow_saved_search", saved) == (person == "editor")
