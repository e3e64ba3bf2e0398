"""A resident posts a need, two people support it through the page, and the voivodeship's officer answers it
officially: the answer is on the page and each supporter and the author get their own e-mail. Axe-clean, valid,
no horizontal scroll at 390 px, nothing from another origin."""

import re

from django.core import mail

from tests.accounts.factories import UserFactory
from tests.agreements.factories import officer_with_mfa
from tests.browser.helpers import log_in, only_own_origin

PHONE = {"width": 390, "height": 844}


def test_an_officer_answers_an_idea_and_the_supporters_get_the_email(new_page, live_server, assert_accessible):
    from ngo_platform.territory.models import Authority

    opolskie = Authority.objects.get(unit__teryt="16")
    author, supporters = UserFactory(), [UserFactory(), UserFactory()]
    page = new_page(viewport=PHONE)
    log_in(page, author.email)
    page.goto("/pomysly/")
    page.get_by_role("link", name="Zgłoś pomysł lub potrzebę").click()
    page.get_by_label("potrzeba").check()
    page.get_by_label("Tytuł:", exact=True).fill("Sala na próby dla zespołów ludowych")
    page.get_by_label("Opis:", exact=True).fill("Zespoły ćwiczą w zamkniętej remizie. Potrzebujemy sali.")
    page.get_by_label("Adresat:", exact=True).select_option(label=opolskie.name)
    page.get_by_role("button", name="Zgłoś", exact=True).click()
    page.wait_for_url(re.compile(r"/pomysly/\d+/$"))
    address = page.url
    assert_accessible(page)
    for person in supporters:
        other = new_page(viewport=PHONE)
        log_in(other, person.email)
        other.goto(address)
        other.get_by_role("button", name="Popieram").click()
        assert "Dziękujemy za poparcie." in other.locator("main").inner_text()
    officer = officer_with_mfa(opolskie)
    office = new_page()
    log_in(office, officer.email, totp_secret="JBSWY3DPEHPK3PXP")
    office.goto(address)
    assert "2 poparcia" in office.locator("main").inner_text()
    mail.outbox.clear()
    office.get_by_label("Przyjmij").check()
    office.get_by_label("Treść odpowiedzi:", exact=True).fill("Wpiszemy to do programu współpracy na przyszły rok.")
    office.get_by_role("button", name="Opublikuj odpowiedź").click()
    office.wait_for_url(address)
    assert "Wpiszemy to do programu współpracy na przyszły rok." in office.locator("#answers-heading + ol").inner_text()
    assert_accessible(office)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in [author, *supporters])
    assert all("przyjęty" in message.subject for message in mail.outbox)
    visitor = new_page(viewport=PHONE)
    visitor.goto(address)
    assert "Wpiszemy to do programu" in visitor.locator("main").inner_text()
    assert_accessible(visitor)
    only_own_origin(visitor, live_server)
