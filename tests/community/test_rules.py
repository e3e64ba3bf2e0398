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


# --- Events ---

EVENT_STATES = ["draft", "published", "cancelled"]
EVENT_WRITERS = {"organisation": {"org_admin", "org_editor"}, "authority": {"officer"}}


def _event(people, party, state, **data):
    from tests.community.factories import make_event

    return make_event(**{party: people[party]}, state=state, **data)


@pytest.mark.parametrize("person", PERSONS)
def test_write_events_is_for_representatives_and_officers(people, person):
    may = person in {"org_admin", "org_editor", "other_member", "officer", "other_officer"}
    assert people[person].has_perm("community.write_events") is may


@pytest.mark.parametrize("state", EVENT_STATES)
@pytest.mark.parametrize("party", list(EVENT_WRITERS))
@pytest.mark.parametrize("person", PERSONS)
def test_change_event_is_for_the_organisers_people_and_view_event_for_everyone_once_public(
    people, person, party, state
):
    event = _event(people, party, state)
    assert people[person].has_perm("community.change_event", event) is (person in EVENT_WRITERS[party])
    expected = state != "draft" or person in EVENT_WRITERS[party]
    assert people[person].has_perm("community.view_event", event) is expected


@pytest.mark.parametrize("state", EVENT_STATES)
@pytest.mark.parametrize("person", PERSONS)
def test_register_for_event_is_for_anyone_signed_in_while_it_is_published_and_not_over(people, person, state):
    from datetime import timedelta

    from django.utils import timezone

    from ngo_platform.community.models import Event

    event = _event(people, "organisation", state, registration="platform", capacity=5)
    signed_in = person not in ("anonymous", "deactivated_editor")
    assert people[person].has_perm("community.register_for_event", event) is (signed_in and state == "published")
    # Once it has ended (the clock moved past its end), nobody.
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(seconds=1)
    )
    event.refresh_from_db()
    assert not people[person].has_perm("community.register_for_event", event)


@pytest.mark.parametrize("mode", ["none", "external"])
def test_nobody_registers_here_for_an_event_without_registration_here(people, mode):
    url = "https://example.org/zapisy" if mode == "external" else ""
    event = _event(people, "organisation", "published", registration=mode, registration_url=url)
    assert not people["resident"].has_perm("community.register_for_event", event)


# --- Ideas and needs ---

IDEA_STATES = ["submitted", "considering", "accepted", "rejected", "done"]
ANSWER_PATHS = {
    "submitted": [],
    "considering": ["consider"],
    "accepted": ["accept"],
    "rejected": ["reject"],
    "done": ["accept", "complete"],
}


def _idea_in(state, authority, officer):
    from ngo_platform.community.services import idea_answer
    from tests.community.factories import make_idea

    idea = make_idea(authority=authority)
    for step in ANSWER_PATHS[state]:
        idea_answer(actor=officer, idea=idea, step=step, text="Odpowiedź.")
    idea.refresh_from_db()
    return idea


@pytest.mark.parametrize("state", IDEA_STATES)
@pytest.mark.parametrize("person", PERSONS)
def test_only_an_officer_of_the_addressed_authority_answers_an_idea_before_and_after(people, person, state):
    idea = _idea_in(state, people["authority"], people["officer"])
    assert people[person].has_perm("community.answer_idea", idea) is (person == "officer")


@pytest.mark.parametrize("person", PERSONS)
def test_an_idea_addressed_to_the_platform_is_answered_by_its_administrators(people, person):
    idea = _idea_in("submitted", None, people["platform_admin"])
    assert people[person].has_perm("community.answer_idea", idea) is (person == "platform_admin")


@pytest.mark.parametrize("state", IDEA_STATES)
@pytest.mark.parametrize("person", PERSONS)
def test_anyone_signed_in_supports_an_idea_until_it_is_rejected_or_done(people, person, state):
    idea = _idea_in(state, people["authority"], people["officer"])
    signed_in = person not in ("anonymous", "deactivated_editor")
    expected = signed_in and state in ("submitted", "considering", "accepted")
    assert people[person].has_perm("community.support_idea", idea) is expected


@pytest.mark.parametrize("person", PERSONS)
def test_propose_idea_is_for_anyone_signed_in(people, person):
    expected = person not in ("anonymous", "deactivated_editor")
    assert people[person].has_perm("community.propose_idea") is expected


@pytest.mark.parametrize("state", IDEA_STATES)
@pytest.mark.parametrize("person", PERSONS)
def test_anyone_signed_in_follows_an_idea_in_any_state(people, person, state):
    idea = _idea_in(state, people["authority"], people["officer"])
    expected = person not in ("anonymous", "deactivated_editor")
    assert people[person].has_perm("community.follow_idea", idea) is expected


@pytest.mark.parametrize("person", ["other_officer", "platform_admin", "org_admin", "resident"])
def test_the_service_refuses_an_answer_from_anyone_else_and_nothing_changes(people, person):
    from ngo_platform.community.models import IdeaAnswer
    from ngo_platform.community.services import idea_answer

    idea = _idea_in("submitted", people["authority"], people["officer"])
    with pytest.raises(PermissionDenied):
        idea_answer(actor=people[person], idea=idea, step="accept", text="Tak.")
    idea.refresh_from_db()
    assert idea.state == "submitted" and not IdeaAnswer.objects.exists()
