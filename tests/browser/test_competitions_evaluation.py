"""Increment 2 in a real browser: an officer runs the formal check with a call to complete, the NGO
completes, two commission members sign the declaration and score (one on a phone-sized screen), the
officer proposes amounts, records the decision and publishes the results. Every page is checked with
axe-core and nothing is requested from another origin."""

from datetime import timedelta

from tests.browser.helpers import log_in, only_own_origin

TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def test_formal_check_with_a_call_two_members_score_results_published(
    new_page, live_server, assert_accessible, tmp_path, settings
):
    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone

    from ngo_platform.competitions import services
    from ngo_platform.competitions.models import Competition, Offer, OfferState
    from tests.accounts.factories import PASSWORD, UserFactory
    from tests.competitions.evaluation import submitted_offers
    from tests.competitions.factories import CompetitionFactory, officer

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    statute = tmp_path / "statut.pdf"
    statute.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    competition = CompetitionFactory(title="Konkurs sportowy 2026", total_funds=20_000_00)
    offers = submitted_offers(competition, 2, names=["Klub Sportowy Orlik", "Stowarzyszenie Biegaczy"])
    clerk = officer(competition.authority)
    TOTP.activate(clerk, TOTP_SECRET)
    first = UserFactory(email="czlonek1@example.pl", full_name="Ewa Zielińska")
    second = UserFactory(email="czlonek2@example.pl", full_name="Tomasz Wróbel")

    # The officer closes the call and runs the formal check.
    desk = new_page()
    log_in(desk, clerk.email, PASSWORD, totp_secret=TOTP_SECRET)
    desk.goto(competition.get_absolute_url())
    desk.get_by_role("link", name="Ocena formalna").click()
    assert_accessible(desk)
    desk.get_by_role("button", name="Zamknij nabór i rozpocznij ocenę formalną").click()
    desk.wait_for_selector("text=Ocena formalna się rozpoczęła")
    assert_accessible(desk)
    desk.get_by_role("link", name="Zadanie 0").click()
    assert_accessible(desk)
    for radio in desk.get_by_role("radio", name="spełnione", exact=True).all():
        radio.check()
    desk.get_by_role("group", name="5. Oświadczenia złożone").get_by_role("radio", name="niespełnione").check()
    desk.get_by_label("Uwaga do wymogu 5").fill("Brak podpisu skarbnika")
    desk.get_by_role("button", name="Zapisz ocenę wymogów").click()
    desk.wait_for_selector("text=Ocenę wymogów zapisano")
    desk.get_by_label("Co należy uzupełnić").fill("Proszę dopisać skarbnika jako osobę upoważnioną i dołączyć statut.")
    desk.get_by_label("VII. Oświadczenia i osoby podpisujące").check()
    desk.get_by_label("Inne załączniki, które oferent musi dołączyć").fill("Statut")
    desk.get_by_role("button", name="Wyślij wezwanie").click()
    desk.wait_for_selector("text=Oferenta wezwano do uzupełnienia oferty")
    assert_accessible(desk)

    # The NGO corrects only what was asked, through the offer's own step, and attaches the statute.
    ngo = new_page()
    applicant = offers[0].organisation.memberships.get(role="admin").user
    log_in(ngo, applicant.email, PASSWORD)
    ngo.goto(offers[0].get_absolute_url())
    assert_accessible(ngo)
    ngo.get_by_role("link", name="Uzupełnij ofertę").click()
    ngo.wait_for_selector("text=Dołącz „Statut”: wymaga tego wezwanie.")
    assert_accessible(ngo)
    ngo.get_by_role("link", name="VII. Oświadczenia").first.click()
    assert_accessible(ngo)
    assert ngo.locator("#id_title").count() == 0
    ngo.get_by_label("Osoby upoważnione do reprezentowania oferenta(-ów)").fill(
        "Anna Nowak – prezeska\nJan Kos – skarbnik"
    )
    ngo.get_by_role("button", name="Zapisz i przejdź dalej").click()
    ngo.wait_for_selector("text=Jan Kos – skarbnik")  # back on the call's page: what has changed so far
    assert_accessible(ngo)
    ngo.get_by_role("link", name="Załączniki").first.click()
    assert_accessible(ngo)
    ngo.get_by_label("Który załącznik").select_option("Statut")
    ngo.get_by_label("Plik").set_input_files(str(statute))
    ngo.get_by_role("button", name="Dołącz plik").press("Enter")
    ngo.wait_for_selector("text=statut.pdf")
    assert_accessible(ngo)
    ngo.get_by_role("link", name="Wezwanie i wysłanie uzupełnienia").first.click()
    ngo.get_by_role("button", name="Wyślij uzupełnioną ofertę").click()
    ngo.wait_for_selector("text=Ofertę uzupełniono")
    assert_accessible(ngo)

    # The officer sees the change, finds both offers correct and appoints the commission.
    desk.reload()
    desk.wait_for_selector("text=Jan Kos – skarbnik")
    desk.get_by_role("group", name="5. Oświadczenia złożone").get_by_role("radio", name="spełnione", exact=True).check()
    desk.get_by_role("button", name="Zapisz ocenę wymogów").click()
    desk.get_by_label("poprawna formalnie: trafia do komisji").check()
    desk.get_by_role("button", name="Zapisz wynik").click()
    desk.wait_for_selector("text=Wynik oceny formalnej zapisano")
    services.formal_mark(actor=clerk, offer=offers[1], marks={i.pk: (True, "") for i in competition.formal_items.all()})
    services.formal_decide(actor=clerk, offer=offers[1], correct=True)
    desk.goto(f"/konkursy/{competition.slug}/komisja/")
    assert_accessible(desk)
    for email, chair in ((first.email, True), (second.email, False)):
        desk.get_by_label("Adres e-mail konta tej osoby na platformie").fill(email)
        desk.get_by_label("przedstawiciel(ka) organu").check()
        if chair:
            desk.get_by_label("Przewodniczący(-a) komisji").check()
        desk.get_by_role("button", name="Powołaj", exact=True).click()
        desk.wait_for_selector("text=Członka komisji powołano")
    desk.get_by_role("button", name="Rozpocznij ocenę przez komisję").click()
    desk.wait_for_selector("text=Komisja ocenia teraz oferty poprawne formalnie")
    assert_accessible(desk)

    # Two members: each signs first (no offer before), then scores; the second on a phone.
    for person, options, points in (
        (first, {}, "8"),
        (second, {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}, "6"),
    ):
        member_page = new_page(**options)
        log_in(member_page, person.email, PASSWORD)
        member_page.goto(offers[0].get_absolute_url())
        assert (
            "403" in member_page.title()
            or member_page.get_by_text("403").count()
            or member_page.locator("h1").inner_text() != "Zadanie 0"
        )
        member_page.goto(f"/konkursy/{competition.slug}/ocena/")
        assert_accessible(member_page)
        assert member_page.get_by_role("link", name="Zadanie 0").count() == 0
        member_page.get_by_label("Przeczytałem(-am) oświadczenie i je podpisuję").check()
        member_page.get_by_role("button", name="Podpisz oświadczenie").click()
        member_page.wait_for_selector("text=Oświadczenie podpisano")
        for title in ("Zadanie 0", "Zadanie 1"):
            member_page.get_by_role("link", name=title).click()
            assert_accessible(member_page)
            for n in (1, 2):
                member_page.get_by_label(f"{n}. Kryterium {n}: punkty (0–10)").fill(points)
                member_page.get_by_label(f"Uzasadnienie punktów za kryterium {n}").fill(f"Uzasadnienie {points} pkt")
            member_page.keyboard.press("Tab")
            member_page.get_by_role("button", name="Zapisz kartę oceny").click()
            member_page.wait_for_selector("text=Twoją kartę oceny zapisano")
        if options:
            assert member_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        only_own_origin(member_page, live_server)

    # Amounts, decision, publication.
    desk.goto(f"/konkursy/{competition.slug}/ranking/")
    assert_accessible(desk)
    assert desk.locator("text=ex aequo").count() >= 2
    desk.get_by_label("Proponowana dotacja dla „Zadanie 0” (zł)").fill("8 000")
    desk.get_by_label("Proponowana dotacja dla „Zadanie 1” (zł)").fill("9 000")
    desk.get_by_role("button", name="Zapisz proponowane kwoty").click()
    desk.wait_for_selector("text=Najwyżej wnioskowana kwota")
    assert_accessible(desk)
    # The failed save keeps what was typed; the error sits next to its input, the summary links to it.
    second = desk.get_by_label("Proponowana dotacja dla „Zadanie 1” (zł)")
    assert second.input_value() == "9 000" and second.get_attribute("aria-invalid") == "true"
    assert desk.get_by_label("Proponowana dotacja dla „Zadanie 0” (zł)").input_value() == "8 000"
    assert "Najwyżej wnioskowana kwota" in desk.locator(f"#{second.get_attribute('aria-describedby')}").inner_text()
    desk.locator(".error-summary a").click()
    assert desk.evaluate("document.activeElement.id") == second.get_attribute("id")
    # On a phone: the page does not scroll sideways, the table does, in a named region, with a hint.
    desk.set_viewport_size({"width": 390, "height": 844})
    assert desk.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    region = desk.get_by_role("region", name="2 oferty poprawne formalnie")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth") and region.get_attribute("tabindex") == "0"
    assert desk.locator(".scroll-hint").is_visible()
    assert_accessible(desk)
    desk.set_viewport_size({"width": 1280, "height": 800})
    assert not desk.locator(".scroll-hint").is_visible()
    desk.get_by_label("Proponowana dotacja dla „Zadanie 1” (zł)").fill("7 500")
    desk.get_by_role("button", name="Zapisz proponowane kwoty").click()
    desk.wait_for_selector("text=Proponowane kwoty zapisano")
    desk.get_by_label("Rozstrzygnięcie o dotacjach").fill("Uchwała nr 5/2026 Zarządu")
    desk.get_by_role("button", name="Zapisz decyzję").click()
    # Both irreversible steps ask first, on a page of their own.
    desk.wait_for_selector("text=Rozstrzygnięcia nie można zmienić")
    assert_accessible(desk)
    desk.get_by_role("button", name="Tak, zapisz decyzję").click()
    desk.wait_for_selector("text=Rozstrzygnięcie zapisano")
    desk.get_by_role("button", name="Opublikuj wyniki").click()
    desk.get_by_role("button", name="Tak, opublikuj wyniki").click()
    desk.wait_for_selector("text=Wyniki opublikowano")
    assert_accessible(desk)
    assert Competition.objects.get(pk=competition.pk).state == "results"
    assert (
        Offer.objects.get(pk=offers[1].pk).state == OfferState.FUNDED
        and Offer.objects.get(pk=offers[1].pk).granted_amount == 7_500_00
    )

    public = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    public.goto(competition.get_absolute_url())
    public.wait_for_selector("text=Wyniki konkursu")
    assert_accessible(public)
    assert public.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert public.get_by_role("region", name="Wyniki konkursu").get_attribute("tabindex") == "0"
    ngo.goto(f"/konkursy/oferty/{offers[0].pk}/oceny/")
    assert_accessible(ngo)
    assert ngo.get_by_text("Uzasadnienie 8 pkt").count() == 2
    for page in (desk, ngo, public):
        only_own_origin(page, live_server)
    assert timezone.now() - competition.published_at > timedelta(days=1)
