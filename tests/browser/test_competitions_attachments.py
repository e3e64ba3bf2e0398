"""Attachments of an offer in a real browser: a wrong file refused next to the field, a PDF attached;
axe-core on every state of the page."""

from tests.browser.helpers import log_in, only_own_origin


def test_offer_attachments_page_upload_by_keyboard(new_page, live_server, assert_accessible, tmp_path, settings):
    from ngo_platform.competitions.models import OfferAttachment
    from tests.accounts.factories import PASSWORD
    from tests.competitions.factories import CompetitionFactory, complete_offer

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    competition = CompetitionFactory(required_attachments="Statut\nPełnomocnictwo")
    offer = complete_offer(competition)
    statute = tmp_path / "statut.pdf"
    statute.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    wrong = tmp_path / "statut.exe"
    wrong.write_bytes(b"MZ\x90\x00 not a document")

    page = new_page()
    log_in(page, offer.creator.email, PASSWORD)
    page.goto(f"/konkursy/oferty/{offer.pk}/zalaczniki/")
    assert_accessible(page)
    page.get_by_label("Plik").set_input_files(str(wrong))
    page.get_by_role("button", name="Dołącz plik").press("Enter")
    assert_accessible(page)  # the refusal sits next to the field
    assert not OfferAttachment.objects.exists()
    page.get_by_label("Plik").set_input_files(str(statute))
    page.get_by_role("button", name="Dołącz plik").press("Enter")
    page.wait_for_selector("text=statut.pdf")
    assert_accessible(page)
    assert OfferAttachment.objects.get().original_name == "statut.pdf"
    only_own_origin(page, live_server)
