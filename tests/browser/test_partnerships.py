"""An NGO's representative publishes a "we seek partners" announcement on a phone, sees the organisations suggested
with their reasons and writes to one; the other organisation's representative answers by proposing the partnership;
the author confirms it and starts the joint offer in the competition, which opens with the partner filled in.
Axe-clean, valid, no horizontal scroll at 390 px, nothing from another origin, no e-mail address on any page."""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from tests.accounts.factories import OrganisationMembershipFactory
from tests.browser.helpers import log_in, only_own_origin
from tests.competitions.factories import CompetitionFactory
from tests.partnerships.factories import organisation, sphere

PHONE = {"width": 390, "height": 844}


def _parties():
    verified = timezone.now()
    author = organisation(name="Fundacja Muzyczna Brzeg", spheres=["16"], seat="1601011", verified_at=verified)
    choir = organisation(
        name="Chór Cantilena z Brzegu",
        spheres=["16"],
        seat="1601011",
        verified_at=verified,
        description="Śpiewamy pieśni ludowe na festiwalach.",
    )
    organisation(name="Klub Żeglarski Baborów", spheres=["17"], seat="1602013", verified_at=verified)
    writer = OrganisationMembershipFactory(organisation=author, user__email="autorka@prywatny.example").user
    singer = OrganisationMembershipFactory(organisation=choir, user__email="chorzystka@prywatny.example").user
    competition = CompetitionFactory(sphere=sphere("16"), title="Konkurs: kultura ludowa w województwie")
    return author, choir, writer, singer, competition


def _publish(phone, competition, assert_accessible):
    phone.goto("/partnerstwa/")
    phone.get_by_role("link", name="Opublikuj ogłoszenie").click()
    phone.get_by_label("szukamy partnerów").check()
    phone.get_by_label("lider").check()
    phone.get_by_label("Temat").fill("Festiwal pieśni ludowej w Brzegu")
    phone.get_by_label("Czego dotyczy").fill("Szukamy chórów i zespołów ludowych do wspólnego festiwalu pieśni.")
    phone.get_by_label(re.compile(r"\b16\) kultury")).check()
    phone.get_by_label("Obszar").select_option(label="Brzeg (gmina)")
    phone.get_by_label("Konkurs na platformie").select_option(label=competition.title)
    phone.get_by_label("Termin").fill((timezone.localdate() + timedelta(days=21)).isoformat())
    phone.get_by_label("Co oferujemy").fill("Scena, nagłośnienie i promocja.")
    assert_accessible(phone)
    phone.get_by_role("button", name="Zapisz jako projekt").click()
    phone.wait_for_url(re.compile(r"/partnerstwa/\d+/$"))
    with phone.expect_navigation():
        phone.get_by_role("button", name="Opublikuj", exact=True).click()
    from ngo_platform.partnerships.models import Announcement

    assert Announcement.objects.get().state == "published"
    return phone.url


def test_an_ngo_finds_a_partner_they_agree_and_the_joint_offer_opens_with_the_partner(
    new_page, live_server, assert_accessible
):
    from ngo_platform.competitions.models import Offer

    author, choir, writer, singer, competition = _parties()
    phone = new_page(viewport=PHONE)
    log_in(phone, writer.email)
    announcement_url = _publish(phone, competition, assert_accessible)
    suggested = phone.locator(
        "section", has=phone.get_by_role("heading", name="Organizacje, które mogą zostać partnerami")
    )
    text = suggested.inner_text()
    assert "Chór Cantilena z Brzegu" in text and "Klub Żeglarski Baborów" not in text
    assert "wspólne sfery: kultury, sztuki" in text and "ta sama gmina" in text
    assert_accessible(phone)

    suggested.get_by_role("link", name="Napisz do: Chór Cantilena z Brzegu").click()
    phone.get_by_label("Wiadomość").fill("Zapraszamy Wasz chór do wspólnego festiwalu!")
    mail.outbox.clear()
    phone.get_by_role("button", name="Wyślij wiadomość").click()
    phone.wait_for_url(re.compile(r"/partnerstwa/rozmowy/\d+/$"))
    conversation_url = phone.url
    [message] = mail.outbox
    assert message.to == [singer.email] and writer.email not in message.body

    office = new_page()
    log_in(office, singer.email)
    office.goto("/partnerstwa/rozmowy/")
    office.get_by_role("link", name="Festiwal pieśni ludowej w Brzegu").click()
    assert "Zapraszamy Wasz chór do wspólnego festiwalu!" in office.locator("main").inner_text()
    office.get_by_label("autor ogłoszenia").check()
    office.get_by_label("Zakres partnerstwa").fill("Chór przygotuje koncert i warsztaty śpiewu.")
    office.get_by_role("button", name="Zaproponuj partnerstwo").click()
    assert "Zaproponowano partnerstwo" in office.locator("main").inner_text()
    assert_accessible(office)

    phone.goto(conversation_url)
    phone.get_by_role("button", name="Potwierdź partnerstwo").click()
    assert "potwierdzono" in phone.locator("#partnership-heading + dl").inner_text()
    assert_accessible(phone)
    phone.get_by_label("Konkurs").select_option(label=competition.title)
    phone.get_by_role("button", name="Rozpocznij ofertę wspólną").click()
    offer = Offer.objects.get()
    phone.wait_for_url(re.compile(rf"{offer.get_absolute_url()}$"))
    assert offer.organisation == author and [p.organisation for p in offer.partners.all()] == [choir]
    assert "Rozpoczęto ofertę wspólną z wpisanym partnerem." in phone.locator("main").inner_text()

    for page, url in ((phone, announcement_url), (phone, conversation_url), (office, conversation_url)):
        page.goto(url)
        html = page.content()
        assert "prywatny.example" not in html
    only_own_origin(phone, live_server)
