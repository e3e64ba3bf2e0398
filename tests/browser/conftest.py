"""Browser tests: Playwright driving Debian's Chromium against a live server, checked with axe-core and the Nu Html
Checker (vnu.jar, see docs/testing.md)."""

import contextlib
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from io import StringIO
from pathlib import Path
from urllib.parse import urldefrag

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
# The Nu Html Checker: scripts/test.sh installs the pinned vnu-jar from npm there and points NGO_VNU_JAR at it.
ROOT = Path(__file__).resolve().parents[2]
JAVA = os.environ.get("NGO_JAVA", "/usr/bin/java")
VNU_JAR = os.environ.get("NGO_VNU_JAR", str(ROOT / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar"))
VNU_START_SECONDS = 180  # ~20 s on an idle machine of two cores


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
        page.document_response = None  # the last main-frame document the server sent (what the HTML check reads)
        page.on("response", lambda response: _record_document(page, response))
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


def _record_document(page, response):
    request = response.request
    if request.is_navigation_request() and request.resource_type == "document" and response.frame == page.main_frame:
        page.document_response = response


def served_html(page) -> bytes:
    """The HTML the server sent for the page's current document, not the DOM after scripts (`page.content()`).

    The main-frame document response recorded by `new_page` is exactly what the browser got, also for a form
    posted back with its errors (which a new GET would not show). When it cannot be read (no recorded response, a
    redirect, the URL changed without a navigation, Chromium dropped the body) the page's URL is fetched again with the
    context's cookies.
    """
    response = page.document_response
    if (
        response is not None
        and urldefrag(response.url).url == urldefrag(page.url).url
        and not 300 <= response.status < 400
    ):
        from playwright.sync_api import Error

        with contextlib.suppress(Error):  # when Chromium no longer has the body, it is fetched again below
            return response.body()
    answer = page.request.get(page.url)
    assert answer.ok, f"{page.url}: the HTML to check could not be fetched again (GET answered {answer.status})"
    return answer.body()


class HtmlChecker:
    """The Nu Html Checker run once per session as an HTTP service on a free port of the loopback."""

    def __init__(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/?out=json"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - the process writes to it until stop()
        self.process = subprocess.Popen(
            [JAVA, "-Xmx1g", "-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp", VNU_JAR]
            + ["nu.validator.servlet.Main", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.ready = False

    def wait_until_ready(self):
        deadline = time.monotonic() + VNU_START_SECONDS
        while not self.ready:
            if self.process.poll() is not None:
                self.log.seek(0)
                pytest.fail(
                    f"the Nu Html Checker stopped at start:\n{self.log.read().decode(errors='replace')[-3000:]}"
                )
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5).close()
                self.ready = True
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail(f"the Nu Html Checker did not answer on port {self.port} in {VNU_START_SECONDS} s")
                time.sleep(0.5)

    def errors(self, html: bytes) -> list[dict]:
        """The checker's errors (and fatal errors) on the document; warnings and info are left out."""
        self.wait_until_ready()
        request = urllib.request.Request(self.url, data=html, headers={"Content-Type": "text/html; charset=utf-8"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            messages = json.load(answer)["messages"]
        return [message for message in messages if message["type"] in ("error", "non-document-error")]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="session")
def html_checker(browser):
    """The running checker, or None when Java or vnu.jar is missing (a failure under REQUIRE_BROWSER=1)."""
    missing = [path for path in (JAVA, VNU_JAR) if not os.path.isfile(path)]
    if os.environ.get("NGO_SKIP_HTML_CHECK") or missing:
        message = f"the Nu Html Checker cannot run ({', '.join(missing) or 'NGO_SKIP_HTML_CHECK'} missing)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " and REQUIRE_BROWSER=1; scripts/test.sh installs it")
        warnings.warn(f"{message}: PAGES ARE NOT CHECKED FOR VALID HTML; scripts/test.sh installs it", stacklevel=1)
        yield None
        return
    checker = HtmlChecker()
    yield checker
    checker.stop()


def format_html_errors(url: str, errors: list[dict]) -> str:
    lines = [f"{url}: {len(errors)} Nu Html Checker error(s)"]
    for error in errors:
        lines.append(f"  line {error.get('lastLine', '?')}: {error['message']}")
        if error.get("extract"):
            lines.append(f"      {error['extract']!r}")
    return "\n".join(lines)


@pytest.fixture
def assert_valid_html(html_checker):
    """Validate the HTML the server sent for the page's current document: no Nu Html Checker error."""

    def check(page):
        if html_checker is None:
            return
        errors = html_checker.errors(served_html(page))
        assert not errors, format_html_errors(page.url, errors)

    return check


@pytest.fixture
def assert_accessible(axe, assert_valid_html):
    """Run axe-core (WCAG 2.1 A and AA rules) on the page as it is now: zero violations; then the width at 390 px
    and the Nu Html Checker on the HTML the server sent."""

    def check(page):
        results = axe.run(
            page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        )
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
        assert_fits_a_phone(page)
        assert_valid_html(page)
        return results

    return check
