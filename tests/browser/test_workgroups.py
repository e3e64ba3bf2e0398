"""A coordinator invites an NGO's representative to the working group by e-mail; the representative joins on a
phone, uploads a new version of the standard as DOCX and comments on a unit; the coordinator accepts it, sends it
to public consultation and publishes it in the library, where a visitor finds it by an inflected word and
downloads it. Axe-clean, valid, no horizontal scroll at 390 px, nothing from another origin."""

import io
import re
from urllib.parse import urlsplit

import docx
from django.core import mail

from tests.accounts.factories import OrganisationMembershipFactory
from tests.agreements.factories import officer_with_mfa
from tests.browser.helpers import log_in, only_own_origin
from tests.workgroups.factories import make_group

PHONE = {"width": 390, "height": 844}
FIRST = """Standard konsultacji społecznych
§ 1.
Konsultacje przeprowadza się w formie pisemnej przez portal współpracy.
§ 2.
Konsultacje trwają nie krócej niż 14 dni."""


def _docx(path, text: str):
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(path)
    return path


def _group_with_a_standard():
    from ngo_platform.core import drafting
    from ngo_platform.territory.models import Authority
    from ngo_platform.workgroups import services

    opolskie = Authority.objects.get(unit__teryt="16")
    coordinator = officer_with_mfa(opolskie)
    group = make_group(opolskie, officer=coordinator, public_work=False)
    document = services.document_create(actor=coordinator, group=group, title="Standard konsultacji społecznych")
    first = services.version_from_text(actor=coordinator, document=document, root=drafting.parse_text(FIRST))
    services.version_step(actor=coordinator, version=first, name="propose")
    services.version_step(actor=coordinator, version=first, name="accept")
    return coordinator, group, document


def _invite(office, group, representative, organisation):
    office.goto(group.get_absolute_url())
    office.get_by_role("link", name="Zaproś członków").click()
    office.get_by_label("Adres e-mail").fill(representative.email)
    office.get_by_label("W imieniu organizacji (nieobowiązkowo)").fill(organisation.krs)
    mail.outbox.clear()
    office.get_by_role("button", name="Wyślij zaproszenie").click()
    assert representative.email in office.locator("main").inner_text()
    [message] = mail.outbox
    assert message.to == [representative.email] and organisation.name in message.body
    return re.search(r"https?://\S+/zespoly/zaproszenie/\S+/", message.body).group(0)


def _propose_and_comment(phone, document, tmp_path, assert_accessible):
    phone.goto(document.get_absolute_url())
    phone.get_by_role("link", name="Zaproponuj wersję z pliku lub tekstu").click()
    new_text = FIRST.replace("14 dni", "21 dni")
    phone.get_by_label("albo plik (.docx, .odt, .txt)").set_input_files(_docx(tmp_path / "standard_v2.docx", new_text))
    phone.get_by_label("Co się zmienia i dlaczego").fill("Dłuższe konsultacje.")
    phone.locator("main form button[type=submit]").first.click()
    phone.wait_for_url(re.compile(r"/zespoly/wersje/\d+/$"))
    assert "standard_v2.docx" in phone.locator("main .meta").inner_text()
    phone.get_by_role("button", name="Zaproponuj zespołowi").click()
    assert "wersja 2" in phone.locator("h1").inner_text()
    phone.get_by_role("link", name="Zgłoś uwagę do: § 2").click()
    phone.get_by_label("Proponowany zapis").fill("Konsultacje trwają nie krócej niż 30 dni w wakacje.")
    phone.get_by_label("Uzasadnienie").fill("Latem organizacje odpowiadają wolniej.")
    phone.locator("main form button[type=submit]").first.click()
    phone.wait_for_url(re.compile(r"/zespoly/wersje/\d+/"))
    assert "Latem organizacje odpowiadają wolniej." in phone.locator("li.draft-unit", has_text="§ 2").inner_text()
    assert_accessible(phone)
    return phone.url.split("#")[0]


def _accept_send_and_publish(office, version_url, assert_accessible):
    office.goto(version_url)
    assert_accessible(office)
    office.get_by_label("Przyjmij tę wersję").check()
    office.get_by_label("Uwaga dla zespołu").fill("Przyjęta na spotkaniu.")
    office.get_by_role("button", name="Zapisz decyzję").click()
    assert "Przyjęta na spotkaniu." in office.locator("main").inner_text()
    office.get_by_role("button", name="Skieruj do konsultacji społecznych").click()
    office.wait_for_url(re.compile(r"/konsultacje/\d+/edytuj/$"))
    assert_accessible(office)
    office.goto(version_url)
    office.get_by_role("link", name="Opublikuj w bibliotece").click()
    office.get_by_label("Tagi").fill("konsultacje, standard")
    office.get_by_role("button", name="Opublikuj", exact=True).click()
    office.wait_for_url(re.compile(r"/biblioteka/\d+/$"))
    return office.url


def test_a_group_drafts_a_standard_sends_it_to_consultation_and_a_visitor_downloads_it(
    new_page, live_server, assert_accessible, tmp_path
):
    from ngo_platform.consultations.models import Consultation
    from ngo_platform.workgroups.models import DocumentVersion

    coordinator, group, document = _group_with_a_standard()
    membership = OrganisationMembershipFactory(role="editor")
    representative, organisation = membership.user, membership.organisation
    office = new_page()
    log_in(office, coordinator.email, totp_secret="JBSWY3DPEHPK3PXP")
    link = _invite(office, group, representative, organisation)
    phone = new_page(viewport=PHONE)
    log_in(phone, representative.email)
    phone.goto(urlsplit(link).path)
    phone.get_by_role("button", name="Dołącz do zespołu").click()
    phone.wait_for_url(re.compile(rf"{group.get_absolute_url()}$"))
    assert organisation.name in phone.locator("main").inner_text()
    version_url = _propose_and_comment(phone, document, tmp_path, assert_accessible)
    library_url = _accept_send_and_publish(office, version_url, assert_accessible)
    version = DocumentVersion.objects.get(number=2)
    consultation = Consultation.objects.get(group_version=version)
    assert list(consultation.units.values_list("citation", "text").order_by("position")) == list(
        version.units.values_list("citation", "text").order_by("position")
    )
    assert "nie krócej niż 21 dni" in version.units.get(citation="§ 2").text
    visitor = new_page(viewport=PHONE)
    visitor.goto("/biblioteka/")
    visitor.get_by_label("Szukaj w tytułach i treści").fill("standardów konsultacji")
    visitor.get_by_role("button", name="Szukaj", exact=True).click()
    visitor.get_by_role("link", name="Standard konsultacji społecznych").click()
    assert urlsplit(visitor.url).path == urlsplit(library_url).path
    assert_accessible(visitor)
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Pobierz (DOCX)").click()
    saved = download.value.path()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(saved.read_bytes())).paragraphs)
    assert "nie krócej niż 21 dni" in text
    only_own_origin(visitor, live_server)
