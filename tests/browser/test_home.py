"""The home page in a real browser: an anonymous visitor reaches an open consultation and a competition's deadline
in two clicks at most, searches the directory from it, and the page is axe-clean and does not scroll sideways on a
390 px phone; the authority page with its contact details and matters likewise."""

import re
from datetime import timedelta

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import override

from ngo_platform.elections.models import ElectionState
from ngo_platform.organisations import services as organisation_services
from ngo_platform.territory.models import Authority, TerritorialUnit
from ngo_platform.territory.services import authority_contact_set
from tests.browser.helpers import only_own_origin
from tests.competitions.factories import CompetitionFactory
from tests.consultations.factories import make_consultation
from tests.elections.factories import CouncilFactory, ElectionFactory

PHONE = {"width": 390, "height": 844}


def polish(moment, pattern: str) -> str:
    with override("pl"):
        return date_format(timezone.localtime(moment), pattern)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_from_the_home_page_to_an_open_consultation_and_a_competitions_deadline(
    new_page, live_server, assert_accessible
):
    voivodeship = Authority.objects.get(unit__teryt="16")
    consultation = make_consultation(
        voivodeship, title="Program współpracy z organizacjami pozarządowymi – konsultacje otwarte"
    )
    competition = CompetitionFactory(
        title="Konkurs na wspieranie kultury i ochronę dziedzictwa narodowego w województwie opolskim",
        offers_deadline=timezone.now() + timedelta(days=12),
    )
    ElectionFactory(
        council=CouncilFactory(authority=voivodeship), stage=ElectionState.VOTING, title="Wybory do rady województwa"
    )
    page = new_page(viewport=PHONE)
    page.goto("/")
    assert_accessible(page)
    assert fits(page), "the home page scrolls sideways at 390 px"
    assert page.get_by_role("heading", name="Wybory do rady województwa").is_visible()

    # One click: the open consultation, whose closing date the home page gave.
    assert polish(consultation.ends_at, "j E Y, H:i") in page.locator("#consultations-heading + ul").inner_text()
    page.get_by_role("link", name=consultation.title).click()
    page.wait_for_url(f"**{consultation.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == consultation.title
    assert_accessible(page)

    # One click from the home page again: the competition, its deadline to the second.
    page.goto("/")
    assert polish(competition.offers_deadline, "j E Y, H:i") in page.locator("#competitions-heading + ul").inner_text()
    page.get_by_role("link", name=competition.title).click()
    page.wait_for_url(f"**{competition.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == competition.title
    assert polish(competition.offers_deadline, "j E Y, H:i:s") in page.locator("main").inner_text()
    assert fits(page)
    only_own_origin(page, live_server)


def test_the_search_box_leads_to_the_directory_and_the_page_works_in_high_contrast_without_javascript(
    new_page, live_server, assert_accessible
):
    organisation_services.organisation_create(
        actor=None,
        data={
            "name": "Stowarzyszenie Przyjaciół Ziemi Brzeskiej",
            "seat": TerritorialUnit.objects.get(teryt="1601011"),
        },
    )
    page = new_page(java_script_enabled=False)  # a wide screen: on a phone the switches fold behind a summary
    page.goto("/")
    page.get_by_role("button", name="Wysoki kontrast").click()
    assert "theme-contrast" in page.get_attribute("html", "class")
    page.get_by_label("Nazwa, opis, KRS, NIP lub REGON").fill("brzeskiej")
    page.get_by_role("button", name="Szukaj", exact=True).click()
    page.wait_for_url(re.compile(r"/organizacje/\?q=brzeskiej$"))
    assert page.locator(".result h3").all_inner_texts() == ["Stowarzyszenie Przyjaciół Ziemi Brzeskiej"]
    themed = new_page()
    themed.goto("/")
    themed.get_by_role("button", name="Wysoki kontrast").click()
    assert "theme-contrast" in themed.get_attribute("html", "class")
    themed.set_viewport_size(PHONE)
    assert_accessible(themed)
    assert fits(themed)
    only_own_origin(page, live_server)


def test_an_authority_page_with_its_contacts_council_and_matters(new_page, live_server, assert_accessible):
    voivodeship = Authority.objects.get(unit__teryt="16")
    authority_contact_set(
        actor=None,
        authority=voivodeship,
        data={
            "address": "ul. Piastowska 14, 45-082 Opole",
            "email": "urzad.marszalkowski@example.pl",
            "phone": "+48 77 000 00 00",
            "bip_url": "https://bip.example.pl/",
        },
    )
    make_consultation(voivodeship, title="Konsultacje programu współpracy")
    CompetitionFactory(title="Konkurs na zadania z zakresu kultury")
    ElectionFactory(council=CouncilFactory(authority=voivodeship), stage=ElectionState.NOMINATIONS)
    page = new_page(viewport=PHONE)
    page.goto(voivodeship.get_absolute_url())
    assert_accessible(page)
    assert fits(page), "the authority page scrolls sideways at 390 px"
    assert page.get_by_role("link", name="urzad.marszalkowski@example.pl").get_attribute("href").startswith("mailto:")
    page.get_by_role("link", name="Konkurs na zadania z zakresu kultury").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Konkurs na zadania z zakresu kultury"
    only_own_origin(page, live_server)
