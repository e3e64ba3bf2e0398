"""An NGO fills and submits an offer in a real browser, including a cost table whose sources do not add up
(a clear message naming the rows, then corrected); a partner confirms a joint offer. Every page visited is
checked with axe-core, and no request leaves the platform's origin."""

import re

from tests.browser.helpers import log_in, only_own_origin


def test_ngo_fills_a_joint_offer_corrects_a_wrong_sum_partner_confirms_and_it_is_submitted(
    new_page, live_server, assert_accessible
):
    from ngo_platform.competitions.models import Offer, OfferState, OfferSubmission
    from tests.accounts.factories import PASSWORD
    from tests.competitions.factories import CompetitionFactory, member, verified_organisation

    CompetitionFactory(title="Konkurs na kulturę 2026", admin_costs_max_bp=2000)
    lead = verified_organisation(name="Stowarzyszenie Śpiewające")
    partner_org = verified_organisation(name="Fundacja Partnerska", krs="0000777111")
    applicant = member(lead, email="oferent@example.pl")
    partner_admin = member(partner_org, email="partner@example.pl")

    ngo = new_page()
    log_in(ngo, applicant.email, PASSWORD)
    ngo.goto("/konkursy/")
    assert_accessible(ngo)
    ngo.get_by_role("link", name="Konkurs na kulturę 2026").click()
    assert_accessible(ngo)
    ngo.get_by_role("link", name="Przygotuj ofertę").click()
    assert_accessible(ngo)
    ngo.get_by_role("button", name="Rozpocznij ofertę").click()

    # II. Applicant
    ngo.wait_for_selector("text=krok 1 z 11")  # 8 sections of the form, attachments, partners, summary
    assert_accessible(ngo)
    ngo.get_by_label("Osoba upoważniona do składania wyjaśnień").fill("Anna Śpiewak")
    ngo.get_by_role("button", name="Zapisz i przejdź dalej").click()
    # III. The task
    ngo.get_by_label("Tytuł zadania publicznego").fill("Śpiewamy razem")
    ngo.get_by_label("Syntetyczny opis zadania").fill("Chór międzypokoleniowy w Brzegu.")
    ngo.get_by_label("Zakładane rezultaty").fill("Dwa koncerty.")
    assert_accessible(ngo)
    ngo.get_by_role("button", name="Zapisz i przejdź dalej").click()
    # III.4 and III.6
    ngo.locator("#id_dzialania-0-name").fill("Próby chóru")
    ngo.locator("#id_rezultaty-0-name").fill("Koncerty")
    ngo.locator("#id_rezultaty-0-target_value").fill("2")
    assert_accessible(ngo)
    ngo.get_by_role("button", name="Zapisz i przejdź dalej").click()
    # IV
    ngo.get_by_label("Zasoby kadrowe, rzeczowe i finansowe").fill("Dyrygentka i sala prób.")
    ngo.get_by_role("button", name="Zapisz i przejdź dalej").click()
    # V.A: live totals while typing (progressive enhancement); the server recomputes on save.
    ngo.wait_for_selector("text=V.A Kalkulacja przewidywanych kosztów")
    assert_accessible(ngo)
    ngo.locator("#id_koszty-0-kind").select_option("action:1")
    ngo.locator("#id_koszty-0-name").fill("Wynagrodzenie dyrygentki")
    ngo.locator("#id_koszty-0-unit").fill("godzina")
    ngo.locator("#id_koszty-0-unit_cost").fill("120,50")
    ngo.locator("#id_koszty-0-units").fill("40")
    ngo.locator("#id_koszty-1-kind").select_option("administrative")
    ngo.locator("#id_koszty-1-name").fill("Księgowość")
    ngo.locator("#id_koszty-1-unit").fill("miesiąc")
    ngo.locator("#id_koszty-1-unit_cost").fill("180")
    ngo.locator("#id_koszty-1-units").fill("2")
    assert "5\u00a0180,00" in ngo.locator("[data-total='total']").inner_text()
    ngo.get_by_role("button", name="Zapisz i przejdź dalej").click()
    # V.B: a wrong sum gets a clear message naming the rows; the draft keeps what was typed.
    ngo.wait_for_selector("text=Koszty ogółem z V.A")
    ngo.get_by_label("2. Planowana dotacja (zł)").fill("4 000")
    ngo.get_by_label("3.1 Wkład własny finansowy (zł)").fill("500")
    ngo.get_by_role("button", name="Zapisz i przejdź dalej").click()
    summary = ngo.locator(".error-summary")
    summary.wait_for()
    text = summary.inner_text()
    assert "wiersz 2 planowana dotacja" in text and "wiersz III" in text and "680,00" in text
    assert_accessible(ngo)
    ngo.get_by_label("3.1 Wkład własny finansowy (zł)").fill("1 180,00")
    ngo.get_by_role("button", name="Zapisz i przejdź dalej").click()
    # VI and VII
    ngo.wait_for_selector("text=VI. Inne informacje")
    ngo.get_by_label("nieodpłatnie (nieodpłatna działalność pożytku publicznego)").check()
    assert_accessible(ngo)
    ngo.get_by_role("button", name="Zapisz i przejdź dalej").click()
    for label in (
        "statutowej działalności",
        "wyłącznie w ramach odpłatnej",
        "aktualne i zgodne",
        "zgodne z prawdą",
        "za wiedzą tych osób",
    ):
        ngo.get_by_label(re.compile(label)).check()
    ngo.get_by_label("nie zalega z podatkami ani składkami na ubezpieczenia społeczne").check()
    ngo.get_by_label("Osoby upoważnione do reprezentowania oferenta(-ów)").fill("Anna Śpiewak – prezeska")
    assert_accessible(ngo)
    ngo.get_by_role("button", name="Zapisz i przejdź dalej").click()
    ngo.wait_for_selector("text=Oferta jest kompletna")
    assert_accessible(ngo)

    # A joint offer: the partner is added and must confirm before submission.
    ngo.get_by_role("link", name="Partnerzy (oferta wspólna)").first.click()
    assert_accessible(ngo)
    ngo.get_by_label("Numer KRS organizacji partnerskiej").fill("0000777111")
    ngo.get_by_label("Część zadania realizowana przez partnera").fill("Koncert finałowy")
    ngo.get_by_label("Koszty ponoszone przez partnera (V.C, zł)").fill("1 000")
    ngo.get_by_role("button", name="Dodaj partnera").click()
    assert_accessible(ngo)
    ngo.get_by_role("link", name="V.B–V.C Źródła finansowania").first.click()
    ngo.get_by_label("V.C Koszty ponoszone przez oferenta wiodącego (zł)").fill("4 180")
    ngo.get_by_role("button", name="Zapisz i przejdź dalej").click()
    ngo.goto(f"/konkursy/oferty/{Offer.objects.get().pk}/")
    assert ngo.get_by_text("Fundacja Partnerska nie potwierdziła").is_visible()
    assert_accessible(ngo)

    partner = new_page()
    log_in(partner, partner_admin.email, PASSWORD)
    partner.goto("/konkursy/moje-oferty/")
    assert_accessible(partner)
    partner.get_by_role("link", name="Śpiewamy razem").first.click()
    assert_accessible(partner)
    partner.get_by_label(re.compile("Potwierdzamy")).check()
    partner.get_by_role("button", name="Wyślij odpowiedź").click()
    partner.wait_for_selector("text=Twoja odpowiedź została zapisana")
    assert_accessible(partner)

    ngo.reload()
    ngo.wait_for_selector("text=Oferta jest kompletna")
    ngo.get_by_role("button", name="Złóż ofertę").click()
    ngo.wait_for_selector("text=Złożenia nie można cofnąć")  # the page that asks first
    assert_accessible(ngo)
    assert not OfferSubmission.objects.exists()
    ngo.get_by_role("button", name="Tak, złóż ofertę").click()
    ngo.wait_for_selector("text=Potwierdzenie złożenia oferty")
    assert_accessible(ngo)
    submission = OfferSubmission.objects.get()
    assert ngo.locator("[data-sha256]").inner_text() == submission.sha256
    assert Offer.objects.get().state == OfferState.SUBMITTED
    only_own_origin(ngo, live_server)
    only_own_origin(partner, live_server)
