"""In a real browser (Debian's Chromium, axe-core WCAG 2.1 A/AA): the officer's list and agreement pages,
the organisation's updated cost calculation, report and status pages have no violations, work by keyboard
and request nothing from another origin."""

from tests.browser.helpers import log_in, only_own_origin

SECRET = "JBSWY3DPEHPK3PXP"


def test_agreement_pages_are_accessible_and_work_by_keyboard(new_page, live_server, assert_accessible):
    from django.utils import timezone

    from ngo_platform.agreements import services
    from ngo_platform.agreements.models import CostUpdate, ReviewState
    from tests.accounts.factories import PASSWORD
    from tests.agreements.factories import funded_offer, member, ready_agreement

    agreement = ready_agreement(granted=6_000_00)
    signed = ready_agreement(funded_offer(), sign=True)
    clerk, offer = agreement.clerk, agreement.offer
    ngo = member(offer.organisation, email="umowy-ngo@example.pl")
    signed_ngo = member(signed.offer.organisation, email="umowy-ngo2@example.pl")

    officer_page = new_page()
    log_in(officer_page, clerk.email, PASSWORD, totp_secret=SECRET)
    officer_page.goto("/umowy/")
    assert_accessible(officer_page)
    officer_page.goto(agreement.get_absolute_url())
    assert_accessible(officer_page)
    draft = ready_agreement(funded_offer(competition=offer.competition), clerk=clerk, send=False)
    officer_page.goto(f"/umowy/{draft.pk}/edycja/")
    assert_accessible(officer_page)

    page = new_page()
    log_in(page, ngo.email, PASSWORD)
    page.goto(agreement.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Zaktualizuj kalkulację kosztów").click()
    assert_accessible(page)
    page.get_by_role("button", name="Rozpocznij zaktualizowaną kalkulację kosztów").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=V.A Zaktualizowana kalkulacja kosztów")
    page.locator("#id_koszty-0-units").fill("2")
    page.locator("#id_zrodla-own_financial").fill("500")
    page.get_by_role("button", name="Zapisz i złóż w urzędzie").click()
    page.locator(".error-summary").first.wait_for()
    assert "różnica wynosi" in page.locator(".error-summary").first.inner_text()
    assert_accessible(page)
    page.locator("#id_zrodla-own_financial").fill("1 000")
    page.get_by_role("button", name="Zapisz i złóż w urzędzie").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{agreement.get_absolute_url()}")
    assert CostUpdate.objects.get(agreement=agreement).state == ReviewState.SUBMITTED
    page.goto(f"/umowy/organizacja/{offer.organisation.slug}/")
    assert_accessible(page)
    only_own_origin(page, live_server)

    reporter = new_page()
    log_in(reporter, signed_ngo.email, PASSWORD)
    reporter.goto(f"/umowy/{signed.pk}/sprawozdanie/")
    reporter.get_by_role("button", name="Rozpocznij sprawozdanie końcowe").click()
    reporter.wait_for_selector("text=1. Opis wykonania zadania")
    assert_accessible(reporter)
    reporter.get_by_role("button", name="Zapisz i złóż w urzędzie").click()
    reporter.locator(".error-summary").first.wait_for()
    assert_accessible(reporter)
    only_own_origin(reporter, live_server)

    officer_page.goto(f"/umowy/{agreement.pk}/kalkulacja/")
    assert_accessible(officer_page)
    officer_page.get_by_label("Przyjmij").check()
    officer_page.get_by_role("button", name="Zapisz decyzję").click()
    officer_page.wait_for_url(f"**{agreement.get_absolute_url()}")
    assert_accessible(officer_page)
    services.agreement_sign(actor=clerk, agreement=agreement, signed_on=timezone.localdate())
    only_own_origin(officer_page, live_server)
