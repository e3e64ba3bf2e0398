"""Following and unfollowing: the subjects and items on the follows page, the follow button of a thread and of an
idea (only for what the person may read), the preferences, and the old consultations address."""

import pytest
from django.core.exceptions import PermissionDenied

from ngo_platform.core.models import AuditEntry
from ngo_platform.notifications import services
from ngo_platform.notifications.models import Follow
from tests.accounts.factories import UserFactory
from tests.community.factories import make_idea, make_news
from tests.forum.factories import established, make_category, make_thread
from tests.helpers import get_page

pytestmark = pytest.mark.django_db

URL = "/konto/obserwowane/"


def follow_url(label, pk):
    return f"{URL}{label}/{pk}/"


def test_an_anonymous_visitor_is_sent_to_log_in_and_back_to_the_thread(client):
    thread = make_thread()
    response = client.post(follow_url("forum.thread", thread.pk), {"action": "follow"})
    assert response.status_code == 302
    assert (
        response["Location"].startswith("/konto/login/") and f"next=/forum/watki/{thread.pk}/" in response["Location"]
    )
    assert not Follow.objects.filter(target_id=thread.pk, user__isnull=False).exclude(user=thread.author).exists()


def test_a_person_follows_a_thread_from_its_page_and_stops(client):
    thread = make_thread()
    person = established()
    client.force_login(person)
    page = get_page(client, thread.get_absolute_url(), max_queries=14).content.decode()
    assert "Powiadamiaj mnie e-mailem" in page
    response = client.post(follow_url("forum.thread", thread.pk), {"action": "follow"})
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert Follow.objects.filter(user=person, target_id=thread.pk).count() == 1
    client.post(follow_url("forum.thread", thread.pk), {"action": "follow"})  # a double click
    assert Follow.objects.filter(user=person, target_id=thread.pk).count() == 1
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Przestań obserwować" in page
    client.post(follow_url("forum.thread", thread.pk), {"action": "unfollow"})
    assert not Follow.objects.filter(user=person, target_id=thread.pk).exists()
    assert AuditEntry.objects.filter(action="notifications.follow_add", actor=person).count() == 1
    assert AuditEntry.objects.filter(action="notifications.follow_remove", actor=person).count() == 1


def test_nobody_follows_what_they_may_not_read_or_what_is_not_followable(client, opolskie):
    thread = make_thread(make_category(slug="dla-czlonkow", audience="members"), author=UserFactory(is_staff=True))
    person = established()
    client.force_login(person)
    assert client.post(follow_url("forum.thread", thread.pk), {"action": "follow"}).status_code == 404
    news = make_news(authority=opolskie)
    assert client.post(follow_url("community.news", news.pk), {"action": "follow"}).status_code == 404
    assert client.post(follow_url("forum.thread", 999999), {"action": "follow"}).status_code == 404
    assert client.get(follow_url("forum.thread", thread.pk)).status_code == 405
    with pytest.raises(PermissionDenied):
        services.follow_add(actor=person, target=thread)
    with pytest.raises(PermissionDenied):
        services.follow_add(actor=person, target=news)
    assert not Follow.objects.filter(user=person).exists()


def test_the_follows_page_lists_subjects_and_items_and_removes_them_in_the_same_queries(client, opolskie):
    person = established()
    client.force_login(person)
    services.follow_add(actor=person, authority=opolskie)
    with_items = get_page(client, URL, max_queries=16)
    for number in range(3):
        services.follow_add(actor=person, target=make_idea(title=f"Pomysł {number}"))
        make_thread(author=person, title=f"Wątek {number}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    services.follow_add(actor=person, target=make_idea(title="Pomysł 3"))
    make_thread(author=person, title="Wątek 3")
    with CaptureQueriesContext(connection) as more:
        page = client.get(URL).content.decode()
    assert len(more) == len(one)  # the items are read once per kind, however many
    assert "Województwo Opolskie" in page and "Pomysł 3" in page and "Wątek 3" in page
    assert "(wątek)" in page and "(pomysł lub potrzeba)" in page
    assert with_items.status_code == 200
    follow = Follow.objects.get(user=person, target_id__isnull=True)
    response = client.post(URL, {"form": "remove", "id": str(follow.pk)})
    assert response.status_code == 302 and not Follow.objects.filter(pk=follow.pk).exists()
    other = Follow.objects.create(user=UserFactory(), authority=opolskie)
    assert client.post(URL, {"form": "remove", "id": str(other.pk)}).status_code == 404  # not theirs
    assert client.post(URL, {"form": "remove", "id": "x"}).status_code == 404


def test_following_a_subject_needs_exactly_one_and_the_preferences_survive_a_save(client, opolskie):
    person = UserFactory()
    client.force_login(person)
    response = client.post(URL, {"form": "follow"})
    assert response.status_code == 200
    assert "Wybierz dokładnie jedną rzecz do obserwowania" in response.content.decode() and not Follow.objects.exists()
    client.post(URL, {"form": "preference", "daily_digest": "on"})
    page = client.get(URL).content.decode()
    digest_box = page.split('name="daily_digest"')[1].split(">")[0]
    email_box = page.split('name="email_enabled"')[1].split(">")[0]
    assert "checked" in digest_box and "checked" not in email_box  # as saved: e-mails off, digest on


def test_an_idea_is_followed_from_its_page(client):
    idea = make_idea()
    person = UserFactory()
    client.force_login(person)
    client.post(follow_url("community.idea", idea.pk), {"action": "follow"})
    assert Follow.objects.filter(user=person, target_id=idea.pk).exists()
    assert "Przestań obserwować" in client.get(idea.get_absolute_url()).content.decode()


def test_the_old_consultations_address_leads_here(client):
    response = client.get("/konsultacje/obserwowane/")
    assert response.status_code == 301 and response["Location"] == URL


def test_a_deleted_thread_takes_its_follows_with_it():
    thread = make_thread()
    assert Follow.objects.filter(target_id=thread.pk).count() == 1
    thread.delete()
    assert not Follow.objects.exists()
