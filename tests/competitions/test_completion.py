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
from ngo_platform.competitions.models import Competition, CompletionCall, Offer, OfferAttachment
from tests.accounts.factories import UserFactory
from tests.competitions.evaluation import in_formal_check
from tests.competitions.factories import CompetitionFactory, complete_offer, member, officer, verified_organisation
from tests.competitions.test_evaluation_views import as_officer
from tests.helpers import get_page

# Services are tested with English messages (matched below); the pages in Polish.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
STATUTE = "Statut (jeśli nie ma go w KRS)"
PROXY = "Pełnomocnictwo"
LINES = [  # 10 000 zł as submitted: 9 000 zł of concerts and 1 000 zł of accounting
    {
        "category": "action",
        "action": 1,
        "name": "Honoraria",
        "unit": "koncert",
        "unit_cost": 3_000_00,
        "units": Decimal("3"),
        "year": 1,
    },
    {
        "category": "administrative",
        "name": "Księgowość",
        "unit": "miesiąc",
        "unit_cost": 500_00,
        "units": Decimal("2"),
        "year": 1,
    },
]


@pytest.fixture
def called(opolskie, settings, tmp_path):
    """An offer submitted with a power of attorney, called to correct V.A and to attach the statute."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    competition = CompetitionFactory(required_attachments=f"{STATUTE}\n{PROXY}")
    offer = complete_offer(competition)
    proxy = services.offer_attachment_add(
        actor=offer.creator, offer=offer, upload=SimpleUploadedFile("pelnomocnictwo.pdf", PDF), name=PROXY
    )
    submission = services.offer_submit(actor=offer.creator, offer=offer)
    assert proxy.sha256 in submission.content  # the power of attorney is part of what was submitted
    Competition.objects.filter(pk=competition.pk).update(offers_deadline=timezone.now() - timedelta(minutes=1))
    clerk = officer(competition.authority)
    services.formal_check_start(actor=clerk, competition=competition)
    offer = Offer.objects.get(pk=offer.pk)
    call = services.completion_call(
        actor=clerk,
        offer=offer,
        deadline=timezone.now() + timedelta(days=7),
        sections=["koszty"],
        attachments=[STATUTE],
        message="Honoraria są zawyżone; brak statutu.",
    )
    admin = offer.organisation.memberships.get(role="admin").user
    return offer, call, clerk, admin, proxy


def test_the_call_opens_the_attachments_it_asks_for_and_the_sources_with_the_costs(called):
    offer, call, *_ = called
    assert call.sections == ["koszty", "zrodla", "zalaczniki"] and call.attachments == [STATUTE]


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
    wrong = services.offer_attachment_add(
        actor=admin, offer=offer, upload=SimpleUploadedFile("zle.png", PNG), name=STATUTE
    )
    services.offer_attachment_remove(actor=admin, attachment=wrong)
    statute = services.offer_attachment_add(
        actor=admin, offer=offer, upload=SimpleUploadedFile("statut.pdf", PDF), name=STATUTE
    )
    services.offer_set_cost_lines(actor=admin, offer=offer, lines=LINES)
    call = services.completion_answer(actor=admin, offer=offer)
    assert set(call.changes) == {"attachments"}  # the costs came back to what was submitted; only the statute is new
    assert statute.sha256 in call.changes["attachments"][1] and proxy.sha256 in call.changes["attachments"][0]
    document = json.loads(call.content)
    assert [a["name"] for a in document["attachments"]] == [PROXY, STATUTE] and call.sha256 == sha(call.content)


def test_an_action_with_costs_cannot_be_removed_when_the_cost_table_is_not_open(opolskie):
    competition, clerk, offers = in_formal_check(1)
    offer = offers[0]
    services.completion_call(
        actor=clerk,
        offer=offer,
        message="Popraw plan",
        sections=["dzialania"],
        deadline=timezone.now() + timedelta(days=1),
    )
    admin = offer.organisation.memberships.get(role="admin").user
    with pytest.raises(services.CompetitionError, match="has cost lines in V.A"):
        services.offer_set_rows(actor=admin, offer=offer, actions=[], results=None)
    # Moved behind a new action (its costs would follow the position) or renamed: refused too.
    with pytest.raises(services.CompetitionError, match="removed, moved or renamed"):
        services.offer_set_rows(
            actor=admin, offer=offer, actions=[{"name": "Warsztaty"}, {"name": "Koncerty"}], results=None
        )
    with pytest.raises(services.CompetitionError, match="removed, moved or renamed"):
        services.offer_set_rows(actor=admin, offer=offer, actions=[{"name": "Koncerty plenerowe"}], results=None)
    assert list(Offer.objects.get(pk=offer.pk).actions.values_list("name", flat=True)) == ["Koncerty"]
    services.offer_set_rows(
        actor=admin,
        offer=offer,
        actions=[
            {"name": "Koncerty", "target_group": "seniorzy i ich rodziny"},
            {"name": "Warsztaty", "target_group": "dzieci"},
        ],
        results=None,
    )
    fresh = Offer.objects.get(pk=offer.pk)
    assert list(fresh.actions.values_list("name", flat=True)) == ["Koncerty", "Warsztaty"]
    assert fresh.cost_lines.get(category="action").action.name == "Koncerty"


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
    assert client.get(f"/konkursy/oferty/{offer.pk}/krok/zrodla/").status_code == 200  # opened with the costs
    assert client.get(f"/konkursy/oferty/{offer.pk}/krok/opis/").status_code == 302  # not opened
    complete = f"/konkursy/oferty/{offer.pk}/uzupelnienie/"
    html = get_page(client, complete, max_queries=20).content.decode()
    assert f"{STATUTE} – <strong>dodano</strong>" in html and "attachments" in html and statute.sha256 in html
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
    with pytest.raises(PermissionDenied):  # the applicant cannot call itself (nor anyone but the authority)
        services.completion_call(
            actor=admin, offer=offer, message="x", sections=["opis"], deadline=timezone.now() + timedelta(days=1)
        )
    with pytest.raises(PermissionDenied):
        services.offer_set_cost_lines(actor=member(verified_organisation()), offer=offer, lines=LINES)
    with pytest.raises(PermissionDenied):
        services.offer_attachment_add(
            actor=UserFactory(), offer=offer, upload=SimpleUploadedFile("s.pdf", PDF), name=STATUTE
        )
    assert not OfferAttachment.objects.filter(name=STATUTE).exists()


def test_the_annulment_ends_the_open_call_and_nothing_can_be_changed_after_it(called):
    offer, call, clerk, admin, proxy = called
    services.offer_set_cost_lines(actor=admin, offer=offer, lines=[{**LINES[0], "unit_cost": 2_900_00}, LINES[1]])
    services.competition_annul(
        actor=clerk, competition=offer.competition, ground="reserved", reason="Brak środków (pkt 9 ogłoszenia)."
    )
    call.refresh_from_db()
    assert call.closed_at is not None and call.answered_at is None and "V.A V.A.lines" in call.changes
    with pytest.raises(services.CompetitionError, match="frozen"):
        services.offer_set_cost_lines(actor=admin, offer=offer, lines=LINES)
    with pytest.raises(services.CompetitionError, match="no open call"):
        services.completion_answer(actor=admin, offer=offer)


def test_no_annulment_once_the_grants_are_decided(opolskie):
    from tests.competitions.evaluation import in_evaluation, score_all

    competition, clerk, offers, members = in_evaluation(1, members=1)
    score_all(members[0], offers[0], 3)
    services.amounts_propose(actor=clerk, competition=competition, amounts={offers[0].pk: 5_000_00})
    services.competition_decide(actor=clerk, competition=competition, reference="Uchwała nr 1/2026")
    with pytest.raises(services.CompetitionError, match="cannot be annulled now"):
        services.competition_annul(
            actor=clerk, competition=competition, ground="none_compliant", reason="Żadna nie spełnia."
        )
    assert Competition.objects.get(pk=competition.pk).state == "decided"  # a state of its own since 0008


def test_the_content_does_not_depend_on_the_language_of_whoever_computes_it(opolskie):
    from django.utils import translation

    competition, clerk, offers = in_formal_check(1)
    with translation.override("en"):  # an officer with the English interface calls
        call = services.completion_call(
            actor=clerk, offer=offers[0], message="x", sections=["opis"], deadline=timezone.now() + timedelta(days=1)
        )
    assert call.sha256_before == offers[0].submissions.get().sha256


def test_partners_of_a_joint_offer_are_told_what_the_lead_completed(opolskie, mailoutbox):
    from ngo_platform.competitions.models import OfferPartner, PartnerState

    competition, clerk, offers = in_formal_check(1)
    offer = offers[0]
    partner_organisation = verified_organisation(name="Fundacja Partnerska")
    partner_admin = member(partner_organisation)
    OfferPartner.objects.create(
        offer=offer,
        organisation=partner_organisation,
        scope="Warsztaty",
        cost_share=0,
        invited_by=offer.created_by,
        state=PartnerState.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    Offer.objects.filter(pk=offer.pk).update(lead_cost_share=10_000_00)  # V.C: the lead carries all the costs
    services.completion_call(
        actor=clerk, offer=offer, message="Tytuł", sections=["opis"], deadline=timezone.now() + timedelta(days=1)
    )
    admin = offer.organisation.memberships.get(role="admin").user
    services.offer_save_step(actor=admin, offer=offer, step="opis", data={"title": "Zadanie 0 – nowy tytuł"})
    mailoutbox.clear()
    call = services.completion_answer(actor=admin, offer=offer)
    told = [m for m in mailoutbox if m.to == [partner_admin.email]]
    assert len(told) == 1 and "III.1 III.title" in told[0].body and call.sha256 in told[0].body


def test_the_plan_step_shows_why_a_change_was_refused(client, opolskie):
    competition, clerk, offers = in_formal_check(1)
    offer = offers[0]
    services.completion_call(
        actor=clerk, offer=offer, message="Plan", sections=["dzialania"], deadline=timezone.now() + timedelta(days=1)
    )
    client.force_login(offer.organisation.memberships.get(role="admin").user)
    data = {
        "dzialania-TOTAL_FORMS": "1",
        "dzialania-INITIAL_FORMS": "1",
        "dzialania-0-name": "Inne koncerty",
        "rezultaty-TOTAL_FORMS": "1",
        "rezultaty-INITIAL_FORMS": "1",
        "rezultaty-0-name": "Uczestnicy",
        "rezultaty-0-target_value": "200",
    }
    html = client.post(f"/konkursy/oferty/{offer.pk}/krok/dzialania/", data).content.decode()
    assert "ma pozycje kosztów w V.A" in html and Offer.objects.get(pk=offer.pk).actions.get().name == "Koncerty"


def test_a_second_click_on_send_is_explained_not_refused(client, called):
    offer, call, clerk, admin, proxy = called
    services.offer_attachment_add(actor=admin, offer=offer, upload=SimpleUploadedFile("statut.pdf", PDF), name=STATUTE)
    client.force_login(admin)
    url = f"/konkursy/oferty/{offer.pk}/uzupelnienie/"
    assert client.post(url, {"call": call.pk}).status_code == 302
    response = client.post(url, {"call": call.pk}, follow=True)
    assert response.status_code == 200 and "Uzupełnienie zostało już wysłane" in response.content.decode()
