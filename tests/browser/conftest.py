"""Browser tests: Playwright driving Debian's Chromium against a live server, checked with axe-core."""

import os
from io import StringIO

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# themselves (reading the outbox, setting up data) are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("NGO_CHROMIUM", "/usr/bin/chromium")
# The flags the workplace documents for a closed network: no background connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if os.environ.get("NGO_SKIP_BROWSER") or not os.path.exists(CHROMIUM):
        message = f"Chromium not available at {CHROMIUM}"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " and REQUIRE_BROWSER=1")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_data(transactional_db):
    from ngo_platform.territory.models import TerritorialUnit

    if not TerritorialUnit.objects.exists():
        call_command("load_reference_data", stdout=StringIO())


@pytest.fixture
def new_page(browser, live_server, live_data):
    """A factory of fresh pages (own cookies), recording every request the page makes.

    The browser prefers English: the platform must still answer in Polish until the switch is used.
    """
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.requested_urls = []
        page.on("request", lambda request: page.requested_urls.append(request.url))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


PHONE_WIDTH = 390


def assert_fits_a_phone(page):
    """The page as it is now, at 390 px: nothing wider than the screen (a wide table scrolls in its own region)."""
    size = page.viewport_size
    page.set_viewport_size({"width": PHONE_WIDTH, "height": size["height"]})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"{page.url} is {width} px wide at {PHONE_WIDTH} px"
    finally:
        page.set_viewport_size(size)


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core (WCAG 2.1 A and AA rules) on the page as it is now: zero violations."""

    def check(page):
        results = axe.run(
            page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        )
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
        assert_fits_a_phone(page)
        return results

    return check
