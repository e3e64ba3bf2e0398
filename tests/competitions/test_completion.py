"""A call to complete that opens the tables of the offer and asks for attachments: the applicant corrects
the cost calculation and attaches the missing statute through the offer's own pages; nothing outside the
call can change, the files of the submitted offer stay, and the sums are checked again before sending."""

import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from ngo_platform.competitions import services
from ngo_platform.competitions.canonical import sha256_hex as sha
from ngo_platform.competitions.models import CompletionCall, Offer, OfferAttachment
from tests.accounts.factories import UserFactory
from tests.competitions.evaluation import in_formal_check
from tests.competitions.factories import member, verified_organisation
from tests.competitions.test_evaluation_views import as_officer
from tests.helpers import get_page

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
STATUTE = "Statut (jeśli nie ma go w KRS)"
PROXY = "Pełnomocnictwo"
LINES = [  # 10 000 zł as submitted: 9 000 zł of concerts and 1 000 zł of accounting
    {"category": "action", "action": 1, "name": "Honoraria", "unit": "koncert", "unit_cost": 3_000_00, "units": Decimal("3"), "year": 1},
    {"category": "administrative", "name": "Księgowość", "unit": "miesiąc", "unit_cost": 500_00, "units": Decimal("2"), "year": 1},
]


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def called(opolskie, settings, tmp_path):
    """An offer submitted with a power of attorney, called to correct V.A and to attach the statute."""
    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path), "base_url": None}}}
    competition, clerk, offers = in_formal_check(1, required_attachments=f"{STATUTE}\n{PROXY}")
    offer = offers[0]
    # The offer was submitted with its power of attorney attached (before the deadline moved to the past).
    proxy = OfferAttachment.objects.create(
        offer=offer, name=PROXY, required=True, file_type="pdf", original_name="pelnomocnictwo.pdf", size=len(PDF),
        sha256=sha(PDF.decode("latin-1")), uploaded_by=offer.created_by, uploaded_at=timezone.now() - timedelta(days=2),
        file=SimpleUploadedFile("p.pdf", PDF),
    )
    call = services.completion_call(actor=clerk, offer=offer, deadline=timezone.now() + timedelta(days=7), sections=["koszty"],
                                    attachments=[STATUTE], message="Honoraria są zawyżone; brak statutu.")
    admin = offer.organisation.memberships.get(role="admin").user
    return offer, call, clerk, admin, proxy


def test_the_call_opens_the_attachments_when_it_asks_for_one(called):
    offer, call, *_ = called
    assert call.sections == ["koszty", "zalaczniki"] and call.attachments == [STATUTE]


def test_the_cost_table_and_the_attachments_are_corrected_and_checked_before_sending(called):
    offer, call, clerk, admin, proxy = called
    # The plan of actions is not open: refused, nothing changed.
    with pytest.raises(services.CompetitionError, match="opens only these parts"):
        services.offer_set_rows(actor=admin, offer=offer, actions=[{"name": "Inne"}], results=None)
    assert list(Offer.objects.get(pk=offer.pk).actions.values_list("name", flat=True)) == ["Koncerty"]
    # The attachment of the submitted offer stays.
    with pytest.raises(services.CompetitionError, match="stays with it"):
        services.offer_attachment_remove(actor=admin, attachment=proxy)
    # Lower fees, but the sources (V.B) still add up to the old total: the completion cannot be sent.
    services.offer_set_cost_lines(actor=admin, offer=offer, lines=[{**LINES[0], "unit_cost": 2_500_00}, LINES[1]])
    with pytest.raises(services.OfferIncomplete) as error:
        services.completion_answer(actor=admin, offer=offer)
    messages = [p.message for p in error.value.problems]
    assert any("V.B" in m and "8\xa0500,00" in m for m in messages), messages
    assert any(STATUTE in m for m in messages), messages
    assert CompletionCall.objects.get(pk=call.pk).closed_at is None
    # A wrong file added during the call can be taken back; the statute is attached.
    wrong = services.offer_attachment_add(actor=admin, offer=offer, upload=SimpleUploadedFile("zle.png", PNG), name=STATUTE)
    services.offer_attachment_remove(actor=admin, attachment=wrong)
    statute = services.offer_attachment_add(actor=admin, offer=offer, upload=SimpleUploadedFile("statut.pdf", PDF), name=STATUTE)
    services.offer_set_cost_lines(actor=admin, offer=offer, lines=LINES)
    call = services.completion_answer(actor=admin, offer=offer)
    assert set(call.changes) == {"attachments"}  # the costs came back to what was submitted; only the statute is new
    assert statute.sha256 in call.changes["attachments"][1] and proxy.sha256 in call.changes["attachments"][0]
    document = json.loads(call.content)
    assert [a["name"] for a in document["attachments"]] == [PROXY, STATUTE] and call.sha256 == sha(call.content)


def test_an_action_with_costs_cannot_be_removed_when_the_cost_table_is_not_open(opolskie):
    competition, clerk, offers = in_formal_check(1)
    offer = offers[0]
    services.completion_call(actor=clerk, offer=offer, message="Popraw plan", sections=["dzialania"], deadline=timezone.now() + timedelta(days=1))
    admin = offer.organisation.memberships.get(role="admin").user
    with pytest.raises(services.CompetitionError, match="has cost lines in V.A"):
        services.offer_set_rows(actor=admin, offer=offer, actions=[], results=None)
    services.offer_set_rows(actor=admin, offer=offer, actions=[{"name": "Koncerty plenerowe", "target_group": "seniorzy"}], results=None)
    assert Offer.objects.get(pk=offer.pk).actions.get().name == "Koncerty plenerowe"
    assert Offer.objects.get(pk=offer.pk).cost_lines.filter(action__isnull=False).count() == 1


def test_pages_of_the_call_the_attachments_and_the_pdf_of_the_completed_offer(client, called):
    offer, call, clerk, admin, proxy = called
    client.force_login(admin)
    url = f"/konkursy/oferty/{offer.pk}/zalaczniki/"
    html = get_page(client, url, max_queries=20).content.decode()
    assert "część złożonej oferty" in html and f"/zalaczniki/{proxy.pk}/usun/" not in html
    assert client.post(url, {"name": STATUTE, "file": SimpleUploadedFile("statut.pdf", PDF)}).status_code == 302
    statute = OfferAttachment.objects.get(offer=offer, name=STATUTE)
    html = get_page(client, url, max_queries=20).content.decode()
    assert f"/zalaczniki/{statute.pk}/usun/" in html
    assert client.get(f"/konkursy/oferty/{offer.pk}/krok/koszty/").status_code == 200
    assert client.get(f"/konkursy/oferty/{offer.pk}/krok/zrodla/").status_code == 302  # not opened
    complete = f"/konkursy/oferty/{offer.pk}/uzupelnienie/"
    html = get_page(client, complete, max_queries=20).content.decode()
    assert "dodano" in html and "attachments" in html and statute.sha256 in html
    assert client.post(complete, {"n-reason": "Statut w załączeniu."}).status_code == 302
    call.refresh_from_db()
    # Another organisation cannot post the completion, nor see its page.
    client.force_login(member(verified_organisation()))
    assert client.get(complete).status_code == 403 and client.post(complete, {}).status_code == 403
    # The officer reads the history; the PDF prints the completed offer, both checksums and the attachments.
    as_officer(client, clerk)
    html = get_page(client, f"/konkursy/oferty/{offer.pk}/ocena-formalna/", max_queries=24).content.decode()
    assert call.sha256 in html and call.sha256_before in html and "Statut w załączeniu." in html
    pdf = client.get(f"/konkursy/oferty/{offer.pk}/oferta.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", " ")
    submission = offer.submissions.get()
    assert call.sha256 in text.replace(" ", "") and submission.number in text
    assert statute.sha256 in text.replace(" ", "") and PROXY in text


def test_a_stranger_cannot_edit_the_called_offer_and_the_call_needs_the_officer(called):
    offer, call, clerk, admin, proxy = called
    with pytest.raises(PermissionDenied):
        services.offer_set_cost_lines(actor=member(verified_organisation()), offer=offer, lines=LINES)
    with pytest.raises(PermissionDenied):
        services.offer_attachment_add(actor=UserFactory(), offer=offer, upload=SimpleUploadedFile("s.pdf", PDF), name=STATUTE)
    assert not OfferAttachment.objects.filter(name=STATUTE).exists()
