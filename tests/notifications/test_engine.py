"""The one follow-and-notify mechanism of every module: who is told what (followers of an authority, a territory
containing the item, a sphere, or the item itself), once, at once or in the daily digest, only what they may read,
and nothing twice when a run is repeated, killed halfway or run twice at the same moment."""

import io
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from ngo_platform.community import services as community_services
from ngo_platform.forum import services as forum_services
from ngo_platform.notifications import engine, services
from ngo_platform.notifications.models import Follow, NotificationSent
from ngo_platform.organisations.selectors import current_spheres
from ngo_platform.territory.models import TerritorialUnit
from tests.accounts.factories import AuthorityMembershipFactory, UserFactory
from tests.community.factories import make_event, make_idea, make_news
from tests.forum.factories import established, make_category, make_thread
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def notify(*args):
    call_command("notify", *args, stdout=io.StringIO())


def subjects_of(person) -> list[str]:
    return sorted(message.subject for message in mail.outbox if message.to == [person.email])


def test_news_events_and_ideas_reach_the_followers_of_their_authority_territory_or_sphere_once(opolskie, gmina_brzeg):
    sphere = current_spheres()[0]
    of_voivodeship, of_powiat, of_sphere, of_gmina = (UserFactory() for _ in range(4))
    services.follow_add(actor=of_voivodeship, authority=opolskie)
    services.follow_add(actor=of_powiat, unit=TerritorialUnit.objects.get(teryt="1601"))  # powiat brzeski
    services.follow_add(actor=of_sphere, sphere=sphere)
    services.follow_add(actor=of_gmina, authority=gmina_brzeg)
    make_news(authority=opolskie, title="Nabór do rady", spheres=[sphere])
    make_news(authority=opolskie, title="Szkic", state="draft")
    make_event(organisation=OrganisationFactory(), title="Piknik w Brzegu")  # its place is in gmina Brzeg
    make_idea(author=of_gmina, authority=gmina_brzeg, title="Ławki w parku")
    mail.outbox.clear()
    notify()
    assert subjects_of(of_voivodeship) == ["Aktualność: Nabór do rady"]
    assert subjects_of(of_sphere) == ["Aktualność: Nabór do rady"]
    assert subjects_of(of_powiat) == ["Pomysł lub potrzeba: Ławki w parku", "Wydarzenie: Piknik w Brzegu"]
    assert subjects_of(of_gmina) == []  # the idea is their own; the event is not the gmina authority's
    assert not any("Szkic" in message.subject for message in mail.outbox)
    count = len(mail.outbox)
    notify()
    notify("--digest")
    assert len(mail.outbox) == count  # nothing new, nobody with a digest pending


def test_a_new_follower_hears_of_what_comes_next_not_of_what_happened_before(opolskie):
    make_news(authority=opolskie, title="Stara aktualność")
    follower = UserFactory()
    services.follow_add(actor=follower, authority=opolskie)
    make_news(authority=opolskie, title="Nowa aktualność")
    mail.outbox.clear()
    notify()
    assert subjects_of(follower) == ["Aktualność: Nowa aktualność"]


def test_a_cancelled_event_is_told_to_those_who_heard_of_it(opolskie):
    follower = UserFactory()
    services.follow_add(actor=follower, authority=opolskie)
    event = make_event(authority=opolskie, title="Spotkanie")
    notify()
    from ngo_platform.community.workflows import EVENT
    from ngo_platform.core.workflow import perform
    from tests.community.factories import writer_for

    perform(EVENT, event, "cancel", actor=writer_for(authority=opolskie))
    mail.outbox.clear()
    notify()
    assert subjects_of(follower) == ["Wydarzenie odwołane: Spotkanie"]


def test_an_answer_reaches_the_ideas_followers_and_not_twice_its_supporters(opolskie):
    idea = make_idea(authority=opolskie, title="Mały grant")
    supporter, follower, both = UserFactory(), UserFactory(), UserFactory()
    community_services.idea_support(actor=supporter, idea=idea)
    community_services.idea_support(actor=both, idea=idea)
    for person in (follower, both):
        services.follow_add(actor=person, target=idea)
    officer = AuthorityMembershipFactory(authority=opolskie).user
    community_services.idea_answer(actor=officer, idea=idea, step="accept", text="Do programu.")
    told_at_once = {tuple(message.to) for message in mail.outbox}
    assert (supporter.email,) in told_at_once and (both.email,) in told_at_once
    mail.outbox.clear()
    notify()
    assert subjects_of(follower) == ["Odpowiedź na obserwowany pomysł: Mały grant"]
    assert subjects_of(both) == [] and subjects_of(supporter) == []
    assert "przyjęty" in mail.outbox[0].body and idea.get_absolute_url() in mail.outbox[0].body


def test_a_thread_follower_gets_each_visible_reply_once_and_never_their_own():
    starter, replier = established(), established()
    thread = make_thread(author=starter)  # whoever writes in a thread follows it
    forum_services.reply(actor=replier, thread=thread, body="Według faktur.")
    mail.outbox.clear()
    notify()
    assert subjects_of(starter) == ["Nowa odpowiedź w obserwowanym wątku: Jak rozliczyć wkład osobowy?"]
    assert subjects_of(replier) == []
    newcomer = UserFactory()  # a new account: its post with a link waits for a moderator
    waiting = forum_services.reply(actor=newcomer, thread=thread, body="Zobacz https://example.org/wklad")
    mail.outbox.clear()
    notify()
    assert mail.outbox == []  # nobody hears of a post nobody may read yet
    forum_services.post_moderate(actor=UserFactory(is_staff=True), post=waiting, step="approve")
    mail.outbox.clear()
    notify()
    assert sorted(message.to[0] for message in mail.outbox) == sorted([starter.email, replier.email])
    services.follow_remove(actor=starter, follow=Follow.objects.get(user=starter))
    forum_services.reply(actor=replier, thread=thread, body="Jeszcze jedno.")
    mail.outbox.clear()
    notify()
    assert subjects_of(starter) == []


def test_a_members_thread_reaches_only_those_who_may_still_read_it(opolskie):
    category = make_category(slug="dla-czlonkow", audience="members")
    membership = AuthorityMembershipFactory(authority=opolskie)
    thread = make_thread(category, author=membership.user)
    other_officer = AuthorityMembershipFactory(authority=opolskie).user
    membership.delete()  # no longer an officer: the members' category is closed to them
    forum_services.reply(actor=other_officer, thread=thread, body="Odpowiedź dla członków.")
    mail.outbox.clear()
    notify()
    assert subjects_of(membership.user) == []
    assert NotificationSent.objects.filter(user=membership.user).count() == 0


def test_the_daily_digest_gathers_every_kind_in_one_email_newest_first_and_only_once(opolskie):
    reader, at_once = UserFactory(), UserFactory()
    for person in (reader, at_once):
        services.follow_add(actor=person, authority=opolskie)
    services.preference_set(actor=reader, email_enabled=True, daily_digest=True)
    make_idea(authority=opolskie, title="Jeden formularz")
    make_news(authority=opolskie, title="Nabór do rady")
    mail.outbox.clear()
    notify()
    assert subjects_of(reader) == [] and len(subjects_of(at_once)) == 2
    notify("--digest")
    assert subjects_of(reader) == ["Obserwowane: 2 nowości"]
    body = next(message.body for message in mail.outbox if message.to == [reader.email])
    assert body.index("Nabór do rady") < body.index("Jeden formularz")  # the newest first
    assert "Aktualność" in body and "Pomysł lub potrzeba" in body and "/konto/obserwowane/" in body
    notify("--digest")
    notify()
    assert subjects_of(reader) == ["Obserwowane: 2 nowości"] and len(subjects_of(at_once)) == 2


def test_nobody_with_e_mails_off_or_inactive_is_told(opolskie):
    off, gone = UserFactory(), UserFactory()
    for person in (off, gone):
        services.follow_add(actor=person, authority=opolskie)
    services.preference_set(actor=off, email_enabled=False, daily_digest=False)
    gone.is_active = False
    gone.save()
    make_news(authority=opolskie)
    mail.outbox.clear()
    notify()
    notify("--digest")
    assert mail.outbox == []


def test_what_happened_before_the_window_is_no_news(opolskie):
    follower = UserFactory()
    services.follow_add(actor=follower, authority=opolskie)
    make_news(authority=opolskie, title="Dawno temu")
    Follow.objects.filter(user=follower).update(created_at=timezone.now() - timedelta(days=90))
    mail.outbox.clear()
    engine.send(now=timezone.now() + engine.NEWS_FOR + timedelta(days=1))
    assert mail.outbox == []


def test_a_run_killed_halfway_then_run_again_sends_each_email_exactly_once(opolskie):
    followers = [UserFactory() for _ in range(3)]
    for person in followers:
        services.follow_add(actor=person, authority=opolskie)
    make_news(authority=opolskie, title="Nabór")
    real = engine.email_notify
    calls = []

    def dies_on_the_second_person(**kwargs):
        calls.append(kwargs["to"])
        if len(calls) == 2:
            raise KeyboardInterrupt  # the worker killed while it e-mails the second person
        real(**kwargs)

    mail.outbox.clear()
    with mock.patch.object(engine, "email_notify", dies_on_the_second_person), pytest.raises(KeyboardInterrupt):
        engine.send()
    assert NotificationSent.objects.count() == 1  # the second person's record rolled back with their e-mail
    engine.send()
    engine.send()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(person.email for person in followers)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_each_email_once(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    from ngo_platform.territory.models import Authority

    opolskie = Authority.objects.get(unit__teryt="16")
    followers = [UserFactory() for _ in range(6)]
    for person in followers:
        services.follow_add(actor=person, authority=opolskie)
    make_news(authority=opolskie, title="Nabór")
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    failures = []

    def run():
        barrier.wait()
        try:
            engine.send()
        except Exception as error:  # told to the test below, not lost in the thread
            failures.append(error)
        finally:
            connection.close()

    with override_settings(DEBUG=False):
        runs = [threading.Thread(target=run) for _ in range(2)]
        for thread in runs:
            thread.start()
        for thread in runs:
            thread.join()
    assert failures == []
    assert sorted(message.to[0] for message in mail.outbox) == sorted(person.email for person in followers)


def test_replies_in_a_thread_whose_opening_post_is_hidden_are_told_to_nobody():
    starter, follower = established(), established()
    thread = make_thread(author=starter)
    services.follow_add(actor=follower, target=thread)
    reply = forum_services.reply(actor=established(), thread=thread, body="Odpowiedź przed ukryciem.")
    moderator = UserFactory(is_staff=True)
    forum_services.post_moderate(
        actor=moderator, post=thread.posts.get(is_opening=True), step="hide", reason="Reklama."
    )
    mail.outbox.clear()
    notify()
    notify("--digest")
    assert mail.outbox == [] and not NotificationSent.objects.filter(item=f"forum.post:{reply.pk}").exists()
    stranger = established()
    from django.test import Client

    browser = Client()
    browser.force_login(stranger)
    assert browser.post(f"/konto/obserwowane/forum.thread/{thread.pk}/", {"action": "follow"}).status_code == 404
    assert not Follow.objects.filter(user=stranger).exists()


def test_nobody_hears_of_their_own_writing_and_a_later_supporter_still_hears_the_answer(opolskie):
    officer = AuthorityMembershipFactory(authority=opolskie).user
    services.follow_add(actor=officer, authority=opolskie)
    make_news(authority=opolskie, author=officer, title="Własna aktualność")
    make_event(authority=opolskie, author=officer, title="Szkic wydarzenia", state="draft")
    idea = make_idea(authority=opolskie, title="Mały grant")
    services.follow_add(actor=officer, target=idea)
    late = UserFactory()
    services.follow_add(actor=late, target=idea)
    community_services.idea_answer(actor=officer, idea=idea, step="consider", text="Rozważamy.")
    community_services.idea_support(actor=late, idea=idea)  # supported after the answer: not told at once
    mail.outbox.clear()
    notify()
    assert subjects_of(officer) == ["Pomysł lub potrzeba: Mały grant"]  # not their news, answer or draft
    assert subjects_of(late) == ["Odpowiedź na obserwowany pomysł: Mały grant"]


def test_a_run_asks_the_same_queries_whatever_the_number_of_replies(opolskie):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    category = make_category(slug="dla-czlonkow", audience="members")

    def run_with(replies: int) -> int:
        thread = make_thread(category, author=AuthorityMembershipFactory(authority=opolskie).user)
        services.follow_add(actor=AuthorityMembershipFactory(authority=opolskie).user, target=thread)
        writer = AuthorityMembershipFactory(authority=opolskie).user
        for number in range(replies):
            forum_services.reply(actor=writer, thread=thread, body=f"Odpowiedź {number}.")
        with CaptureQueriesContext(db) as queries:
            engine.send()
        return len(queries)

    assert run_with(6) <= run_with(1)  # the second run has one thread more of its own: not more queries
