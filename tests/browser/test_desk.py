"""Each demo role logs in (officers and the admin with their TOTP) and finds its desk through the header: the demo's
items with working links, or, for the resident, what to do next; axe-clean, no horizontal scroll at 390 px, nothing
from another origin."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from ngo_platform.accounts.demo import ACCOUNTS, DEMO_TOTP_SECRET
from ngo_platform.competitions.demo import EVALUATION_SLUG, SLUG
from ngo_platform.organisations.demo import NEW_CLUB
from tests.browser.helpers import log_in, only_own_origin

TSKN = "Towarzystwo Społeczno-Kulturalne Niemców Województwa Opolskiego"
# What the demo (seed_demo) leaves on each desk: (link text, the link's address as a pattern).
EXPECTED = {
    "ngo": [
        ("Muzyczne lato nad Odrą", r"/konkursy/oferty/\d+/"),
        ("Wybory", r"/wybory/[\w-]+/glosuj/"),
        ("Podsumowanie roku", r"/aktualnosci/\d+/edytuj/"),  # the demo's news draft (community/demo.py)
        ("Festiwal pieśni", r"/konkursy/partnerstwa/\d+/"),  # the partnership's joint offer (partnerships/demo.py)
    ],
    "urzednik": [
        (NEW_CLUB["name"], r"/organizacje/weryfikacja/\d+/"),
        ("sport dzieci i młodzieży", f"/konkursy/{EVALUATION_SLUG}/ocena/"),
        ("kultura i tradycja regionu", f"/konkursy/{SLUG}/komisja/"),
        ("UM/", r"/umowy/\d+/sprawozdanie/"),
        ("Ruch to zdrowie", r"/umowy/#offers-caption"),
        ("Sala na próby", r"/pomysly/\d+/"),  # the demo's ideas addressed to the voivodeship (community/demo.py)
        ("Jeden formularz sprawozdania", r"/pomysly/\d+/"),
    ],
    "urzedniczka": [(TSKN, r"/organizacje/weryfikacja/\d+/")],
    "admin": [(NEW_CLUB["name"], r"/organizacje/weryfikacja/\d+/"), (TSKN, r"/organizacje/weryfikacja/\d+/")],
    "mieszkaniec": [],
}


@pytest.fixture
def demo(live_data):
    call_command("seed_demo", stdout=StringIO())


def test_every_demo_role_finds_what_waits_for_it(new_page, live_server, demo, assert_accessible):
    for account in ACCOUNTS:
        role = account.email.split("@")[0]
        page = new_page()
        log_in(page, account.email, account.password, totp_secret=DEMO_TOTP_SECRET if account.totp else None)
        page.locator('.account-nav a[href="/moje/"]').click()
        page.wait_for_url(re.compile(r"/moje/$"))
        assert page.locator('.account-nav a[href="/moje/"]').get_attribute("aria-current") == "page", role
        links = page.locator(".desk h3 a")
        if EXPECTED[role]:
            for text, address in EXPECTED[role]:
                link = links.filter(has_text=text)
                assert link.count() == 1, f"{role}: {link.count()} items {text!r} on the desk"
                assert re.fullmatch(address, link.get_attribute("href")), (role, link.get_attribute("href"))
            assert links.count() == len(EXPECTED[role]), f"{role}: {links.all_inner_texts()}"
        else:
            assert links.count() == 0, role
            assert page.locator('main a[href="/konkursy/?status=open"]').count() == 1, role
        assert_accessible(page)  # with the width at 390 px
        only_own_origin(page, live_server)
        if EXPECTED[role]:
            # The first item's link opens its page (the person may open it).
            page.set_viewport_size({"width": 1280, "height": 900})
            href = links.first.get_attribute("href")
            response = page.goto(href)
            assert response.status == 200, f"{role}: {href} answered {response.status}"
