"""The person's notification settings page, which every e-mail links to at its end."""

import pytest

from ngo_platform.notifications import services as follow_services
from tests.accounts.factories import UserFactory
from tests.helpers import get_page

pytestmark = pytest.mark.django_db

URL = "/konto/powiadomienia/"


def test_the_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_the_page_says_where_emails_go_and_links_to_each_setting(client):
    person = UserFactory(email="ola@example.pl")
    client.force_login(person)
    html = get_page(client, URL, max_queries=8).content.decode()
    assert "Wiadomości wysyłamy na adres ola@example.pl." in html
    assert 'href="/konto/email/"' in html and 'href="/konto/obserwowane/"' in html
    assert (
        "Włączone, osobny e-mail" in html and "Obserwujesz 0 samorządów, obszarów, sfer, wątków lub pomysłów." in html
    )
    assert "E-maile w Twoich sprawach" in html


def test_the_page_shows_the_preferences_and_follows(client, opolskie, gmina_brzeg):
    person = UserFactory()
    client.force_login(person)
    follow_services.follow_add(actor=person, authority=opolskie)
    follow_services.preference_set(actor=person, email_enabled=True, daily_digest=True)
    html = get_page(client, URL, max_queries=8).content.decode()
    assert "Włączone, jako jedno codzienne podsumowanie." in html and "Obserwujesz 1 samorząd" in html
    follow_services.follow_add(actor=person, authority=gmina_brzeg)
    follow_services.preference_set(actor=person, email_enabled=False, daily_digest=False)
    html = get_page(client, URL, max_queries=8).content.decode()
    assert "Wyłączone: nie dostajesz e-maili o tym, co obserwujesz." in html and "Obserwujesz 2 samorządy" in html


def test_the_profile_links_to_the_notification_settings(client):
    client.force_login(UserFactory())
    assert f'href="{URL}"' in client.get("/konto/profil/").content.decode()


def test_the_page_runs_the_same_queries_whatever_the_person_follows(client, django_assert_num_queries, opolskie):
    from ngo_platform.territory.models import Authority

    person = UserFactory()
    client.force_login(person)
    client.get(URL)  # warm-up: content types, the session
    # session, user, the person's roles and Django's two permission reads (the header's links), the primary
    # address, the preference, the count of follows
    with django_assert_num_queries(8):
        client.get(URL)
    for authority in Authority.objects.order_by("pk")[:5]:
        follow_services.follow_add(actor=person, authority=authority)
    with django_assert_num_queries(8):
        assert "Obserwujesz 5 samorządów" in client.get(URL).content.decode()
