"""An NGO editor writes a news item with a picture on a phone: the form asks for the picture's description next to
the field and keeps what was typed; the draft is published and appears, with its picture, on the news list, the
home page and the organisation's profile. Every page axe-clean, valid, no horizontal scroll at 390 px, nothing from
another origin."""

import io
import re

from PIL import Image

from tests.browser.helpers import log_in, only_own_origin
from tests.community.factories import make_news
from tests.organisations.factories import OrganisationFactory

PHONE = {"width": 390, "height": 844}


def _photo(tmp_path):
    path = tmp_path / "sprzatanie.jpg"
    output = io.BytesIO()
    Image.new("RGB", (1600, 900), (30, 110, 60)).save(output, format="JPEG")
    path.write_bytes(output.getvalue())
    return path


def test_an_ngo_editor_publishes_news_with_an_image(new_page, live_server, assert_accessible, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    from tests.accounts.factories import OrganisationMembershipFactory

    organisation = OrganisationFactory(name="Stowarzyszenie Brzeg Czysty")
    editor = OrganisationMembershipFactory(organisation=organisation, role="editor").user
    make_news(authority=None, title="Witamy na platformie")  # the platform's, already on the list
    page = new_page(viewport=PHONE)
    log_in(page, editor.email)
    page.goto("/aktualnosci/")
    assert_accessible(page)
    page.get_by_role("link", name="Napisz aktualność").click()
    page.wait_for_url(re.compile(r"/aktualnosci/nowa/$"))
    page.get_by_label("Stowarzyszenie Brzeg Czysty").check()
    page.get_by_label("Tytuł:", exact=True).fill("Sprzątamy brzegi Odry")
    page.get_by_label("Zapowiedź:", exact=True).fill("W sobotę sprzątamy bulwary. Zapraszamy!")
    page.get_by_label("Tekst:", exact=True).fill("## Zbiórka\n\nO **10:00** przy moście.\n\n- rękawice\n- worki")
    page.get_by_label("Zdjęcie główne:", exact=True).set_input_files(_photo(tmp_path))
    page.get_by_role("button", name="Zapisz jako projekt").click()
    # No description of the picture: the message next to the field, what was typed kept, nothing saved.
    error = page.locator("#id_image_alt_error")
    assert "Opisz obraz osobom, które go nie widzą." in error.inner_text()
    assert page.get_by_label("Tytuł:", exact=True).input_value() == "Sprzątamy brzegi Odry"
    assert_accessible(page)
    page.get_by_label("Zdjęcie główne:", exact=True).set_input_files(
        _photo(tmp_path)
    )  # a browser never keeps a chosen file
    page.get_by_label("Tekst alternatywny zdjęcia:", exact=True).fill("Wolontariusze z workami na bulwarze nad Odrą")
    page.get_by_role("button", name="Zapisz jako projekt").click()
    page.wait_for_url(re.compile(r"/aktualnosci/\d+/$"))
    assert page.locator(".badge").inner_text().lower() == "projekt roboczy"
    assert page.locator(".prose h2").inner_text() == "Zbiórka"
    assert_accessible(page)
    page.get_by_role("button", name="Opublikuj").click()
    page.wait_for_url(re.compile(r"/aktualnosci/\d+/$"))
    picture = page.locator("img.news-image")
    assert picture.get_attribute("alt") == "Wolontariusze z workami na bulwarze nad Odrą"
    assert picture.evaluate("image => image.complete && image.naturalWidth") == 1200
    assert_accessible(page)
    only_own_origin(page, live_server)

    visitor = new_page(viewport=PHONE)
    for address in ("/aktualnosci/", "/", organisation.get_absolute_url()):
        visitor.goto(address)
        item = visitor.locator(".news-item", has_text="Sprzątamy brzegi Odry")
        assert item.count() == 1, address
        assert item.locator("img").evaluate("image => image.complete && image.naturalWidth > 0"), address
        assert_accessible(visitor)
    visitor.goto("/aktualnosci/?autor=organisation")
    assert visitor.locator(".news-item").count() == 1  # the platform's item filtered out
    only_own_origin(visitor, live_server)
