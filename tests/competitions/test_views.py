"""The pages: public list with filters and feeds, announcement, the multi-step offer form without
JavaScript, submission, receipt, the PDF with its checksum; bounded queries; every refusal."""

import hashlib
import io
import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from pypdf import PdfReader

from ngo_platform.competitions.models import Competition, CompetitionState, Offer, OfferState, OfferSubmission
from ngo_platform.core.text import local_second
from tests.accounts.factories import UserFactory
from tests.competitions.factories import CompetitionFactory, complete_offer, member, officer, verified_organisation
from tests.dates import typeable
from tests.helpers import get_page, third_party_urls

CONFIRMED = {"confirmed": "1"}  # the answer of the page that asks before submitting

pytestmark = pytest.mark.django_db


def officer_client(client, authority):
    person = officer(authority)
    TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    client.force_login(person)
    return person


def test_public_list_filters_feeds_and_detail(client, opolskie, gmina_brzeg):
    for n in range(3):
        CompetitionFactory(title=f"Konkurs kultura {n}")
    brzeg = CompetitionFactory(authority=gmina_brzeg, title="Konkurs sport Brzeg", task_form="powierzanie")
    CompetitionFactory(title="Szkic tajny", state=CompetitionState.DRAFT, published_at=None, version=0)
    # A cold cache: the page is rendered (5 queries) and stored with its data version.
    html = get_page(client, "/konkursy/", max_queries=18).content.decode()
    assert "Szkic tajny" not in html and "Konkurs kultura 2" in html and third_party_urls(html) == []
    assert get_page(client, "/konkursy/", max_queries=2).content.decode() == html
    html = get_page(client, f"/konkursy/?authority={gmina_brzeg.slug}", max_queries=18).content.decode()
    assert "Konkurs sport Brzeg" in html and "Konkurs kultura" not in html
    html = get_page(client, "/konkursy/?form=powierzanie&status=open", max_queries=18).content.decode()
    assert "Konkurs sport Brzeg" in html and "Konkurs kultura" not in html
    rss = get_page(client, "/konkursy/kanal.rss", max_queries=6)
    assert b"<rss" in rss.content and b"Konkurs kultura 0" in rss.content and b"Szkic" not in rss.content
    ics = get_page(client, "/konkursy/kalendarz.ics", max_queries=6)
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    assert b"\r\n" in ics.content
    html = get_page(client, brzeg.get_absolute_url(), max_queries=8).content.decode()
    assert "Konkurs sport Brzeg" in html and "Kryterium 1" in html
    get_page(client, "/konkursy/szkic-nieistniejacy/", max_queries=4, status=404)
    draft = Competition.objects.get(title="Szkic tajny")
    get_page(client, draft.get_absolute_url(), max_queries=6, status=404)


def test_a_stage_the_competition_takes_shows_on_the_cached_list_at_once(
    client, opolskie, django_capture_on_commit_callbacks
):
    from ngo_platform.competitions import services

    competition = CompetitionFactory(title="Konkurs po terminie", offers_deadline=timezone.now() - timedelta(hours=1))
    cached = client.get("/konkursy/").content
    assert client.get("/konkursy/").content == cached  # served from the page cache
    with django_capture_on_commit_callbacks(execute=True):
        services.formal_check_start(actor=officer(opolskie), competition=competition)
    assert client.get("/konkursy/").content != cached  # the workflow's step bumped the list's version


def test_officer_announces_publishes_and_corrects(client, opolskie):
    officer_client(client, opolskie)
    response = get_page(client, "/konkursy/nowy/", max_queries=14)
    assert "Możliwość realizacji zadania" in response.content.decode()  # art. 15 defaults
    deadline = typeable(timezone.now() + timedelta(days=10))
    year = timezone.localdate().year + 1  # announced now for a task next year
    data = {
        "authority": opolskie.pk,
        "title": f"Konkurs – seniorzy {year}",
        "task_kind": "Aktywizacja seniorów",
        "task_form": "wspieranie",
        "total_funds": "50 000,00 zł",
        "max_grant": "10 000",
        "min_grant": "",
        "own_contribution_min_bp": "10",
        "own_counts_financial": "on",
        "own_counts_personal": "on",
        "own_counts_in_kind": "on",
        "eligible_entities": "NGO",
        "require_verified": "on",
        "task_start": f"{year}-06-01",
        "task_end": f"{year}-12-31",
        "offers_deadline": deadline.strftime("%Y-%m-%dT%H:%M:%S"),
        "rules_text": "Zasady.",
        "kryteria-TOTAL_FORMS": "2",
        "kryteria-INITIAL_FORMS": "0",
        "kryteria-0-name": "Jakość",
        "kryteria-0-max_points": "10",
        "kryteria-1-name": "",
        "kryteria-1-max_points": "",
    }
    response = client.post("/konkursy/nowy/", data)
    assert response.status_code == 302
    competition = Competition.objects.get()
    assert competition.total_funds == 5_000_000 and competition.own_contribution_min_bp == 1000
    response = client.post(f"/konkursy/{competition.slug}/publikuj/", follow=True)
    assert "co najmniej 21 dni" in response.content.decode()
    competition.refresh_from_db()
    assert competition.state == CompetitionState.DRAFT
    data["offers_deadline"] = typeable(timezone.now() + timedelta(days=22)).strftime("%Y-%m-%dT%H:%M:%S")
    data.pop("authority")
    assert client.post(f"/konkursy/{competition.slug}/edycja/", data).status_code == 302
    client.post(f"/konkursy/{competition.slug}/publikuj/")
    competition.refresh_from_db()
    assert competition.state == CompetitionState.PUBLISHED
    data["max_grant"] = "12 000"
    response = client.post(f"/konkursy/{competition.slug}/edycja/", data)
    assert "Opisz korektę" in response.content.decode()
    data["note"] = "Podniesiona kwota dotacji"
    assert client.post(f"/konkursy/{competition.slug}/edycja/", data).status_code == 302
    client.logout()
    html = client.get(competition.get_absolute_url()).content.decode()
    assert "Podniesiona kwota dotacji" in html and "Wersja 2" in html


def test_people_without_a_role_cannot_announce_or_see_drafts(client, opolskie):
    draft = CompetitionFactory(state=CompetitionState.DRAFT, published_at=None)
    response = client.get("/konkursy/nowy/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get("/konkursy/nowy/").status_code == 403
    assert client.get(draft.get_absolute_url()).status_code == 404
    published = CompetitionFactory()
    assert client.get(f"/konkursy/{published.slug}/edycja/").status_code == 403
    assert client.post(f"/konkursy/{published.slug}/publikuj/").status_code == 403
    assert client.get(f"/konkursy/{published.slug}/oferty/").status_code == 403


def _steps_post(client, offer, step, data):
    return client.post(f"/konkursy/oferty/{offer.pk}/krok/{step}/", {"next": "continue", **data})


def test_an_ngo_fills_every_step_without_javascript_and_submits(client, opolskie, mailoutbox):
    competition = CompetitionFactory()
    organisation = verified_organisation(name="Stowarzyszenie Śpiewacze")
    person = member(organisation)
    client.force_login(person)
    get_page(client, f"/konkursy/{competition.slug}/oferta/", max_queries=12)
    response = client.post(f"/konkursy/{competition.slug}/oferta/", {"organisation": organisation.pk})
    offer = Offer.objects.get()
    assert response["Location"] == f"/konkursy/oferty/{offer.pk}/krok/oferent/"
    assert (
        _steps_post(
            client, offer, "oferent", {"contact_name": "Jan Kos", "contact_email": "jan@example.pl"}
        ).status_code
        == 302
    )
    assert (
        _steps_post(
            client,
            offer,
            "opis",
            {
                "title": "Chór seniorów",
                "date_from": competition.task_start.isoformat(),
                "date_to": competition.task_end.isoformat(),
                "summary": "Próby i koncerty.",
                "expected_results": "3 koncerty",
            },
        ).status_code
        == 302
    )
    rows = {
        "dzialania-TOTAL_FORMS": "2",
        "dzialania-INITIAL_FORMS": "0",
        "dzialania-0-name": "Próby",
        "dzialania-0-target_group": "seniorzy",
        "rezultaty-TOTAL_FORMS": "1",
        "rezultaty-INITIAL_FORMS": "0",
        "rezultaty-0-name": "Koncerty",
        "rezultaty-0-target_value": "3",
    }
    assert _steps_post(client, offer, "dzialania", rows).status_code == 302
    assert _steps_post(client, offer, "zasoby", {"resources": "Sala i dyrygent."}).status_code == 302
    page = get_page(client, f"/konkursy/oferty/{offer.pk}/krok/koszty/", max_queries=16).content.decode()
    assert "I.1 Próby" in page
    costs = {
        "koszty-TOTAL_FORMS": "2",
        "koszty-INITIAL_FORMS": "0",
        "koszty-0-kind": "action:1",
        "koszty-0-name": "Dyrygent",
        "koszty-0-unit": "godzina",
        "koszty-0-unit_cost": "150,00 zł",
        "koszty-0-units": "40",
        "koszty-1-kind": "administrative",
        "koszty-1-name": "Księgowość",
        "koszty-1-unit": "miesiąc",
        "koszty-1-unit_cost": "1 000",
        "koszty-1-units": "abc",
    }
    response = _steps_post(client, offer, "koszty", costs)
    assert response.status_code == 200 and "Podaj liczbę" in response.content.decode()
    costs["koszty-1-units"] = "1"
    assert _steps_post(client, offer, "koszty", costs).status_code == 302
    assert offer.cost_lines.count() == 2 and sum(line.total for line in offer.cost_lines.all()) == 7_000_00
    # A wrong sum: saved as a draft, with a message naming the rows.
    response = _steps_post(client, offer, "zrodla", {"grant_requested": "6 000,00", "own_financial": "500"})
    html = response.content.decode()
    assert response.status_code == 200 and "V.B" in html and "wiersz III" in html and "500,00" in html
    offer.refresh_from_db()
    assert offer.grant_requested == 6_000_00 and offer.own_financial == 500_00
    assert (
        _steps_post(client, offer, "zrodla", {"grant_requested": "6 000,00", "own_financial": "1 000"}).status_code
        == 302
    )
    assert _steps_post(client, offer, "inne", {"paid_activity": "free"}).status_code == 302
    response = _steps_post(
        client,
        offer,
        "oswiadczenia",
        {
            "declares_pbo_only": "on",
            "declares_fees_rules": "on",
            "tax_arrears": "none",
            "declares_register_data": "on",
            "declares_truth": "on",
            "declares_gdpr": "on",
            "signatories": "Jan Kos – prezes",
        },
    )
    assert response["Location"] == f"/konkursy/oferty/{offer.pk}/"
    html = get_page(client, f"/konkursy/oferty/{offer.pk}/", max_queries=17).content.decode()
    assert "Oferta jest kompletna" in html
    # The first click asks: what will happen and what cannot be undone; nothing is submitted yet.
    asked = client.post(f"/konkursy/oferty/{offer.pk}/zloz/").content.decode()
    assert "Złożenia nie można cofnąć" in asked and 'name="confirmed" value="1"' in asked
    assert f"do terminu ({local_second(offer.competition.offers_deadline)})" in asked  # to the second, as judged
    assert not OfferSubmission.objects.exists() and Offer.objects.get(pk=offer.pk).state == OfferState.DRAFT
    response = client.post(f"/konkursy/oferty/{offer.pk}/zloz/", CONFIRMED)
    assert response["Location"] == f"/konkursy/oferty/{offer.pk}/pokwitowanie/"
    client.post(f"/konkursy/oferty/{offer.pk}/zloz/", CONFIRMED)  # a double click
    submission = OfferSubmission.objects.get()
    # + 1 query since increment 2: the commission seat check (a member who has not signed sees no offer).
    html = get_page(client, response["Location"], max_queries=17).content.decode()
    assert submission.number in html and submission.sha256 in html
    # The PDF carries the checksum of the stored canonical content.
    pdf = client.get(f"/konkursy/oferty/{offer.pk}/oferta.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    printed = re.search(r"SHA-256[^0-9a-f]*((?:[0-9a-f]{16}\s*){4})", text).group(1)
    assert (
        re.sub(r"\s", "", printed)
        == hashlib.sha256(submission.content.encode("utf-8")).hexdigest()
        == submission.sha256
    )
    assert "Chór seniorów" in text
    assert any(submission.number in m.subject for m in mailoutbox)
    # Frozen: the steps redirect, a save is refused.
    assert client.get(f"/konkursy/oferty/{offer.pk}/krok/opis/").status_code == 302
    _steps_post(client, offer, "opis", {"title": "Zmiana po złożeniu"})
    assert Offer.objects.get().title == "Chór seniorów"
    # Withdrawal before the deadline.
    client.post(f"/konkursy/oferty/{offer.pk}/wycofaj/")
    assert Offer.objects.get().state == OfferState.WITHDRAWN


def test_late_submission_through_the_page_is_refused_with_a_clear_message(client, opolskie):
    competition = CompetitionFactory(offers_deadline=timezone.now() + timedelta(days=1))
    offer = complete_offer(competition)
    client.force_login(offer.creator)
    Competition.objects.filter(pk=competition.pk).update(offers_deadline=timezone.now() - timedelta(seconds=1))
    response = client.post(f"/konkursy/oferty/{offer.pk}/zloz/", CONFIRMED, follow=True)
    assert "za późno" in response.content.decode() and "wersja robocza została zachowana" in response.content.decode()
    assert Offer.objects.get().state == OfferState.DRAFT and not OfferSubmission.objects.exists()


def test_outsiders_cannot_see_edit_or_submit_an_offer(client, opolskie, gmina_brzeg):
    offer = complete_offer()
    url = f"/konkursy/oferty/{offer.pk}/"
    response = client.get(url)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    client.force_login(UserFactory())
    for path in ("", "krok/opis/", "partnerzy/", "pokwitowanie/", "oferta.pdf"):
        assert client.get(url + path).status_code == 403, path
    assert client.post(url + "zloz/").status_code == 403
    assert client.post(url + "krok/opis/", {"title": "X"}).status_code == 403
    # The authority does not see drafts.
    officer_client(client, offer.competition.authority)
    assert client.get(url).status_code == 403
    # An editor edits but does not submit.
    editor = member(offer.organisation, role="editor")
    client.force_login(editor)
    assert client.get(url + "krok/opis/").status_code == 200
    assert client.post(url + "zloz/").status_code == 403
    assert Offer.objects.get().state == OfferState.DRAFT


def test_joint_offer_partner_confirms_through_the_page(client, opolskie):
    offer = complete_offer(lead_cost_share=6_000_00)
    partner_org = verified_organisation(krs="0000999888", name="Fundacja Partnerska")
    partner_admin = member(partner_org)
    client.force_login(offer.creator)
    response = client.post(
        f"/konkursy/oferty/{offer.pk}/partnerzy/", {"krs": "999888", "scope": "Koncert", "cost_share": "4 000"}
    )
    assert response.status_code == 302
    response = client.post(f"/konkursy/oferty/{offer.pk}/zloz/", CONFIRMED, follow=True)
    assert "nie potwierdziła" in response.content.decode() or "nie potwierdził" in response.content.decode()
    partner = offer.partners.get()
    assert client.get(f"/konkursy/partnerstwa/{partner.pk}/").status_code == 403
    client.force_login(partner_admin)
    get_page(client, "/konkursy/moje-oferty/", max_queries=10)
    get_page(client, f"/konkursy/partnerstwa/{partner.pk}/", max_queries=16)
    client.post(f"/konkursy/partnerstwa/{partner.pk}/", {"decision": "confirm"})
    client.force_login(offer.creator)
    client.post(f"/konkursy/oferty/{offer.pk}/zloz/", CONFIRMED)
    assert Offer.objects.get().state == OfferState.SUBMITTED


def test_officer_sees_submitted_offers(client, opolskie):
    offer = complete_offer()
    from ngo_platform.competitions import services

    services.offer_submit(actor=offer.creator, offer=offer)
    officer_client(client, opolskie)
    html = get_page(client, f"/konkursy/{offer.competition.slug}/oferty/", max_queries=14).content.decode()
    assert "Festiwal pieśni ludowej" in html
    assert client.get(f"/konkursy/oferty/{offer.pk}/").status_code == 200


def test_the_organisation_profile_fragment_lists_offers_after_the_deadline(opolskie):
    from django.template import Context, Template

    from ngo_platform.competitions import services

    offer = complete_offer()
    services.offer_submit(actor=offer.creator, offer=offer)
    template = Template("{% load competitions %}{% organisation_competition_offers organisation %}")
    assert "Festiwal" not in template.render(Context({"organisation": offer.organisation}))  # still accepting offers
    Competition.objects.filter(pk=offer.competition_id).update(offers_deadline=timezone.now() - timedelta(days=1))
    assert "Festiwal pieśni ludowej" in template.render(Context({"organisation": offer.organisation}))


def test_the_stepper_lists_every_page_of_the_offer_and_the_count_matches_the_list(client):
    offer = complete_offer(CompetitionFactory())
    client.force_login(offer.creator)
    page = get_page(client, f"/konkursy/oferty/{offer.pk}/krok/zasoby/", max_queries=16).content.decode()
    stepper = re.search(r'<nav aria-label="Części oferty" class="offer-steps">(.*?)</nav>', page, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", stepper, re.S)
    labels = [re.sub(r"<[^>]+>", "", item).strip() for item in items]
    assert labels[-3:] == ["Załączniki", "Partnerzy (oferta wspólna)", "Podsumowanie i złożenie"]
    current = [n for n, item in enumerate(items, start=1) if 'aria-current="step"' in item]
    assert current == [labels.index("IV. Zasoby") + 1]
    assert f"(krok {current[0]} z {len(items)})" in page
    # The pages after the form mark themselves as the current step too.
    page = get_page(client, f"/konkursy/oferty/{offer.pk}/zalaczniki/", max_queries=16).content.decode()
    assert re.search(r'aria-current="step"><strong>Załączniki</strong>', page)
