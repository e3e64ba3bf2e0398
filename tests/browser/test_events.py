"""Residents register for an event with two places until it is full: the third lands on the waiting list and gets
the place when someone cancels; the month view and the list work without JavaScript, axe-clean, valid, no horizontal
scroll at 390 px, nothing from another origin."""

import re

from django.core import mail
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.browser.helpers import log_in, only_own_origin
from tests.community.factories import make_event
from tests.organisations.factories import OrganisationFactory

PHONE = {"width": 390, "height": 844}


def test_residents_register_until_it_is_full_and_the_next_waits(new_page, live_server, assert_accessible):
    event = make_event(
        organisation=OrganisationFactory(name="Klub Seniora Pod Lipami"),
        title="Warsztaty ceramiki",
        registration="platform",
        capacity=2,
    )
    people = [UserFactory() for _ in range(3)]
    pages = []
    for number, person in enumerate(people):
        page = new_page(viewport=PHONE, java_script_enabled=number != 1)  # the second registers without JavaScript
        log_in(page, person.email)
        page.goto(event.get_absolute_url())
        pages.append(page)
        if number < 2:
            page.get_by_role("button", name="Zapisz się", exact=True).click()
            page.wait_for_url(re.compile(rf"/wydarzenia/{event.pk}/$"))
            assert "Jesteś zapisana/zapisany." in page.locator("main").inner_text()
        else:
            assert "2 miejsca, wolnych: 0, na liście rezerwowej: 0." in page.locator("main").inner_text()
            page.get_by_role("button", name="Zapisz mnie na listę rezerwową").click()
            page.wait_for_url(re.compile(rf"/wydarzenia/{event.pk}/$"))
            assert "Jesteś na liście rezerwowej." in page.locator("main").inner_text()
            assert_accessible(page)
    mail.outbox.clear()
    pages[0].get_by_role("button", name="Wypisz mnie").click()
    pages[0].wait_for_url(re.compile(rf"/wydarzenia/{event.pk}/$"))
    assert "Wypisano Cię z wydarzenia." in pages[0].locator("main").inner_text()
    pages[2].reload()
    assert "Jesteś zapisana/zapisany." in pages[2].locator("main").inner_text()
    assert [message.to for message in mail.outbox] == [[people[2].email]]
    assert_accessible(pages[2])
    only_own_origin(pages[2], live_server)

    visitor = new_page(viewport=PHONE)
    visitor.goto("/wydarzenia/")
    assert visitor.get_by_role("link", name="Warsztaty ceramiki").count() == 1
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Widok miesiąca").click()
    visitor.wait_for_url(re.compile(r"/wydarzenia/miesiac/"))
    if timezone.localtime(event.starts_at).month == timezone.localdate().month:
        assert visitor.get_by_role("link", name="Warsztaty ceramiki").count() == 1
    else:
        visitor.get_by_role("link", name=re.compile("→")).click()
        assert visitor.get_by_role("link", name="Warsztaty ceramiki").count() == 1
    assert_accessible(visitor)
    visitor.set_viewport_size({"width": 1280, "height": 900})
    visitor.screenshot(path="/tmp/month.png", full_page=True)
    only_own_origin(visitor, live_server)
