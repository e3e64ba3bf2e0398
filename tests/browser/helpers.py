"""What the browser tests share."""

import re
import time
from urllib.parse import urlsplit

from tests.accounts.factories import PASSWORD


def log_in(page, email, password=PASSWORD, *, totp_secret=None):
    """Sign in through the login page; with `totp_secret`, answer the TOTP step with the current code."""
    page.goto("/konto/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Hasło").fill(password)
    page.get_by_role("button", name="Zaloguj", exact=True).click()
    if totp_secret:
        page.wait_for_url(re.compile(r"/konto/2fa/authenticate/$"))
        enter_totp(page, totp_secret)
    page.wait_for_url(re.compile(r"/konto/profil/$"))


def enter_totp(page, secret):
    """Answer the TOTP step with the current code of `secret`."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    # The server accepts only the current 30-second step (no tolerance): a code made in the last
    # seconds of a step could expire before it arrives, so wait for a fresh step then.
    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < 5:
        time.sleep(left + 0.2)
    counters = list(yield_hotp_counters_from_time())
    page.locator("#id_code").fill(format_hotp_value(hotp_value(secret, counters[len(counters) // 2])))
    page.locator("#id_code").press("Enter")


def only_own_origin(page, live_server):
    """Assert that the page requested nothing from another origin."""
    own = urlsplit(live_server.url).netloc
    foreign = [
        url for url in page.requested_urls if urlsplit(url).netloc not in (own, "") and not url.startswith("data:")
    ]
    assert foreign == [], f"requests to third-party origins: {foreign}"
