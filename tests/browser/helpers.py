"""What the browser tests share."""

import re
from urllib.parse import urlsplit

from tests.accounts.factories import PASSWORD


def log_in(page, email, password=PASSWORD, *, totp_secret=None):
    """Sign in through the login page; with `totp_secret`, answer the TOTP step with the current code."""
    page.goto("/konto/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Hasło").fill(password)
    page.get_by_role("button", name="Zaloguj", exact=True).click()
    if totp_secret:
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

        page.wait_for_url(re.compile(r"/konto/2fa/authenticate/$"))
        counters = list(yield_hotp_counters_from_time())
        page.locator("#id_code").fill(format_hotp_value(hotp_value(totp_secret, counters[len(counters) // 2])))
        page.locator("#id_code").press("Enter")
    page.wait_for_url(re.compile(r"/konto/profil/$"))


def only_own_origin(page, live_server):
    """Assert that the page requested nothing from another origin."""
    own = urlsplit(live_server.url).netloc
    foreign = [url for url in page.requested_urls if urlsplit(url).netloc not in (own, "") and not url.startswith("data:")]
    assert foreign == [], f"requests to third-party origins: {foreign}"
