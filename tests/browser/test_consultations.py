"""Consultations in a real browser, every page checked with axe-core: an officer imports a draft, corrects a
unit and opens the consultation; a representative comments on two units and on the whole; after closing the
officer answers and publishes the report; a visitor downloads it as PDF and DOCX and the files are read."""

import io
import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from ngo_platform.consultations.models import Comment, Consultation
from ngo_platform.territory.models import Authority
from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory
from tests.browser.helpers import log_in, only_own_origin

SECRET = "JBSWY3DPEHPK3PXP"
DRAFT = "§ 1. Program określa zasady współpracy z organizacjami.\n§ 2. Współpraca odbywa się na zasadzie pomocniczości.\n§ 3. Uchwała wchodzi w życie po 14 dniach.\n"


def test_consultation_from_draft_to_published_report(new_page, live_server, assert_accessible):
    from allauth.mfa.totp.internal.auth import TOTP

    brzeg = Authority.objects.get(unit__teryt="1601011")
    officer = AuthorityMembershipFactory(authority=brzeg, user__email="urzednik@example.pl").user
    TOTP.activate(officer, SECRET)
    membership = OrganisationMembershipFactory(
        user__email="ngo@example.pl", organisation__name="Stowarzyszenie Nadodrze"
    )
    organisation = membership.organisation

    # The officer creates the consultation, imports the draft, corrects a unit and opens it.
    page = new_page()
    log_in(page, officer.email, totp_secret=SECRET)
    page.goto("/konsultacje/urzad/")
    assert_accessible(page)
    page.get_by_role("link", name="Nowe konsultacje: Gmina Brzeg").click()
    assert_accessible(page)
    now = timezone.localtime()
    page.get_by_label("Tytuł projektu aktu").fill("Projekt programu współpracy Gminy Brzeg na 2027")
    page.get_by_label("Przedmiot konsultacji").fill("Roczny program współpracy")
    page.get_by_label("Rodzaj dokumentu").select_option("program_roczny")
    page.get_by_label("Osoba odpowiedzialna").fill("Jan Kowalski")
    page.get_by_label("Kontakt (e-mail, telefon)").fill("ngo@brzeg.example")
    page.get_by_label("Początek").fill(now.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Koniec").fill((now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Zapisz").click()
    assert page.locator(".error-summary").is_visible()  # shorter than the gmina's 7 days
    assert_accessible(page)
    page.get_by_label("Koniec").fill((now + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_url(re.compile(r"/konsultacje/\d+/projekt/$"))
    assert_accessible(page)
    page.get_by_label("Tekst projektu").fill(DRAFT)
    page.get_by_role("button", name="Zaimportuj projekt").click()
    page.wait_for_url(re.compile(r"/konsultacje/\d+/projekt/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Popraw: § 1").click()
    assert_accessible(page)
    page.locator("#id_relabel-text").fill("Program określa cele i zasady współpracy z organizacjami.")
    page.get_by_role("button", name="Zapisz jednostkę").click()
    assert page.get_by_text("Program określa cele i zasady").is_visible()
    page.get_by_role("link", name="Wróć do konsultacji").click()
    page.get_by_role("button", name="Opublikuj konsultacje").click()
    assert page.get_by_text("Opublikowano konsultacje.").is_visible()
    assert_accessible(page)
    consultation = Consultation.objects.get()
    assert consultation.state == "open"
    only_own_origin(page, live_server)

    # A representative comments on two units and on the whole document, by keyboard-reachable links.
    ngo = new_page(viewport={"width": 375, "height": 740})
    log_in(ngo, "ngo@example.pl")
    ngo.goto(f"/konsultacje/{consultation.pk}/")
    assert_accessible(ngo)
    for citation, text in (("§ 1", "Dodać cele szczegółowe."), ("§ 2", "Dodać zasadę jawności.")):
        link = ngo.get_by_role("link", name=f"Zgłoś uwagę do: {citation}")
        link.focus()
        ngo.keyboard.press("Enter")
        ngo.wait_for_url(re.compile(r"/nowa-uwaga/"))
        assert_accessible(ngo)
        assert ngo.get_by_label("Obecny zapis").input_value().startswith(citation)
        ngo.get_by_label("Proponowany zapis").fill(f"Nowe brzmienie {citation}")
        ngo.get_by_label("Uzasadnienie").fill(text)
        ngo.get_by_role("button", name="Zgłoś uwagę").click()
        assert ngo.get_by_text("Dziękujemy").is_visible()
    ngo.get_by_role("link", name="Zgłoś uwagę do całości dokumentu").click()
    ngo.get_by_label("Uzasadnienie").fill("Brak harmonogramu konkursów.")
    ngo.get_by_role("button", name="Zgłoś uwagę").click()
    assert_accessible(ngo)
    assert Comment.objects.filter(organisation=organisation).count() == 3
    assert ngo.get_by_role("heading", name=re.compile("całość dokumentu – Stowarzyszenie Nadodrze")).is_visible()
    only_own_origin(ngo, live_server)

    # The end passes: the server closes the consultation (the first page after the end does, before any
    # cron job); the officer answers every comment and publishes the report.
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=timezone.now() - timedelta(days=11), ends_at=timezone.now() - timedelta(seconds=1)
    )
    page.goto(f"/konsultacje/{consultation.pk}/")
    assert Consultation.objects.get(pk=consultation.pk).state == "closed"
    assert page.get_by_role("button", name="Zamknij (po terminie końcowym)").count() == 0
    page.get_by_role("link", name="Odpowiedz na uwagi i opublikuj raport").click()
    assert_accessible(page)
    comments = list(Comment.objects.order_by("pk"))
    page.locator(f"#id_comments_{comments[0].pk}").check()
    page.get_by_label("nieuwzględniona").check()
    page.get_by_role("button", name="Zapisz odpowiedź").click()
    assert page.locator(".error-summary").is_visible()  # a reason is required
    assert_accessible(page)
    page.locator(f"#id_comments_{comments[0].pk}").check()
    page.get_by_label("nieuwzględniona").check()
    page.get_by_label("Uzasadnienie stanowiska").fill("Cele określa § 3.")
    page.get_by_role("button", name="Zapisz odpowiedź").click()
    page.locator(f"#id_comments_{comments[1].pk}").check()
    page.locator(f"#id_comments_{comments[2].pk}").check()
    page.get_by_label("uwzględniona", exact=True).check()
    page.get_by_role("button", name="Zapisz odpowiedź").click()
    page.get_by_role("button", name="Opublikuj raport").click()
    page.wait_for_selector("text=nie można wycofać ani zmienić")  # the page that asks first
    assert_accessible(page)
    assert Consultation.objects.get().state == "closed"
    page.get_by_role("button", name="Tak, opublikuj raport").click()
    assert_accessible(page)
    assert Consultation.objects.get().state == "answered"

    # A visitor downloads the report as PDF and DOCX; the files are read.
    import docx
    from pypdf import PdfReader

    visitor = new_page()
    visitor.goto("/konsultacje/")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Projekt programu współpracy Gminy Brzeg na 2027").click()
    assert_accessible(visitor)
    with visitor.expect_download() as pdf_download:
        visitor.get_by_role("link", name="Raport (PDF)").click()
    pdf = Path(pdf_download.value.path()).read_bytes()
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert (
        "Informacja o wynikach konsultacji" in text
        and "Stowarzyszenie Nadodrze" in text
        and "Cele określa § 3." in text
    )
    with visitor.expect_download() as docx_download:
        visitor.get_by_role("link", name="Raport (DOCX)").click()
    document = docx.Document(docx_download.value.path())
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Dodać zasadę jawności." in cells and "§ 2" in cells and "uwzględniona" in cells
    only_own_origin(visitor, live_server)
