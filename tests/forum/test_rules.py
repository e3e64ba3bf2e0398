"""Who reads, writes, edits, reports and moderates in the forum: each permission against each kind of person, in a
public and in a members' category, for posts in each state; each role before and after it is given."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ngo_platform.forum import services
from ngo_platform.forum.models import Post
from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory
from tests.forum.factories import established, make_category, make_thread, opening
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PERSONS = [
    "platform_admin",
    "moderator",
    "other_moderator",
    "author",
    "verified_member",
    "unverified_member",
    "officer",
    "resident",
    "deactivated",
    "anonymous",
]


@pytest.fixture
def people(opolskie):
    verified = OrganisationFactory(verified_at=timezone.now())
    unverified = OrganisationFactory()
    return {
        "platform_admin": established(is_staff=True),
        "moderator": established(),
        "other_moderator": established(),
        "author": established(),
        "verified_member": OrganisationMembershipFactory(organisation=verified, user=established()).user,
        "unverified_member": OrganisationMembershipFactory(organisation=unverified, user=established()).user,
        "officer": AuthorityMembershipFactory(authority=opolskie, user=established()).user,
        "resident": established(),
        "deactivated": established(is_active=False),
        "anonymous": AnonymousUser(),
    }


def _category(people, audience):
    category = make_category(slug=f"k-{audience}", audience=audience, moderators=[people["moderator"]])
    make_category(slug="inna", moderators=[people["other_moderator"]])
    return category


def _post(people, audience, state):
    category = _category(people, audience)
    if audience == "members":
        category.moderators.add(people["author"])  # a moderator writes anywhere; the author is tested as author
    thread = make_thread(category, author=people["author"])
    post = opening(thread)
    if state != "visible":
        Post.objects.filter(pk=post.pk).update(state=state)  # the state's own test is in test_forum.py
        services.thread_refresh(thread.pk)
        post.refresh_from_db()
    return post


MEMBERS_READERS = {"platform_admin", "moderator", "verified_member", "officer"}


@pytest.mark.parametrize("audience", ["public", "members"])
@pytest.mark.parametrize("person", PERSONS)
def test_a_public_category_is_read_by_anyone_a_members_one_by_verified_members_officers_admins_moderators(
    people, person, audience
):
    category = _category(people, audience)
    reads = audience == "public" or person in MEMBERS_READERS
    assert people[person].has_perm("forum.view_category", category) is reads
    signed_in = person not in {"deactivated", "anonymous"}
    assert people[person].has_perm("forum.start_thread", category) is (reads and signed_in)


@pytest.mark.parametrize("state", ["visible", "pending", "hidden"])
@pytest.mark.parametrize("person", PERSONS)
def test_a_pending_or_hidden_post_is_seen_only_by_its_author_and_the_moderators(people, person, state):
    post = _post(people, "public", state)
    seen = state == "visible" or person in {"author", "moderator", "platform_admin"}
    assert people[person].has_perm("forum.view_post", post) is seen
    assert people[person].has_perm("forum.view_thread", post.thread) is seen  # the opening post decides


@pytest.mark.parametrize("person", PERSONS)
def test_moderation_is_for_platform_admins_and_the_categorys_own_moderators(people, person):
    post = _post(people, "public", "visible")
    may = person in {"platform_admin", "moderator"}
    for obj in (post, post.thread, post.thread.category):
        assert people[person].has_perm("forum.moderate", obj) is may


@pytest.mark.parametrize("person", PERSONS)
def test_reporting_is_for_anyone_signed_in_but_the_author_and_only_of_a_visible_post(people, person):
    post = _post(people, "public", "visible")
    may = person not in {"author", "deactivated", "anonymous"}
    assert people[person].has_perm("forum.report_post", post) is may
    Post.objects.filter(pk=post.pk).update(state="hidden")
    post.refresh_from_db()
    assert people[person].has_perm("forum.report_post", post) is False


@pytest.mark.parametrize("person", PERSONS)
def test_only_the_author_edits_and_only_within_the_window_unlocked_and_not_hidden(people, person, settings):
    post = _post(people, "public", "visible")
    assert people[person].has_perm("forum.edit_post", post) is (person == "author")
    Post.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - timedelta(minutes=settings.NGO_FORUM_EDIT_MINUTES + 1)
    )
    post.refresh_from_db()
    assert people[person].has_perm("forum.edit_post", post) is False


def test_the_author_may_not_edit_a_hidden_post_or_one_in_a_locked_thread(people):
    author = people["author"]
    post = _post(people, "public", "hidden")
    assert not author.has_perm("forum.edit_post", post)
    visible = _visible_in_locked_thread(people)
    assert not author.has_perm("forum.edit_post", visible)


def _visible_in_locked_thread(people):
    thread = make_thread(make_category(slug="zamkniete"), author=people["author"])
    services.thread_set(actor=people["platform_admin"], thread=thread, locked=True)
    return Post.objects.select_related("thread").get(pk=opening(thread).pk)


@pytest.mark.parametrize("person", PERSONS)
def test_a_locked_thread_takes_replies_only_from_moderators(people, person):
    post = _visible_in_locked_thread(people)
    may = person == "platform_admin"  # the category "zamkniete" has no own moderator
    assert people[person].has_perm("forum.reply", post.thread) is may


def test_a_moderator_appointed_then_removed_moderates_then_no_longer(people):
    person, post = people["resident"], _post(people, "public", "visible")
    category = post.thread.category
    assert not person.has_perm("forum.moderate", post)
    category.moderators.add(person)
    assert person.has_perm("forum.moderate", post)
    category.moderators.remove(person)
    assert not person.has_perm("forum.moderate", post)


def test_an_organisation_verified_then_its_representative_reads_the_members_category(people):
    category = _category(people, "members")
    member = people["unverified_member"]
    assert not member.has_perm("forum.view_category", category)
    organisation = member.organisation_memberships.get().organisation
    organisation.verified_at = timezone.now()
    organisation.save(update_fields=["verified_at"])
    assert member.has_perm("forum.view_category", category)
