"""Every public page: status, Polish, landmarks, query budget, no third-party origin, CSP."""

import re

import pytest

from tests.accounts.factories import UserFactory
from tests.helpers import get_page, third_party_urls

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    # (url, max SQL queries)
    # The home page, cold: the five data versions and the page created in the database cache of the tests (a warm
    # page is one cache read, tests/core/test_home.py); then one query per list and per count.
    ("/", 52),
    ("/o-platformie/", 2),
    ("/deklaracja-dostepnosci/", 2),
    ("/prywatnosc/", 2),
    ("/samorzady/", 3),
    # The authority, its contact, officers, councils with their members, and one query per list (tests/territory).
    ("/samorzady/gmina-brzeg-1601011/", 11),
    ("/samorzady/miasto-opole-1661/", 11),
    ("/samorzady/wojewodztwo-opolskie-16/", 11),
    ("/konto/login/", 3),
    ("/konto/signup/", 3),
    ("/konto/password/reset/", 3),
]


@pytest.mark.parametrize(("url", "max_queries"), PUBLIC_PAGES)
def test_public_page_is_polish_accessible_and_self_contained(client, reference_data, url, max_queries):
    response = get_page(client, url, max_queries=max_queries)
    html = response.content.decode()
    assert '<html lang="pl"' in html
    assert 'class="skip-link" href="#main"' in html and '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html
    assert third_party_urls(html) == []
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp


def test_authorities_page_lists_every_gmina_and_powiat_code(client, reference_data):
    html = get_page(client, "/samorzady/", max_queries=3).content.decode()
    codes = set(re.findall(r'<span class="teryt">(\d+)</span>', html))
    gminas = {c for c in codes if len(c) == 7}
    powiats = {c for c in codes if len(c) == 4}
    assert len(gminas) == 71 and all(c.startswith("16") for c in gminas)
    assert len(powiats) == 12 and all(c.startswith("16") for c in powiats)
    assert 'lang="de"' in html and "Zülz" in html


def test_unknown_authority_is_404(client, reference_data):
    get_page(client, "/samorzady/nie-ma-takiej/", max_queries=3, status=404)


def test_english_is_switchable_and_remembered(client, reference_data):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/samorzady/"})
    assert response.status_code == 302 and response["Location"] == "/samorzady/"
    html = client.get("/samorzady/").content.decode()
    assert '<html lang="en"' in html and "Local governments" in html
    client.post("/i18n/setlang/", {"language": "pl", "next": "/"})
    assert "Samorządy" in client.get("/samorzady/").content.decode()


def test_display_preferences_persist_in_cookies_without_javascript(client, reference_data):
    response = client.post("/wyswietlanie/", {"contrast": "on", "next": "/o-platformie/"})
    assert response.status_code == 302 and response["Location"] == "/o-platformie/"
    client.post("/wyswietlanie/", {"font": "larger", "next": "/"})
    html = client.get("/").content.decode()
    assert 'class="theme-contrast font-larger"' in html
    client.post("/wyswietlanie/", {"contrast": "off", "next": "/"})
    assert 'class="font-larger"' in client.get("/").content.decode()


def test_display_preferences_never_redirect_off_site(client):
    response = client.post("/wyswietlanie/", {"contrast": "on", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    response = client.post("/wyswietlanie/", {"font": "enormous", "next": "/"})
    assert "ngo_font" not in response.cookies


def test_display_preferences_refuse_get(client):
    assert client.get("/wyswietlanie/").status_code == 405


def test_profile_shows_roles(client, opolskie):
    from ngo_platform.accounts import services
    from ngo_platform.accounts.models import AuthorityRole

    person = UserFactory()
    client.force_login(person)
    html = get_page(client, "/konto/profil/", max_queries=12).content.decode()
    assert "Nie reprezentujesz" in html
    services.authority_membership_set(actor=None, authority=opolskie, user=person, role=AuthorityRole.OFFICER)
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    html = get_page(client, "/konto/profil/", max_queries=12).content.decode()
    assert "Województwo Opolskie" in html


def test_polish_even_when_the_browser_prefers_english(client, reference_data):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="pl"' in response.content.decode()
    assert response["Content-Language"] == "pl"
