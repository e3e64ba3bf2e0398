"""The error pages in a real browser: axe-clean, no sideways scroll at 390 px (both checked by `assert_accessible`),
valid HTML, and their ways on work."""

import re

import pytest

from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.helpers import log_in, only_own_origin


def test_404_page_is_accessible_and_its_search_leads_to_the_directory(page, live_server, assert_accessible):
    response = page.goto("/nie-ma-takiej-strony/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Strona nie została znaleziona"
    assert_accessible(page)
    page.get_by_role("search").get_by_role("searchbox").fill("stowarzyszenie")
    page.get_by_role("search").get_by_role("button", name="Szukaj").click()
    page.wait_for_url(re.compile(r"/organizacje/\?q=stowarzyszenie$"))
    only_own_origin(page, live_server)


@pytest.mark.urls("tests.core.test_errors")
def test_403_page_for_a_visitor_logs_in_and_comes_back(page, live_server, assert_accessible):
    person = UserFactory()
    response = page.goto("/proba/odmowa-z-powodem/")
    assert response.status == 403
    assert_accessible(page)
    page.locator("main").get_by_role("link", name="Zaloguj się").click()
    page.get_by_label("E-mail").fill(person.email)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj", exact=True).click()
    page.wait_for_url(re.compile(r"/proba/odmowa-z-powodem/$"))
    # Signed in now, still without the role: the refusal's own message and whom to ask.
    assert (
        page.locator("main .notice").inner_text() == "Only an administrator of the organisation may withdraw the offer."
    )
    assert_accessible(page)
    only_own_origin(page, live_server)


def test_403_page_for_a_person_without_the_role(page, live_server, assert_accessible):
    person = UserFactory()
    log_in(page, person.email)
    response = page.goto("/audyt/")
    assert response.status == 403
    assert_accessible(page)
    page.get_by_role("link", name="Przejdź na stronę główną").click()
    page.wait_for_url(re.compile(r"/$"))


@pytest.mark.urls("tests.core.test_errors")
def test_500_page_is_accessible(page, live_server, assert_accessible):
    response = page.goto("/proba/awaria/")
    assert response.status == 500
    assert_accessible(page)
    only_own_origin(page, live_server)
