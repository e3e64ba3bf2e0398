"""The error pages (core/errors.py): 400, 403, 404 and 500 in the site's layout and the request's language, what
each says, the 500 page without the database, the one-line log of expected refusals (core/logging.py), and pages
that offer no link to an action the viewer would be refused."""

import logging
from urllib.parse import quote

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import OperationalError
from django.urls import path

from ngo_platform import urls as project_urls
from ngo_platform.core import errors
from tests.accounts.factories import UserFactory
from tests.competitions.factories import CompetitionFactory, member, verified_organisation
from tests.core.query_fixtures import sign_in
from tests.helpers import third_party_urls

pytestmark = pytest.mark.django_db

MESSAGE = "Only an administrator of the organisation may withdraw the offer."


def refuse(request):
    raise PermissionDenied


def refuse_with_message(request):
    raise PermissionDenied(MESSAGE)


def crash(request):
    raise RuntimeError("the server broke")


def malformed(request):
    raise BadRequest("malformed")


# The project's URLconf with views that fail on purpose; the handlers are the project's own.
urlpatterns = [
    path("proba/odmowa/", refuse),
    path("proba/odmowa-z-powodem/", refuse_with_message),
    path("proba/awaria/", crash),
    path("proba/zle-zadanie/", malformed),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500

with_failing_views = pytest.mark.urls(__name__)


def assert_in_layout(html: str, language: str = "pl") -> None:
    assert f'<html lang="{language}"' in html
    assert 'class="skip-link" href="#main"' in html and '<main id="main"' in html
    assert '<header class="site-header">' in html and '<footer class="site-footer">' in html
    assert third_party_urls(html) == []


def switch_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def test_the_project_wires_the_handlers_of_core_errors():
    assert project_urls.handler400 == "ngo_platform.core.errors.bad_request"
    assert project_urls.handler403 == "ngo_platform.core.errors.permission_denied"
    assert project_urls.handler404 == "ngo_platform.core.errors.page_not_found"
    assert project_urls.handler500 == "ngo_platform.core.errors.server_error"


# --- 404 ---------------------------------------------------------------------------------------------------------


def test_unknown_address_is_a_polish_404_page_in_the_layout(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/this-does-not-exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert_in_layout(html)
    assert "<h1>Strona nie została znaleziona</h1>" in html
    assert "Co mogło się stać" in html and "Adres ma literówkę" in html
    assert 'action="/organizacje/"' in html and 'name="q"' in html  # search the directory
    assert 'href="/">Przejdź na stronę główną</a>' in html
    assert "Zaloguj się, jeśli to Twój projekt" in html  # anonymous: a draft may be theirs


def test_404_is_english_once_the_language_is_switched(client):
    switch_to_english(client)
    response = client.get("/this-does-not-exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert_in_layout(html, "en")
    assert "<h1>Page not found</h1>" in html and "What may have happened" in html
    assert "Search the directory of organisations" in html


def test_404_of_a_view_that_finds_nothing_is_the_same_page(client, reference_data):
    response = client.get("/samorzady/nie-ma-takiej/")
    assert response.status_code == 404
    assert "Strona nie została znaleziona" in response.content.decode()


def test_404_offers_the_previous_page_only_when_it_is_ours(client):
    html = client.get("/nie-ma/", HTTP_REFERER="http://testserver/konkursy/").content.decode()
    assert 'href="http://testserver/konkursy/">Wróć do poprzedniej strony' in html
    html = client.get("/nie-ma/", HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in html and "Wróć do poprzedniej strony" not in html


def test_404_still_answers_when_the_full_page_cannot_be_rendered(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("database is down")

    monkeypatch.setattr(errors, "render", broken)
    response = client.get("/this-does-not-exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert_in_layout(html)
    assert "Strona nie została znaleziona" in html


# --- 403 ---------------------------------------------------------------------------------------------------------


@with_failing_views
def test_403_for_an_anonymous_visitor_offers_to_log_in_and_come_back(client):
    response = client.get("/proba/odmowa/?strona=2")
    assert response.status_code == 403
    html = response.content.decode()
    assert_in_layout(html)
    assert "<h1>Zaloguj się, aby zobaczyć tę stronę</h1>" in html
    assert f'href="/konto/login/?next={quote("/proba/odmowa/?strona=2", safe="")}"' in html
    assert 'href="/konto/signup/"' in html


def test_403_for_a_person_without_the_role_says_whom_to_ask(client):
    client.force_login(UserFactory())
    response = client.get("/audyt/")  # platform admins only
    assert response.status_code == 403
    html = response.content.decode()
    assert_in_layout(html)
    assert "<h1>Brak dostępu do tej strony</h1>" in html
    assert "administratora swojej organizacji" in html and "administratora samorządu" in html
    assert 'href="/konto/profil/"' in html  # their roles
    assert "/konto/login/?next=" not in html
    assert 'class="notice"' not in html  # a bare refusal carries no message


@with_failing_views
def test_403_shows_the_refusal_message_when_it_has_one(client):
    client.force_login(UserFactory())
    html = client.get("/proba/odmowa-z-powodem/").content.decode()
    assert f'<p class="notice">{MESSAGE}</p>' in html
    assert "Brak dostępu do tej strony" in html


@with_failing_views
def test_403_is_english_once_the_language_is_switched(client):
    switch_to_english(client)
    html = client.get("/proba/odmowa/").content.decode()
    assert_in_layout(html, "en")
    assert "<h1>Log in to see this page</h1>" in html


def test_a_failed_csrf_check_is_the_platform_403_page_saying_what_to_do(reference_data):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/konto/login/", {"login": "osoba@example.pl", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert_in_layout(html)
    assert "<h1>Nie udało się wysłać formularza</h1>" in html and "Nic nie zostało zapisane" in html


# --- 400 and 500 -------------------------------------------------------------------------------------------------


@with_failing_views
def test_400_page_in_the_layout(client):
    response = client.get("/proba/zle-zadanie/")
    assert response.status_code == 400
    html = response.content.decode()
    assert_in_layout(html)
    assert "<h1>Nie udało się zrozumieć żądania</h1>" in html


@with_failing_views
def test_500_page_in_the_layout_when_a_view_raises(client):
    client.raise_request_exception = False
    response = client.get("/proba/awaria/")
    assert response.status_code == 500
    html = response.content.decode()
    assert_in_layout(html)
    assert "<h1>Coś poszło nie tak po naszej stronie</h1>" in html
    assert "the server broke" not in html  # nothing of the error is shown


@with_failing_views
def test_500_page_is_english_once_the_language_is_switched(client):
    switch_to_english(client)
    client.raise_request_exception = False
    html = client.get("/proba/awaria/").content.decode()
    assert_in_layout(html, "en")
    assert "Something went wrong on our side" in html


def test_500_page_renders_when_the_database_is_down(client, monkeypatch, django_assert_num_queries):
    """The signed-in person cannot even be read: the middleware fails before any view; the page still comes."""
    client.force_login(UserFactory())

    def database_down(request):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("django.contrib.auth.get_user", database_down)
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert_in_layout(html)
    assert "Coś poszło nie tak po naszej stronie" in html
    assert 'href="/konto/login/"' in html  # drawn as for an anonymous visitor: nothing read


def test_the_last_resort_page_when_even_the_template_fails(rf, monkeypatch):
    def broken(name):
        raise RuntimeError("templates are gone")

    monkeypatch.setattr(errors.loader, "get_template", broken)
    response = errors.server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Wystąpił błąd (500)" in html and "An error occurred (500)" in html


# --- One log line for expected refusals ----------------------------------------------------------------------------


def request_records(caplog):
    return [record for record in caplog.records if record.name == "django.request"]


def test_a_403_is_logged_as_one_line_without_a_traceback(client, caplog):
    person = UserFactory()
    client.force_login(person)
    with caplog.at_level(logging.INFO):
        assert client.get("/audyt/").status_code == 403
    (record,) = request_records(caplog)
    assert record.getMessage() == f"GET /audyt/ 403 user={person.pk}"
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_404_is_logged_as_one_line_with_an_anonymous_visitor(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/this-does-not-exist/?q=private")
    (record,) = request_records(caplog)
    assert record.getMessage() == "GET /this-does-not-exist/ 404 user=-"  # the path only, not the query


@with_failing_views
def test_a_403_with_a_message_is_one_line_too(client, caplog):
    with caplog.at_level(logging.INFO):
        client.post("/proba/odmowa-z-powodem/")
    (record,) = request_records(caplog)
    assert record.getMessage() == "POST /proba/odmowa-z-powodem/ 403 user=-"
    assert record.exc_info is None and "Traceback" not in caplog.text


def test_a_forged_log_line_in_the_address_is_escaped(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/nie-ma/%0Afalszywy-wpis")
    (record,) = request_records(caplog)
    assert "\n" not in record.getMessage() and "\\n" in record.getMessage()


@with_failing_views
def test_a_500_keeps_its_traceback(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO):
        client.get("/proba/awaria/")
    (record,) = request_records(caplog)
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert "Traceback" in caplog.text and "the server broke" in caplog.text


# --- No link leads to a refusal ------------------------------------------------------------------------------------


def test_an_officer_sees_no_offer_links_on_a_competition_page(client, opolskie):
    competition = CompetitionFactory()
    sign_in(client, member_of_authority(opolskie), officer=True)
    html = client.get(competition.get_absolute_url()).content.decode()
    assert "<h2>Dla urzędu</h2>" in html  # the page as its officer sees it
    assert f"/konkursy/{competition.slug}/oferta/" not in html
    assert "Twoje oferty" not in html and "Przygotuj ofertę" not in html


def test_a_representative_is_offered_to_prepare_an_offer(client, opolskie):
    competition = CompetitionFactory()
    client.force_login(member(verified_organisation()))
    html = client.get(competition.get_absolute_url()).content.decode()
    assert f'href="/konkursy/{competition.slug}/oferta/"' in html and "Twoje oferty" in html
    assert client.get(f"/konkursy/{competition.slug}/oferta/").status_code == 200


def test_a_person_without_an_organisation_is_told_how_to_take_part(client, opolskie):
    competition = CompetitionFactory()
    client.force_login(UserFactory())
    html = client.get(competition.get_absolute_url()).content.decode()
    assert f"/konkursy/{competition.slug}/oferta/" not in html
    assert 'href="/organizacje/zarejestruj/"' in html
    # The link was a refusal for them:
    assert client.get(f"/konkursy/{competition.slug}/oferta/").status_code == 403


def test_a_representative_is_not_asked_to_claim_their_own_organisation(client, reference_data):
    organisation = verified_organisation()
    client.force_login(member(organisation))
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert f"/organizacje/{organisation.slug}/reprezentuj/" not in html
    client.force_login(UserFactory())
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert f'href="/organizacje/{organisation.slug}/reprezentuj/"' in html


def member_of_authority(authority):
    from tests.competitions.factories import officer

    return officer(authority)
