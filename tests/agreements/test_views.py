"""The pages, without JavaScript: the officer prepares, sends and signs the agreement and downloads its DOCX;
the organisation updates its cost calculation and reports; the officer accepts or returns each with a note;
the organisation sees every state. Bounded queries, Polish messages next to the fields, every refusal."""

import io
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone
from docx import Document

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.agreements import services
from ngo_platform.agreements.models import Agreement, AgreementState, CostUpdate, Report, ReviewState
from ngo_platform.agreements.views import _stages
from tests.agreements.factories import (
    IBAN,
    funded_offer,
    member,
    officer_with_mfa,
    ready_agreement,
    verified_organisation,
)
from tests.helpers import get_page, third_party_urls

pytestmark = pytest.mark.django_db


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_officer_prepares_sends_signs_and_downloads_the_docx(client, opolskie):
    offer = funded_offer()
    clerk = officer_with_mfa(opolskie)
    client.force_login(clerk)
    html = get_page(client, "/umowy/", max_queries=14).content.decode()
    assert offer.title in html and "Przygotuj umowę" in html and third_party_urls(html) == []
    response = client.post(f"/umowy/oferta/{offer.pk}/umowa/")
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/umowy/{agreement.pk}/edycja/"
    html = get_page(client, f"/umowy/{agreement.pk}/edycja/", max_queries=14).content.decode()
    assert "Anna Nowak – prezeska" in html  # the signatories of the offer, prefilled
    party = agreement.parties.get()
    year = offer.date_from.year  # the factory's task: 1 June – 30 November of next year
    data = {
        "number": f"DOR.526.7.{year}",
        "place": "Opole",
        "authority_signatories": "Jan Kowalski – Członek Zarządu",
        "granted_amount": "8 000,00 zł",
        "task_start": f"{year}-06-01",
        "task_end": f"{year}-11-30",
        "account_number": "61 1090 1014 0000 0712 1981 2875",
        f"party_{party.pk}": "Anna Nowak – prezeska",
        "raty-TOTAL_FORMS": "2",
        "raty-INITIAL_FORMS": "0",
        "raty-0-due_on": f"{year}-06-15",
        "raty-0-amount": "5 000",
        "raty-1-due_on": f"{year}-09-01",
        "raty-1-amount": "3 000",
    }
    html = client.post(f"/umowy/{agreement.pk}/edycja/", data).content.decode()
    assert (
        "cyfry kontrolne" in html and 'class="error-message"' in html
    )  # a wrong check digit, in Polish, next to the field
    data["account_number"] = IBAN
    assert client.post(f"/umowy/{agreement.pk}/edycja/", data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.account_number == "PL61109010140000071219812874" and agreement.number == f"DOR.526.7.{year}"
    html = get_page(client, agreement.get_absolute_url(), max_queries=16).content.decode()
    assert "PL61 1090 1014 0000 0712 1981 2874" in html and "Wyślij do organizacji" in html
    client.post(f"/umowy/{agreement.pk}/wyslij/")
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SENT
    today = timezone.localdate()
    client.post(f"/umowy/{agreement.pk}/podpis/", {"podpis-signed_on": (today + timedelta(days=1)).isoformat()})
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SENT
    client.post(f"/umowy/{agreement.pk}/podpis/", {"podpis-signed_on": today.isoformat()})
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SIGNED and agreement.signed_on == today
    response = get_page(client, f"/umowy/{agreement.pk}/umowa.docx", max_queries=12)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = docx_text(response.content)
    assert f"UMOWA NR DOR.526.7.{year}" in text and "Województwo Opolskie" in text or opolskie.name in text
    assert (
        offer.organisation.name in text and "Anna Nowak – prezeska" in text and "Jan Kowalski – Członek Zarządu" in text
    )
    assert "8\u00a0000,00\u00a0zł (słownie: osiem tysięcy złotych 00/100)" in text
    assert f"od dnia 1 czerwca {year} r. do dnia 30 listopada {year} r." in text
    assert f"do dnia 30 grudnia {year} r." in text  # the report: 30 days after the end of the task
    assert "PL61 1090 1014 0000 0712 1981 2874" in text and f"15 czerwca {year} r. | 5\u00a0000,00\u00a0zł" in text
    assert f"zawarta w dniu {today.day}" in text


def test_lower_grant_cost_update_through_the_pages_returned_and_accepted(client, opolskie):
    agreement = ready_agreement(granted=6_000_00)
    offer = agreement.offer
    ngo = member(offer.organisation)
    client.force_login(ngo)
    html = get_page(client, agreement.get_absolute_url(), max_queries=16).content.decode()
    assert "Zaktualizuj kalkulację kosztów" in html and "Przygotuj umowę" not in html
    url = f"/umowy/{agreement.pk}/kalkulacja/"
    html = get_page(client, url, max_queries=14).content.decode()
    assert "Rozpocznij zaktualizowaną kalkulację" in html
    client.post(url, {"action": "start"})
    html = get_page(client, url, max_queries=16).content.decode()
    assert 'value="Honoraria"' in html and third_party_urls(html) == []
    rows = {
        "koszty-TOTAL_FORMS": "3",
        "koszty-INITIAL_FORMS": "0",
        "koszty-0-kind": "action:1",
        "koszty-0-name": "Honoraria",
        "koszty-0-unit": "koncert",
        "koszty-0-unit_cost": "3 000",
        "koszty-0-units": "2",
        "koszty-0-year": "1",
        "koszty-1-kind": "administrative",
        "koszty-1-name": "Księgowość",
        "koszty-1-unit": "miesiąc",
        "koszty-1-unit_cost": "500",
        "koszty-1-units": "2",
        "koszty-1-year": "1",
        "zrodla-grant": "6 000",
        "zrodla-own_financial": "500",
    }
    html = client.post(url, {**rows, "action": "submit"}).content.decode()
    assert "dają razem 6\u00a0500,00\u00a0zł" in html and "koszty ogółem wynoszą 7\u00a0000,00\u00a0zł" in html
    assert (
        CostUpdate.objects.get().state == ReviewState.DRAFT and CostUpdate.objects.get().own_financial == 500_00
    )  # saved, not submitted
    rows["zrodla-own_financial"] = "1 000,00"
    assert client.post(url, {**rows, "action": "submit"}).status_code == 302
    assert CostUpdate.objects.get().state == ReviewState.SUBMITTED
    # The organisation cannot decide; the officer must give a note to return it.
    assert client.post(url, {"action": "decide", "decyzja-decision": "accept"}).status_code == 403
    client.force_login(agreement.clerk)
    html = get_page(client, url, max_queries=16).content.decode()
    assert "Decyzja" in html
    html = client.post(url, {"action": "decide", "decyzja-decision": "return", "decyzja-note": ""}).content.decode()
    assert "Napisz, co trzeba poprawić" in html
    client.post(url, {"action": "decide", "decyzja-decision": "return", "decyzja-note": "Proszę o wyższy wkład."})
    assert CostUpdate.objects.get().state == ReviewState.RETURNED
    client.force_login(ngo)
    html = get_page(client, agreement.get_absolute_url(), max_queries=16).content.decode()
    assert "Proszę o wyższy wkład." in html and "zwrócono do poprawy" in html
    client.post(url, {**rows, "action": "submit"})
    client.force_login(agreement.clerk)
    client.post(url, {"action": "decide", "decyzja-decision": "accept", "decyzja-note": ""})
    assert CostUpdate.objects.get().state == ReviewState.ACCEPTED
    client.post(f"/umowy/{agreement.pk}/podpis/", {"podpis-signed_on": timezone.localdate().isoformat()})
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SIGNED
    text = docx_text(client.get(f"/umowy/{agreement.pk}/umowa.docx").content)
    assert "Kalkulacja kosztów (zaktualizowana)" in text and "sześć tysięcy złotych 00/100" in text
    assert "Razem | 7\u00a0000,00\u00a0zł" in text


def test_report_through_the_pages_late_returned_accepted_and_the_organisation_sees_every_state(client, opolskie):
    agreement = ready_agreement(sign=True)
    today = timezone.localdate()
    Agreement.objects.filter(pk=agreement.pk).update(
        report_due=today - timedelta(days=2),
        task_end=today - timedelta(days=32),
        task_start=today - timedelta(days=120),
    )
    offer = agreement.offer
    ngo = member(offer.organisation)
    client.force_login(ngo)
    url = f"/umowy/{agreement.pk}/sprawozdanie/"
    html = get_page(client, url, max_queries=14).content.decode()
    assert "oznaczone jako złożone po terminie" in html
    client.post(url, {"action": "start"})
    report = Report.objects.get()
    html = get_page(client, url, max_queries=16).content.decode()
    assert "Uczestnicy: osiągnięta wartość (planowano: 200)" in html and third_party_urls(html) == []
    result, (line1, line2) = report.results.get(), report.cost_lines.all()
    data = {
        "action": "submit",
        "description": "",
        "grant": "8 000",
        "own_financial": "1 000",
        f"achieved_{result.pk}": "",
        f"spent_{line1.pk}": "9 000",
        f"spent_{line2.pk}": "1 000",
    }
    html = client.post(url, data).content.decode()
    assert (
        "Opisz, co zostało zrobione" in html and "Uczestnicy" in html and "różnica wynosi 1\u00a0000,00\u00a0zł" in html
    )
    data.update(
        {
            "description": "Trzy koncerty dla seniorów.",
            f"achieved_{result.pk}": "215",
            "own_financial": "2 000",
            "declares_truth": "on",
        }
    )
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.state == ReviewState.SUBMITTED and report.late
    html = get_page(client, f"/umowy/organizacja/{offer.organisation.slug}/", max_queries=12).content.decode()
    assert "złożono po terminie" in html and "złożono, czeka na urząd" in html and agreement.number in html
    client.force_login(agreement.clerk)
    client.post(url, {"action": "decide", "decyzja-decision": "return", "decyzja-note": "Brak listy obecności."})
    client.force_login(ngo)
    html = get_page(client, f"/umowy/organizacja/{offer.organisation.slug}/", max_queries=12).content.decode()
    assert "zwrócono do poprawy" in html
    assert "Brak listy obecności." in client.get(url).content.decode()
    data["additional_info"] = "Lista w załączeniu."
    client.post(url, data)
    client.force_login(agreement.clerk)
    client.post(url, {"action": "decide", "decyzja-decision": "accept"})
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SETTLED
    html = get_page(client, "/umowy/?stan=settled", max_queries=14).content.decode()
    assert agreement.number in html and "przyjęto" in html and "Numer umowy" in html
    client.force_login(ngo)
    html = get_page(client, agreement.get_absolute_url(), max_queries=16).content.decode()
    assert "oferent" in html and "sprawozdanie" in html and "rozliczona" in html
    client.force_login(agreement.clerk)
    # The public profile lists the grant (the integrator includes the tag in the organisation's page).
    rendered = Template("{% load agreements %}{% organisation_grants organisation %}").render(
        Context({"organisation": offer.organisation})
    )
    assert offer.title in rendered and "8\u00a0000,00\u00a0zł" in rendered and "rozliczona" in rendered


def test_refusals(client, opolskie, gmina_brzeg):
    agreement = ready_agreement(send=False)
    offer = agreement.offer
    detail = agreement.get_absolute_url()
    assert client.get(detail).status_code == 302 and "/konto/login/" in client.get(detail)["Location"]
    ngo = member(offer.organisation)
    client.force_login(ngo)
    get_page(client, detail, max_queries=13, status=403)  # a draft is the authority's
    get_page(client, "/umowy/", max_queries=6, status=403)
    services.agreement_send(actor=agreement.clerk, agreement=agreement)
    get_page(client, detail, max_queries=16)
    for path in ("wyslij", "podpis", "rozwiazanie", "poprawa"):
        assert client.post(f"/umowy/{agreement.pk}/{path}/").status_code == 403
    assert client.get(f"/umowy/{agreement.pk}/edycja/").status_code == 403
    assert client.post(f"/umowy/oferta/{offer.pk}/umowa/").status_code == 403
    stranger = member(verified_organisation())
    client.force_login(stranger)
    for url in (
        detail,
        f"/umowy/{agreement.pk}/umowa.docx",
        f"/umowy/{agreement.pk}/sprawozdanie/",
        f"/umowy/{agreement.pk}/kalkulacja/",
        f"/umowy/organizacja/{offer.organisation.slug}/",
    ):
        assert client.get(url).status_code == 403, url
    other_officer = officer_with_mfa(gmina_brzeg)
    client.force_login(other_officer)
    get_page(client, detail, max_queries=13, status=403)
    signing = {"podpis-signed_on": timezone.localdate().isoformat()}
    assert client.post(f"/umowy/{agreement.pk}/podpis/", signing).status_code == 403
    html = get_page(client, "/umowy/", max_queries=10).content.decode()
    assert agreement.number not in html and offer.title not in html
    # An editor sees the agreement but does not fill the report; partners' members see it too.
    services.agreement_sign(actor=agreement.clerk, agreement=agreement, signed_on=timezone.localdate())
    editor = member(offer.organisation, role=OrganisationRole.EDITOR)
    client.force_login(editor)
    client.post(f"/umowy/{agreement.pk}/sprawozdanie/", {"action": "start"})
    assert Report.objects.count() == 0
    assert "Rozpocznij sprawozdanie" not in client.get(f"/umowy/{agreement.pk}/sprawozdanie/").content.decode()


def test_my_agreements_page_leads_to_the_organisation(client, opolskie):
    agreement = ready_agreement()
    ngo = member(agreement.offer.organisation)
    client.force_login(ngo)
    response = client.get("/umowy/moje/")
    assert (
        response.status_code == 302
        and response["Location"] == f"/umowy/organizacja/{agreement.offer.organisation.slug}/"
    )
    html = get_page(client, response["Location"], max_queries=10).content.decode()
    assert re.search(r"wysłana do organizacji", html) and "nie dotyczy" in html


def _marks(stages):
    """The stages as the page marks them: "now" for the current one, "✓" for those done, "" for those to come."""
    return {s["key"]: "now" if s["current"] else "✓" if s["done"] else "" for s in stages}


@pytest.mark.parametrize(
    ("state", "report_state", "expected"),
    [
        (AgreementState.DRAFT, None, {"draft": "now", "sent": "", "signed": "", "report": "", "settled": ""}),
        (AgreementState.SENT, None, {"draft": "✓", "sent": "now", "signed": "", "report": "", "settled": ""}),
        (AgreementState.SIGNED, None, {"draft": "✓", "sent": "✓", "signed": "now", "report": "", "settled": ""}),
        (
            AgreementState.SIGNED,
            ReviewState.DRAFT,
            {"draft": "✓", "sent": "✓", "signed": "now", "report": "", "settled": ""},
        ),
        # The report waits for the authority: submitted is what holds now, "settled" does not (the bug was "now").
        (
            AgreementState.SIGNED,
            ReviewState.SUBMITTED,
            {"draft": "✓", "sent": "✓", "signed": "✓", "report": "now", "settled": ""},
        ),
        (
            AgreementState.SIGNED,
            ReviewState.RETURNED,
            {"draft": "✓", "sent": "✓", "signed": "now", "report": "", "settled": ""},
        ),
        (
            AgreementState.SETTLED,
            ReviewState.ACCEPTED,
            {"draft": "✓", "sent": "✓", "signed": "✓", "report": "✓", "settled": "now"},
        ),
    ],
)
def test_the_agreements_progress_marks_a_stage_current_only_when_it_holds(state, report_state, expected):
    agreement = SimpleNamespace(
        state=state, granted_amount=8, offer=SimpleNamespace(grant_requested=8), sent_at=None, signed_on=None
    )
    report = SimpleNamespace(state=report_state) if report_state else None
    assert _marks(_stages(agreement, None, report)) == expected


def test_a_terminated_agreement_has_no_current_stage_and_shows_only_what_was_reached():
    now = timezone.now()
    agreement = SimpleNamespace(
        state=AgreementState.TERMINATED,
        granted_amount=6,
        offer=SimpleNamespace(grant_requested=8),
        sent_at=now,
        signed_on=None,
    )
    update = SimpleNamespace(state=ReviewState.SUBMITTED)
    marks = _marks(_stages(agreement, update, None))
    assert marks == {"draft": "✓", "sent": "✓", "cost_update": "", "signed": "", "report": "", "settled": ""}
    accepted = SimpleNamespace(state=ReviewState.ACCEPTED)
    agreement.state = AgreementState.SENT
    assert _marks(_stages(agreement, accepted, None))["cost_update"] == "now"
