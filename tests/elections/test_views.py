"""The pages: public list and detail, nominations, consent, committee, ballot with confirmation,
receipts, the protocol PDF. Every page with a bounded number of queries; every refusal tested."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from ngo_platform.elections import services
from ngo_platform.elections.models import Ballot, CandidateState, ElectionState, TieRule
from tests.accounts.factories import UserFactory
from tests.dates import clock_change
from tests.elections.factories import ElectionFactory, candidate, eligible_organisation, officer, representative, term
from tests.helpers import get_page, third_party_urls

pytestmark = pytest.mark.django_db
S = ElectionState


def officer_client(client, authority):
    person = officer(authority)
    TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    client.force_login(person)
    return person


def test_public_list_and_detail_with_bounded_queries(client, opolskie):
    for _ in range(3):
        election = ElectionFactory(stage=S.LIST_PUBLISHED)
        candidate(election)
    draft = ElectionFactory(stage=S.DRAFT, title="Szkic tajny")
    response = get_page(client, "/wybory/", max_queries=4)
    html = response.content.decode()
    assert "Szkic tajny" not in html and election.title in html
    assert third_party_urls(html) == []
    response = get_page(client, election.get_absolute_url(), max_queries=6)
    assert "Kandydat" in response.content.decode()
    get_page(client, draft.get_absolute_url(), max_queries=6, status=404)


def election_form(council, start, voting_after=timedelta(days=21)) -> dict:
    """The form of a new election whose nominations open at `start` (local time) and voting `voting_after` later."""
    fmt = "%Y-%m-%dT%H:%M"
    return {
        "council": council.pk,
        "kind": "regular",
        "title": "Wybory do RDPP WO V kadencji",
        "term_start": term()[0].isoformat(),
        "term_end": term()[1].isoformat(),
        "seats": 9,
        "eligibility_basis": "seat_or_area",
        "require_verified": "on",
        "nominations_per_organisation": 1,
        "acting_role": "admin",
        "choices_per_ballot": 1,
        "tie_rule": "lots",
        "nominations_start": start.strftime(fmt),
        "nominations_end": (start + timedelta(days=14)).strftime(fmt),
        "voting_start": (start + voting_after).strftime(fmt),
        "protest_days": 7,
    }


def assert_seven_days_to_the_hour(election):
    """Seven days of voting by the calendar: it closes at the hour, local time, it opened (so across a change
    of the clocks it lasts an hour more or less)."""
    start, end = timezone.localtime(election.voting_start), timezone.localtime(election.voting_end)
    assert ((end.date() - start.date()).days, end.time()) == (7, start.time())


def test_officer_prepares_an_election_and_a_council(client, opolskie):
    officer_client(client, opolskie)
    response = client.get("/wybory/nowe/")
    assert response.status_code == 302 and response["Location"] == "/wybory/rady/nowa/"
    response = client.post("/wybory/rady/nowa/", {"authority": opolskie.pk, "name": "Rada Pożytku WO"})
    assert response.status_code == 302
    get_page(client, "/wybory/nowe/", max_queries=12)
    start = (timezone.localtime() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    data = election_form(opolskie.councils.get(), start, voting_after=timedelta(days=10))
    response = client.post("/wybory/nowe/", data)
    assert "Głosowanie rozpoczyna się po zamknięciu zgłoszeń" in response.content.decode()
    response = client.post("/wybory/nowe/", election_form(opolskie.councils.get(), start))
    assert response.status_code == 302
    election = opolskie.councils.get().elections.get()
    assert_seven_days_to_the_hour(election)
    get_page(client, f"/wybory/{election.slug}/komisja/", max_queries=16)


@pytest.mark.parametrize("month", [3, 10], ids=["clocks-forward", "clocks-back"])
def test_seven_days_of_voting_across_the_change_of_the_clocks_close_at_the_hour_they_opened(client, opolskie, month):
    change = clock_change(month)
    with time_machine.travel(change - timedelta(days=25), tick=False):
        officer_client(client, opolskie)
        client.post("/wybory/rady/nowa/", {"authority": opolskie.pk, "name": "Rada Pożytku WO"})
        start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=1)
        assert client.post("/wybory/nowe/", election_form(opolskie.councils.get(), start)).status_code == 302
    election = opolskie.councils.get().elections.get()
    assert election.voting_start < change < election.voting_end
    assert_seven_days_to_the_hour(election)
    hour = timedelta(hours=1)
    assert election.voting_end - election.voting_start == timedelta(days=7) - (hour if month == 3 else -hour)


def test_people_without_a_role_cannot_prepare_elections_or_open_the_committee(client, opolskie, gmina_brzeg):
    election = ElectionFactory(stage=S.NOMINATIONS)
    response = client.get(f"/wybory/{election.slug}/komisja/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get("/wybory/nowe/").status_code == 403
    assert client.get("/wybory/rady/nowa/").status_code == 403
    assert client.get(f"/wybory/{election.slug}/komisja/").status_code == 403
    assert client.post(f"/wybory/{election.slug}/komisja/etap/", {"target": "verification"}).status_code == 403
    officer_client(client, gmina_brzeg)
    assert client.get(f"/wybory/{election.slug}/komisja/").status_code == 403


def test_nominate_consent_verify_publish_through_the_pages(client, opolskie):
    election = ElectionFactory(stage=S.NOMINATIONS)
    organisation = eligible_organisation()
    client.force_login(representative(organisation))
    get_page(client, f"/wybory/{election.slug}/zglos/", max_queries=10)
    response = client.post(
        f"/wybory/{election.slug}/zglos/", {"organisation": organisation.pk, "full_name": "", "email": "x"}
    )
    html = response.content.decode()
    assert "id_full_name_error" in html and "To pole jest wymagane" in html
    response = client.post(
        f"/wybory/{election.slug}/zglos/",
        {
            "organisation": organisation.pk,
            "full_name": "Ewa Lis",
            "email": "ewa@example.pl",
            "qualifications": "Radna",
        },
    )
    assert response.status_code == 302
    link = re.search(r"/wybory/zgoda/[^\s]+/", mail.outbox[-1].body).group(0)
    client.logout()
    get_page(client, link, max_queries=4)
    response = client.post(link, {"decision": "agree"})
    assert response.status_code == 302
    nominee = election.candidates.get()
    assert nominee.state == CandidateState.CONSENTED

    officer_client(client, opolskie)
    election.nominations_end = timezone.now() - timedelta(seconds=1)
    election.save()
    client.get(f"/wybory/{election.slug}/komisja/")  # the clock moves it to verification
    get_page(client, f"/wybory/{election.slug}/komisja/", max_queries=16)
    election.refresh_from_db()
    assert election.state == S.VERIFICATION
    url = f"/wybory/{election.slug}/komisja/kandydat/{nominee.pk}/"
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert "id_reason_error" in response.content.decode()
    client.post(url, {"decision": "verify"})
    nominee.refresh_from_db()
    assert nominee.state == CandidateState.VERIFIED
    client.post(f"/wybory/{election.slug}/komisja/etap/", {"target": "list_published", "confirmed": "1"})
    election.refresh_from_db()
    assert election.state == S.LIST_PUBLISHED
    assert "Ewa Lis" in get_page(client, election.get_absolute_url(), max_queries=12).content.decode()


def test_an_irreversible_stage_asks_first_and_changes_nothing_until_confirmed(client, opolskie):
    election = ElectionFactory(stage=S.VOTING)
    election.voting_end = timezone.now() - timedelta(seconds=1)
    election.save()
    officer_client(client, opolskie)
    url = f"/wybory/{election.slug}/komisja/etap/"
    asked = client.post(url, {"target": "results", "reason": ""})
    html = asked.content.decode()
    assert asked.status_code == 200 and "nie można przeliczyć ponownie" in html
    assert 'name="target" value="results"' in html and 'name="confirmed" value="1"' in html
    election.refresh_from_db()
    assert election.state == S.VOTING
    client.post(url, {"target": "results", "reason": "", "confirmed": "1"})
    election.refresh_from_db()
    assert election.state == S.RESULTS


def test_a_cancellation_without_its_reason_is_refused_before_asking(client, opolskie):
    election = ElectionFactory(stage=S.NOMINATIONS)
    officer_client(client, opolskie)
    response = client.post(f"/wybory/{election.slug}/komisja/etap/", {"target": "cancelled", "reason": ""}, follow=True)
    assert 'name="confirmed"' not in response.content.decode()
    election.refresh_from_db()
    assert election.state == S.NOMINATIONS


def test_a_refused_stage_change_explains_why(client, opolskie):
    election = ElectionFactory(stage=S.VOTING)
    officer_client(client, opolskie)
    response = client.post(f"/wybory/{election.slug}/komisja/etap/", {"target": "results"}, follow=True)
    assert "Głosowanie trwa do" in response.content.decode()


def test_vote_with_confirmation_then_receipt_after_results(client, opolskie):
    election = ElectionFactory(stage=S.VOTING, seats=1)
    chosen = candidate(election, full_name="Anna Wybrana")
    candidate(election, full_name="Jan Drugi")
    organisation = eligible_organisation()
    client.force_login(representative(organisation))
    get_page(client, f"/wybory/{election.slug}/glosuj/", max_queries=12)
    response = client.post(f"/wybory/{election.slug}/glosuj/", {"organisation": organisation.pk, "step": "review"})
    assert "id_candidates_error" in response.content.decode()
    response = client.post(
        f"/wybory/{election.slug}/glosuj/", {"organisation": organisation.pk, "candidates": chosen.pk, "step": "review"}
    )
    assert "Potwierdź swój głos" in response.content.decode() and not Ballot.objects.exists()
    response = client.post(
        f"/wybory/{election.slug}/glosuj/",
        {"organisation": organisation.pk, "candidates": chosen.pk, "step": "cast"},
        follow=True,
    )
    ballot = Ballot.objects.get()
    assert ballot.receipt in response.content.decode()
    response = client.post(
        f"/wybory/{election.slug}/glosuj/", {"organisation": organisation.pk, "candidates": chosen.pk, "step": "cast"}
    )
    assert "już głosowała" in response.content.decode()
    assert Ballot.objects.count() == 1

    get_page(client, f"/wybory/{election.slug}/pokwitowanie/?kod={ballot.receipt}", max_queries=8)
    assert client.get(f"/wybory/{election.slug}/glosy/").status_code == 404
    election.voting_end = timezone.now() - timedelta(seconds=1)
    election.save()
    actor = officer(opolskie)
    services.election_advance_due(election=election)
    services.election_transition(actor=actor, election=election, target=S.PROTESTS)
    client.logout()
    response = get_page(
        client, f"/wybory/{election.slug}/pokwitowanie/?kod={ballot.receipt.lower().replace('-', '')}", max_queries=8
    )
    assert "została policzona" in response.content.decode() and "Anna Wybrana" in response.content.decode()
    response = get_page(client, f"/wybory/{election.slug}/pokwitowanie/?kod=AAAAA-BBBBB-CCCCC", max_queries=8)
    assert "Nie ma policzonej karty" in response.content.decode()
    response = get_page(client, f"/wybory/{election.slug}/glosy/", max_queries=8)
    html = response.content.decode()
    assert ballot.receipt in html and organisation.name not in html
    response = get_page(client, election.get_absolute_url(), max_queries=10)
    assert "Frekwencja: 1 z" in response.content.decode()


def test_a_ballot_after_the_window_is_refused_on_the_page(client, opolskie):
    election = ElectionFactory(stage=S.VOTING)
    chosen = candidate(election)
    organisation = eligible_organisation()
    client.force_login(representative(organisation))
    election.voting_end = timezone.now() - timedelta(seconds=1)
    election.save(update_fields=["voting_end"])
    response = client.post(
        f"/wybory/{election.slug}/glosuj/", {"organisation": organisation.pk, "candidates": chosen.pk, "step": "cast"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Ballot.objects.exists()
    assert "Głosowanie zakończyło się" in html and "Głos nie został zapisany" in html
    assert "Głosowanie było otwarte od" in html


def test_ballot_page_is_refused_to_others(client, opolskie):
    election = ElectionFactory(stage=S.VOTING)
    organisation = eligible_organisation()
    editor = representative(organisation, role="editor")
    response = client.get(f"/wybory/{election.slug}/glosuj/")
    assert response.status_code == 302
    for person in (UserFactory(), editor):
        client.force_login(person)
        assert client.get(f"/wybory/{election.slug}/glosuj/").status_code == 403
        assert client.get(f"/wybory/{election.slug}/zglos/").status_code == 403
        assert client.get(f"/wybory/{election.slug}/protest/").status_code == 403


def test_tie_break_page_protests_and_the_protocol_pdf(client, opolskie):
    election = ElectionFactory(stage=S.VOTING, seats=1, tie_rule=TieRule.LOTS, title="Wybory do Rady Brzeskiej")
    a = candidate(election, full_name="Alicja Remis")
    b = candidate(election, full_name="Bogdan Remis")
    voters = []
    for chosen in (a, b):
        organisation = eligible_organisation()
        voters.append((representative(organisation), organisation))
        services.ballot_cast(
            actor=voters[-1][0], election=election, organisation=organisation, candidate_ids=[chosen.pk]
        )
    election.voting_end = timezone.now() - timedelta(seconds=1)
    election.save()
    officer_client(client, opolskie)
    client.get(f"/wybory/{election.slug}/komisja/")  # the clock closes the voting and counts
    get_page(client, f"/wybory/{election.slug}/komisja/", max_queries=16)
    election.refresh_from_db()
    assert election.state == S.RESULTS and election.tie_pending
    url = f"/wybory/{election.slug}/komisja/losowanie/"
    get_page(client, url, max_queries=12)
    response = client.post(url, {f"place_{a.pk}": "1", f"place_{b.pk}": "1", "witnesses": "Jan"})
    html = response.content.decode()
    assert "id_witnesses_error" in html
    client.post(
        url, {f"place_{a.pk}": "2", f"place_{b.pk}": "1", "witnesses": "Jan Nowak\nEwa Lis", "note": "Losy z urny"}
    )
    b.refresh_from_db()
    assert b.elected
    draft_pdf = client.get(f"/wybory/{election.slug}/protokol.pdf")
    assert draft_pdf.status_code == 200 and "Projekt protokołu" in _pdf_text(draft_pdf)
    client.post(f"/wybory/{election.slug}/komisja/etap/", {"target": "protests", "confirmed": "1"})

    person, organisation = voters[0]
    client.force_login(person)
    get_page(client, f"/wybory/{election.slug}/protest/", max_queries=10)
    client.post(f"/wybory/{election.slug}/protest/", {"organisation": organisation.pk, "text": "Losowanie bez nas"})
    protest = election.protests.get()
    officer_client(client, opolskie)
    client.post(
        f"/wybory/{election.slug}/komisja/protest/{protest.pk}/",
        {"decision": "dismissed", "reasons": "Losowanie było jawne"},
    )
    election.refresh_from_db()
    election.protests_end = timezone.now() - timedelta(seconds=1)
    election.save()
    client.post(f"/wybory/{election.slug}/komisja/etap/", {"target": "final", "confirmed": "1"})
    election.refresh_from_db()
    assert election.state == S.FINAL
    client.logout()
    response = client.get(f"/wybory/{election.slug}/protokol.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response)
    for expected in (
        "Protokół wyborów",
        "Wybory do Rady Brzeskiej",
        "Frekwencja",
        "Bogdan Remis",
        "Alicja Remis",
        "Jan Nowak",
        "Losowanie było jawne",
    ):
        assert expected in text, expected
    council = get_page(client, election.council.get_absolute_url(), max_queries=6).content.decode()
    assert "Bogdan Remis" in council and "Alicja Remis" not in council


def test_protocol_is_not_public_before_the_results(client, opolskie):
    election = ElectionFactory(stage=S.VOTING)
    assert client.get(f"/wybory/{election.slug}/protokol.pdf").status_code == 404
    results = ElectionFactory(stage=S.RESULTS)
    assert client.get(f"/wybory/{results.slug}/protokol.pdf").status_code == 302
    client.force_login(UserFactory())
    assert client.get(f"/wybory/{results.slug}/protokol.pdf").status_code == 403


def _pdf_text(response) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(response.content)).pages
    )


def test_the_election_page_names_the_eligible_legal_forms(client, opolskie):
    election = ElectionFactory(stage=S.NOMINATIONS, eligible_legal_forms=["uks", "stowarzyszenie_zwykle"])
    html = get_page(client, election.get_absolute_url(), max_queries=10).content.decode()
    assert "uczniowski klub sportowy" in html.lower() and "uks," not in html and "stowarzyszenie_zwykle" not in html
