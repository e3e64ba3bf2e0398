"""A newcomer's first visit, in a real browser: every page visited is checked with axe-core."""

import re
from urllib.parse import urlsplit

from django.core import mail

from ngo_platform.accounts.models import User
from tests.browser.helpers import enter_totp, only_own_origin

PASSWORD = "Zielona-Lipa-2026"


def test_newcomer_signs_up_verifies_logs_in_switches_language_and_contrast(page, live_server, assert_accessible):
    page.goto("/")
    assert page.get_attribute("html", "lang") == "pl"
    assert_accessible(page)

    # The skip link is the first thing the keyboard reaches, and it moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.get_by_role("link", name="Zarejestruj się").first.click()
    assert_accessible(page)

    # A mistake first: the error summary and the field message, in Polish, accessible.
    page.get_by_label("Imię i nazwisko").fill("Nowa Osoba")
    page.get_by_label("Adres e-mail").fill("nie-email")
    page.get_by_label("Hasło:", exact=True).fill(PASSWORD)
    page.get_by_label("Hasło (ponownie):").fill(PASSWORD)
    page.get_by_role("button", name="Zarejestruj się").click()
    assert page.locator(".error-summary").is_visible()
    assert "Wprowadź poprawny adres email." in page.locator("#id_email_error").inner_text()
    assert_accessible(page)
    assert not User.objects.exists()

    page.get_by_label("Adres e-mail").fill("nowa@example.pl")
    page.get_by_label("Hasło:", exact=True).fill(PASSWORD)
    page.get_by_label("Hasło (ponownie):").fill(PASSWORD)
    page.get_by_role("button", name="Zarejestruj się").click()
    page.wait_for_url(re.compile(r"/konto/confirm-email/$"))
    assert_accessible(page)
    # The name typed before the mistake survived it and is stored with the account.
    assert User.objects.get(email="nowa@example.pl").display_name == "Nowa Osoba"

    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/konto/confirm-email/[^\s]+", mail.outbox[0].body).group(0)
    page.goto(urlsplit(link).path)
    assert_accessible(page)
    page.get_by_role("button", name="Potwierdź").click()
    page.wait_for_url(re.compile(r"/konto/login/"))
    assert_accessible(page)

    page.get_by_label("E-mail").fill("nowa@example.pl")
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj", exact=True).click()
    page.wait_for_url(re.compile(r"/konto/profil/$"))
    assert page.get_by_role("heading", name="Moje konto").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_role("heading", name="My account").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="High contrast").click()
    page.wait_for_load_state()
    assert "theme-contrast" in page.get_attribute("html", "class")
    assert_accessible(page)
    page.goto("/samorzady/")
    assert "theme-contrast" in page.get_attribute("html", "class")  # remembered
    assert page.get_attribute("html", "lang") == "en"
    assert_accessible(page)
    only_own_origin(page, live_server)


def test_public_pages_are_accessible_in_both_themes_and_at_320_px(new_page, live_server, assert_accessible):
    page = new_page(viewport={"width": 320, "height": 640})
    pages = [
        "/",
        "/o-platformie/",
        "/deklaracja-dostepnosci/",
        "/prywatnosc/",
        "/samorzady/",
        "/samorzady/miasto-opole-1661/",
        "/samorzady/gmina-biala-1610013/",
        "/konto/login/",
        "/konto/password/reset/",
    ]
    for url in pages:
        page.goto(url)
        assert_accessible(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{url} scrolls sideways at 320 px by {overflow}px"
    page.locator(".display-fold > summary").click()  # on a phone the display switches fold behind "Widok"
    page.get_by_role("button", name="Duży tekst").click()
    page.locator(".display-fold > summary").click()
    page.get_by_role("button", name="Wysoki kontrast").click()
    for url in pages:
        page.goto(url)
        assert "theme-contrast" in page.get_attribute("html", "class")
        assert_accessible(page)
    only_own_origin(page, live_server)


def test_everything_works_without_javascript(new_page, live_server):
    page = new_page(java_script_enabled=False)
    page.goto("/samorzady/")
    page.get_by_role("button", name="Wysoki kontrast").click()
    assert "theme-contrast" in page.get_attribute("html", "class")
    page.get_by_role("button", name="English").click()
    assert page.get_attribute("html", "lang") == "en"
    page.goto("/konto/signup/")
    page.locator("#id_display_name").fill("Bez JS")
    page.locator("#id_email").fill("bez-js@example.pl")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    assert User.objects.filter(email="bez-js@example.pl").exists()


def test_platform_admin_logs_in_with_totp_and_reads_the_audit_log(page, live_server, assert_accessible):
    from allauth.mfa.totp.internal.auth import TOTP

    from ngo_platform.core.services import audit_log
    from tests.accounts.factories import PASSWORD as FACTORY_PASSWORD
    from tests.accounts.factories import UserFactory

    secret = "JBSWY3DPEHPK3PXP"
    admin = UserFactory(email="admin@example.pl", is_staff=True)
    TOTP.activate(admin, secret)
    audit_log(actor=admin, action="test.visible_in_browser")

    page.goto("/konto/login/")
    page.get_by_label("E-mail").fill("admin@example.pl")
    page.get_by_label("Hasło").fill(FACTORY_PASSWORD)
    page.get_by_role("button", name="Zaloguj", exact=True).click()
    page.wait_for_url(re.compile(r"/konto/2fa/authenticate/$"))
    assert_accessible(page)
    enter_totp(page, secret)
    page.wait_for_url(re.compile(r"/konto/profil/$"))

    page.get_by_role("link", name="Dziennik zdarzeń").click()
    assert page.get_by_text("test.visible_in_browser").is_visible()
    assert_accessible(page)
    page.get_by_label("Czynność").fill("nie-ma-takiej")
    page.get_by_role("button", name="Filtruj").click()
    assert page.get_by_text("0 wpisów").is_visible()
    assert_accessible(page)
    for url in ("/konto/password/change/", "/konto/email/", "/konto/2fa/"):
        page.goto(url)
        assert_accessible(page)
    only_own_origin(page, live_server)
