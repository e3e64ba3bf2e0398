"""The layout on a phone and on a wide screen: the header folds behind "Menu" and "Display" at 390 px (no
JavaScript needed), and shows everything at once on a wide screen."""

import pytest

from tests.browser.conftest import PHONE_WIDTH

PUBLIC_PAGES = ["/", "/organizacje/", "/samorzady/", "/konsultacje/", "/konkursy/", "/wybory/", "/o-platformie/"]


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_phone_the_menu_folds_and_opens_by_keyboard(new_page, assert_accessible, javascript):
    page = new_page(viewport={"width": PHONE_WIDTH, "height": 800}, java_script_enabled=javascript)
    page.goto("/")
    menu = page.get_by_role("navigation", name="Menu główne")
    consultations = menu.get_by_role("link", name="Konsultacje")
    assert not consultations.is_visible()
    assert page.locator(".site-header").bounding_box()["height"] < 200  # was ~270 px: a third of the screen
    page.locator(".menu-fold > summary").focus()
    page.keyboard.press("Enter")
    assert consultations.is_visible()
    assert not page.get_by_role("button", name="Wysoki kontrast").is_visible()
    page.locator(".display-fold > summary").focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Wysoki kontrast").is_visible()
    if javascript:
        assert_accessible(page)


def test_on_a_wide_screen_everything_shows_without_a_click(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    assert page.get_by_role("navigation", name="Menu główne").get_by_role("link", name="Konsultacje").is_visible()
    assert page.get_by_role("button", name="Wysoki kontrast").is_visible()
    assert not page.locator(".menu-fold > summary").is_visible()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_fit_a_phone(new_page, assert_valid_html, path):
    page = new_page(viewport={"width": PHONE_WIDTH, "height": 800})
    assert page.goto(path).status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert_valid_html(page)


def test_the_html_check_reports_an_error_with_its_line_and_passes_a_valid_page(html_checker):
    if html_checker is None:
        pytest.skip("the Nu Html Checker is not installed")
    page = '<!DOCTYPE html>\n<html lang="pl"><head><title>Próba</title></head><body><main><h1>Próba</h1>\n{}</main>'
    assert html_checker.errors(page.format("<p>Zażółć gęślą jaźń</p>").encode()) == []
    errors = html_checker.errors(page.format('<h2 role="status">0 wyników</h2>').encode())
    assert [(error["lastLine"], error["message"]) for error in errors] == [
        (3, "Bad value “status” for attribute “role” on element “h2”.")
    ]
