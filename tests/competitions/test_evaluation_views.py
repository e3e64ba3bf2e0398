"""Increment 2, pages: the formal check with a call to complete, the commission, the declaration, score
cards, the ranking (queries not growing with offers or members), the decision, the published results
with CSV/XLSX, the applicant's own score cards; every refusal."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from ngo_platform.competitions import services
from ngo_platform.competitions.models import Competition, CompetitionState, CompletionCall, Offer, OfferState, Score
from ngo_platform.core.models import AuditEntry
from tests.accounts.factories import UserFactory
from tests.competitions.evaluation import in_evaluation, in_formal_check, score_all
from tests.competitions.factories import member, verified_organisation
from tests.dates import typeable
from tests.helpers import get_page, third_party_urls

pytestmark = pytest.mark.django_db


def as_officer(client, clerk):
    from allauth.mfa.totp.internal.auth import TOTP

    if not clerk.authenticator_set.exists():
        TOTP.activate(clerk, "JBSWY3DPEHPK3PXP")
    client.force_login(clerk)


def test_officer_runs_the_formal_check_with_a_call_to_complete_and_the_ngo_completes(client, opolskie, mailoutbox):
    competition, clerk, offers = in_formal_check(2)
    as_officer(client, clerk)
    html = get_page(client, f"/konkursy/{competition.slug}/ocena-formalna/", max_queries=14).content.decode()
    assert "Oferta złożona w terminie" in html and "Zadanie 0" in html and third_party_urls(html) == []
    offer = offers[0]
    url = f"/konkursy/oferty/{offer.pk}/ocena-formalna/"
    html = get_page(client, url, max_queries=23).content.decode()
    items = list(competition.formal_items.all())
    marks = {"action": "marks", **{f"m-met_{i.pk}": "yes" for i in items}}
    marks[f"m-met_{items[4].pk}"] = "no"
    marks[f"m-note_{items[4].pk}"] = "Brak podpisu skarbnika"
    assert client.post(url, marks).status_code == 302
    # Declaring it correct with a requirement not met: refused next to the form, in Polish.
    html = client.post(url, {"action": "decide", "d-result": "correct"}).content.decode()
    assert "Nie każde wymaganie" in html
    html = client.post(url, {"action": "decide", "d-result": "rejected"}).content.decode()
    assert "Podaj powód odrzucenia" in html
    deadline = typeable(timezone.now() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%S")
    html = client.post(url, {"action": "call", "c-message": "Uzupełnij.", "c-deadline": deadline}).content.decode()
    assert "Wybierz co najmniej jedną część oferty" in html and not CompletionCall.objects.exists()
    response = client.post(
        url,
        {
            "action": "call",
            "c-message": "Uzupełnij podpis skarbnika.",
            "c-sections": ["oswiadczenia"],
            "c-deadline": deadline,
        },
    )
    assert response.status_code == 302
    assert Offer.objects.get(pk=offer.pk).state == OfferState.TO_COMPLETE
    assert (
        "uzupełnienia" in mailoutbox[-1].subject and f"/konkursy/oferty/{offer.pk}/uzupelnienie/" in mailoutbox[-1].body
    )

    # The NGO corrects the part asked for through the offer's own step; other steps stay closed.
    admin = offer.organisation.memberships.get(role="admin").user
    client.force_login(admin)
    html = get_page(client, offer.get_absolute_url(), max_queries=22).content.decode()
    assert "Uzupełnij podpis skarbnika." in html and "Uzupełnij ofertę" in html
    complete_url = f"/konkursy/oferty/{offer.pk}/uzupelnienie/"
    html = get_page(client, complete_url, max_queries=18).content.decode()
    assert f"/konkursy/oferty/{offer.pk}/krok/oswiadczenia/" in html and "/krok/opis/" not in html
    assert client.get(f"/konkursy/oferty/{offer.pk}/krok/opis/").status_code == 302
    step_url = f"/konkursy/oferty/{offer.pk}/krok/oswiadczenia/"
    html = get_page(client, step_url, max_queries=20).content.decode()
    assert "Odpowiadasz na wezwanie do uzupełnienia" in html
    nav = html.split('class="offer-steps"')[1].split("</nav>")[0]  # the stepper lists only the parts opened
    assert "/krok/oswiadczenia/" in nav and "/krok/opis/" not in nav and "/partnerzy/" not in nav
    data = {
        "declares_pbo_only": "on",
        "declares_fees_rules": "on",
        "tax_arrears": "none",
        "declares_register_data": "on",
        "declares_truth": "on",
        "declares_gdpr": "on",
        "signatories": "Anna Nowak – prezeska\nJan Kos – skarbnik",
        "next": "continue",
    }
    assert client.post(step_url, data)["Location"] == complete_url
    html = get_page(client, complete_url, max_queries=18).content.decode()
    assert "Jan Kos – skarbnik" in html and "VII.signatories" in html  # what has changed so far
    # Another NGO cannot open the call; an editor corrects but cannot send on the organisation's behalf.
    client.force_login(member(verified_organisation()))
    assert client.get(complete_url).status_code == 403
    client.force_login(member(offer.organisation, role="editor"))
    html = get_page(client, complete_url, max_queries=18).content.decode()
    assert "Administrator organizacji wysyła uzupełnienie" in html
    assert client.post(complete_url, {"n-reason": "x"}).status_code == 403
    client.force_login(admin)
    assert client.post(complete_url, {"n-reason": "Dodano skarbnika."}).status_code == 302
    call = CompletionCall.objects.get(offer=offer)
    assert call.answered_by == admin and call.answer_note == "Dodano skarbnika." and call.sha256
    assert client.get(step_url).status_code == 302  # closed: the offer is frozen again
    html = get_page(client, complete_url, max_queries=18).content.decode()
    assert call.sha256 in html and "Dodano skarbnika." in html

    as_officer(client, clerk)
    html = get_page(client, url, max_queries=23).content.decode()
    assert "Jan Kos – skarbnik" in html  # the history: before and after
    marks[f"m-met_{items[4].pk}"] = "yes"
    client.post(url, marks)
    assert client.post(url, {"action": "decide", "d-result": "correct"}).status_code == 302
    assert Offer.objects.get(pk=offer.pk).state == OfferState.FORMALLY_CORRECT
    client.post(
        f"/konkursy/oferty/{offers[1].pk}/ocena-formalna/",
        {"action": "decide", "d-result": "rejected", "d-reason": "Podmiot nieuprawniony."},
    )
    assert Offer.objects.get(pk=offers[1].pk).state == OfferState.FORMALLY_REJECTED


def test_pages_of_the_formal_check_and_the_commission_refuse_others(client, opolskie):
    competition, clerk, offers = in_formal_check(1)
    client.force_login(UserFactory())
    for url in (
        f"/konkursy/{competition.slug}/ocena-formalna/",
        f"/konkursy/oferty/{offers[0].pk}/ocena-formalna/",
        f"/konkursy/{competition.slug}/komisja/",
        f"/konkursy/{competition.slug}/ocena/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/konkursy/{competition.slug}/ranking/").status_code == 403
    applicant = offers[0].organisation.memberships.get(role="admin").user
    client.force_login(applicant)
    assert client.get(f"/konkursy/oferty/{offers[0].pk}/ocena-formalna/").status_code == 403
    assert client.get(f"/konkursy/oferty/{offers[0].pk}/oceny/").status_code == 403  # no results yet


def test_the_officer_appoints_the_commission_and_art_15_2d_is_shown_next_to_the_field(client, opolskie, mailoutbox):
    competition, clerk, offers = in_formal_check(1)
    as_officer(client, clerk)
    url = f"/konkursy/{competition.slug}/komisja/"
    get_page(client, url, max_queries=14)
    UserFactory(email="nominee@example.pl")
    applicant = offers[0].organisation
    applicant.krs = "0000123123"
    applicant.save()
    html = client.post(
        url, {"action": "appoint", "email": "nominee@example.pl", "role": "ngo", "nominated_by": "0000123123"}
    ).content.decode()
    assert "art. 15 ust. 2d" in html and "złożyła ofertę" in html and not competition.commission.exists()
    html = client.post(url, {"action": "appoint", "email": "nikt@example.pl", "role": "official"}).content.decode()
    assert "Nie ma aktywnego konta" in html
    neutral = verified_organisation(name="Fundacja Neutralna")
    assert (
        client.post(
            url, {"action": "appoint", "email": "nominee@example.pl", "role": "ngo", "nominated_by": neutral.slug}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url,
            {
                "action": "appoint",
                "email": UserFactory(email="urzednik@example.pl").email,
                "role": "official",
                "chair": "on",
            },
        ).status_code
        == 302
    )
    html = get_page(client, url, max_queries=14).content.decode()
    assert "Fundacja Neutralna" in html and "przewodniczący" in html.lower() or "przewodnicząc" in html
    assert mailoutbox[-1].to == ["urzednik@example.pl"]
    assert AuditEntry.objects.filter(action="competitions.commission_appoint", actor=clerk).count() == 2


def test_a_member_signs_before_seeing_offers_scores_on_each_criterion_and_may_step_aside(client, opolskie):
    competition, clerk, offers, people = in_evaluation(2, members=1)
    newcomer = UserFactory()
    services.commission_appoint(actor=clerk, competition=competition, user=newcomer, role="official")
    offer = offers[0]
    client.force_login(newcomer)
    work = f"/konkursy/{competition.slug}/ocena/"
    html = get_page(client, work, max_queries=14).content.decode()
    assert "Oświadczenie o bezstronności" in html and "art. 24" in html and "Zadanie 0" not in html
    # Not signed: no offer, no score card, no PDF.
    for url in (
        offer.get_absolute_url(),
        f"/konkursy/oferty/{offer.pk}/karta-oceny/",
        f"/konkursy/oferty/{offer.pk}/oferta.pdf",
    ):
        assert client.get(url).status_code == 403, url
    html = client.post(work, {"digest": "podmieniony"}).content.decode()
    assert "Zaznacz pole" in html
    html = client.post(work, {"digest": "podmieniony", "agree": "on"}).content.decode()
    assert "Lista oferentów zmieniła się" in html
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', html).group(1)
    assert client.post(work, {"digest": digest, "agree": "on"}).status_code == 302
    html = get_page(client, work, max_queries=14).content.decode()
    assert "Zadanie 0" in html and "do oceny" in html
    card = f"/konkursy/oferty/{offer.pk}/karta-oceny/"
    html = get_page(client, card, max_queries=20).content.decode()
    assert 'inputmode="numeric"' in html and third_party_urls(html) == []
    first, second = competition.criteria.all()
    html = client.post(
        card,
        {
            "action": "score",
            f"s-points_{first.pk}": "11",
            f"s-comment_{first.pk}": "Dobrze",
            f"s-points_{second.pk}": "5",
            f"s-comment_{second.pk}": "",
        },
    ).content.decode()
    assert (
        "Podaj od 0 do 10 punktów" in html
        and "Uzasadnij punkty" in html
        and not Score.objects.filter(member__user=newcomer).exists()
    )
    assert (
        client.post(
            card,
            {
                "action": "score",
                f"s-points_{first.pk}": "9",
                f"s-comment_{first.pk}": "Dobrze",
                f"s-points_{second.pk}": "5",
                f"s-comment_{second.pk}": "Średnio",
            },
        ).status_code
        == 302
    )
    assert Score.objects.filter(member__user=newcomer).count() == 2
    # Stepping aside from the second offer: it disappears from view, its card is refused.
    other = f"/konkursy/oferty/{offers[1].pk}/karta-oceny/"
    assert client.post(other, {"action": "recuse", "r-reason": "Jestem członkiem zarządu oferenta."}).status_code == 302
    assert client.get(other).status_code == 403 and client.get(offers[1].get_absolute_url()).status_code == 403
    html = get_page(client, work, max_queries=14).content.decode()
    assert "wyłączyłeś" in html or "wyłączyłaś" in html or "wyłączono" in html.lower() or "Wyłączył" in html


def _scored_competition(n_offers, n_members, **kwargs):
    competition, clerk, offers, people = in_evaluation(n_offers, members=n_members, **kwargs)
    for i, offer in enumerate(offers):
        for person in people:
            score_all(person, offer, (i * 3) % 10)
    return competition, clerk, offers, people


def test_the_ranking_page_has_the_same_number_of_queries_for_more_offers_and_members(client, opolskie):
    small, clerk_small, *_ = _scored_competition(2, 2)
    big, clerk_big, *_ = _scored_competition(7, 4)
    counts = []
    for competition, clerk in ((small, clerk_small), (big, clerk_big)):
        as_officer(client, clerk)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            get_page(client, f"/konkursy/{competition.slug}/ranking/", max_queries=20)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_amounts_decision_publication_exports_and_own_score_cards(client, opolskie):
    competition, clerk, offers, people = in_evaluation(3, members=2, total_funds=12_000_00)
    a, b, c = offers
    for person in people:
        score_all(person, a, 9)
        score_all(person, b, 9)
        score_all(person, c, [5, 4])
    as_officer(client, clerk)
    url = f"/konkursy/{competition.slug}/ranking/"
    html = get_page(client, url, max_queries=20).content.decode()
    assert html.count("ex aequo") >= 2 and "18.00" in html or "18,00" in html
    # Above the request (next to the field), then above the funds: nothing is saved.
    html = client.post(
        url, {"action": "amounts", f"a-amount_{a.pk}": "8 000,01", f"a-amount_{b.pk}": "", f"a-amount_{c.pk}": ""}
    ).content.decode()
    assert "Najwyżej wnioskowana kwota" in html
    html = client.post(
        url, {"action": "amounts", f"a-amount_{a.pk}": "8 000", f"a-amount_{b.pk}": "4 000,01", f"a-amount_{c.pk}": ""}
    ).content.decode()
    assert "więcej niż środki konkursu" in html and not Offer.objects.filter(proposed_amount__isnull=False).exists()
    assert (
        client.post(
            url, {"action": "amounts", f"a-amount_{a.pk}": "8 000", f"a-amount_{b.pk}": "4 000", f"a-amount_{c.pk}": ""}
        ).status_code
        == 302
    )
    # The decision asks first: what is funded, in all, and that it cannot be changed; nothing is decided yet.
    decide = {"action": "decide", "d-reference": "Uchwała nr 77/2026 Zarządu Województwa Opolskiego"}
    html = client.post(url, decide).content.decode()
    assert "2 oferty otrzymują dotację, łącznie 12\u00a0000,00\u00a0zł" in html and "nie można zmienić" in html
    assert 'name="d-reference" value="Uchwała nr 77/2026 Zarządu Województwa Opolskiego"' in html
    assert Competition.objects.get(pk=competition.pk).state == CompetitionState.EVALUATION
    assert client.post(url, {**decide, "confirmed": "1"}).status_code == 302
    assert (
        Offer.objects.get(pk=a.pk).granted_amount == 8_000_00
        and Offer.objects.get(pk=c.pk).state == OfferState.NOT_FUNDED
    )
    # Decided but not published: the public sees no results and the applicant no cards.
    client.logout()
    assert "Wyniki konkursu" not in client.get(competition.get_absolute_url()).content.decode()
    assert client.get(f"/konkursy/{competition.slug}/wyniki.csv").status_code == 404
    as_officer(client, clerk)
    html = client.post(url, {"action": "publish"}).content.decode()
    assert "Opublikowanych wyników nie można wycofać." in html
    assert Competition.objects.get(pk=competition.pk).state == CompetitionState.DECIDED
    response = client.post(url, {"action": "publish", "confirmed": "1"})
    assert response.status_code == 302
    client.logout()
    html = get_page(client, competition.get_absolute_url(), max_queries=12).content.decode()
    assert (
        "Wyniki konkursu" in html
        and "Uchwała nr 77/2026" in html
        and "8\u00a0000,00\u00a0zł" in html
        and "ex aequo" in html
    )
    rows = list(
        csv.reader(
            io.StringIO(
                get_page(client, f"/konkursy/{competition.slug}/wyniki.csv", max_queries=8).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0][:6] == ["miejsce", "ex_aequo", "oferent", "partnerzy", "tytul_zadania", "srednia_punktow"]
    assert (
        [r[0] for r in rows[1:]] == ["1", "1", "3"]
        and rows[1][1] == "tak"
        and rows[3][5] == "9.00"
        and rows[3][7] == "0.00"
    )
    # The machine CSV has dot decimals; `?wariant=excel` is the one with decimal commas (test_results_exports).
    assert {r[4]: r[7] for r in rows[1:]} == {"Zadanie 0": "8000.00", "Zadanie 1": "4000.00", "Zadanie 2": "0.00"}
    book = load_workbook(
        io.BytesIO(get_page(client, f"/konkursy/{competition.slug}/wyniki.xlsx", max_queries=8).content)
    )
    sheet = list(book["wyniki"].iter_rows(values_only=True))
    assert sheet[0][0] == "miejsce" and len(sheet) == 4
    assert {row[4]: (Decimal(str(row[5])), Decimal(str(row[7]))) for row in sheet[1:]}["Zadanie 0"] == (
        Decimal("18"),
        Decimal("8000"),
    )
    # The applicant reads its own cards, not another's.
    admin = Offer.objects.get(pk=a.pk).organisation.memberships.get(role="admin").user
    client.force_login(admin)
    html = get_page(client, f"/konkursy/oferty/{a.pk}/oceny/", max_queries=21).content.decode()
    assert "Członek 1" in html and "Uzasadnienie 9 pkt" in html and people[0].full_name not in html
    assert client.get(f"/konkursy/oferty/{b.pk}/oceny/").status_code == 403
    # The profile lists the offer and its grant.
    html = client.get(Offer.objects.get(pk=a.pk).organisation.get_absolute_url()).content.decode()
    assert "Zadanie 0" in html and "8\u00a0000,00\u00a0zł" in html
    assert Offer.objects.get(pk=a.pk).competition.state == CompetitionState.RESULTS
    for action in ("competitions.amounts_propose", "competitions.decide", "competitions.results_publish"):
        assert AuditEntry.objects.filter(action=action, actor=clerk).exists(), action


# --- The ranking's amounts form: rendered without a bound field per offer (issue 11, point 6) ---


class _Tags(HTMLParser):
    """Every start tag with an id: {id: (tag, attributes)}; the text of each `<td>` by the ids inside it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.by_id, self.cells, self._cell = {}, [], None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "td":
            self._cell = {"class": attributes.get("class"), "ids": [], "text": ""}
            self.cells.append(self._cell)
        if "id" in attributes:
            assert attributes["id"] not in self.by_id, f"id {attributes['id']} twice"
            self.by_id[attributes["id"]] = (tag, attributes)
            if self._cell is not None:
                self._cell["ids"].append(attributes["id"])

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data


def _tags(html):
    parser = _Tags()
    parser.feed(html)
    return parser


def _amounts(offers, **values):
    """The amounts form as the browser sends it: every input, `values` by offer letter (a, b, c)."""
    data = {"action": "amounts"}
    for letter, offer in zip("abc", offers):
        data[f"a-amount_{offer.pk}"] = values.get(letter, "")
    return data


def _cell_of(parser, offer):
    return next(c for c in parser.cells if f"id_a-amount_{offer.pk}" in c["ids"])


def test_a_failed_save_keeps_every_value_as_typed_and_shows_each_error_next_to_its_input(client, opolskie):
    competition, clerk, offers, people = _scored_competition(3, 2, total_funds=12_000_00)
    a, b, c = offers
    as_officer(client, clerk)
    url = f"/konkursy/{competition.slug}/ranking/"
    response = client.post(url, _amounts(offers, a="12,34,56 zł", b=" 4 000,5 ", c=""))
    assert response.status_code == 200 and not Offer.objects.filter(proposed_amount__isnull=False).exists()
    html = response.content.decode()
    tags = _tags(html)
    tag, field = tags.by_id[f"id_a-amount_{a.pk}"]
    assert tag == "input" and field["name"] == f"a-amount_{a.pk}" and field["value"] == "12,34,56 zł"
    assert field["aria-invalid"] == "true" and field["aria-describedby"] == f"id_a-amount_{a.pk}_error"
    assert field["maxlength"] == "20" and field["inputmode"] == "decimal"
    cell = _cell_of(tags, a)
    assert cell["class"] == "field-error" and cell["ids"].index(f"id_a-amount_{a.pk}_error") < cell["ids"].index(
        f"id_a-amount_{a.pk}"
    )
    assert "Wpisz kwotę w złotych" in cell["text"] and "Proponowana dotacja dla „Zadanie 0” (zł)" in cell["text"]
    # The other inputs: as typed, not marked, no message beside them.
    _, other = tags.by_id[f"id_a-amount_{b.pk}"]
    assert other["value"] == " 4 000,5 " and "aria-invalid" not in other and "aria-describedby" not in other
    assert "value" not in tags.by_id[f"id_a-amount_{c.pk}"][1] and _cell_of(tags, b)["class"] is None
    assert f"id_a-amount_{b.pk}_error" not in tags.by_id
    # The summary links to the input with the error, by the offer's title.
    assert f'<a href="#id_a-amount_{a.pk}">Zadanie 0: Wpisz kwotę w złotych, np. 1 234,50.</a>' in html
    assert html.count('class="error-message"') == 1


def test_amounts_refused_by_the_service_show_next_to_their_input_and_nothing_is_saved(client, opolskie):
    competition, clerk, offers, people = _scored_competition(3, 2, total_funds=12_000_00)
    a, b, c = offers
    as_officer(client, clerk)
    url = f"/konkursy/{competition.slug}/ranking/"
    html = client.post(url, _amounts(offers, a="8 000", b="8000,01", c="1")).content.decode()
    tags = _tags(html)
    assert tags.by_id[f"id_a-amount_{b.pk}"][1]["aria-invalid"] == "true"
    assert "Najwyżej wnioskowana kwota" in _cell_of(tags, b)["text"]
    assert "aria-invalid" not in tags.by_id[f"id_a-amount_{a.pk}"][1]
    assert [tags.by_id[f"id_a-amount_{o.pk}"][1]["value"] for o in offers] == ["8 000", "8000,01", "1"]
    # Above the funds: the message in the summary, no input marked, the values as typed.
    html = client.post(url, _amounts(offers, a="8 000", b="4 000,01")).content.decode()
    tags = _tags(html)
    assert "więcej niż środki konkursu" in html and 'class="error-message"' not in html
    assert [tags.by_id[f"id_a-amount_{o.pk}"][1].get("value") for o in offers] == ["8 000", "4 000,01", None]
    assert not Offer.objects.filter(proposed_amount__isnull=False).exists()


def test_an_amount_longer_than_the_input_allows_is_refused_next_to_it_in_polish(client, opolskie):
    competition, clerk, offers, people = _scored_competition(3, 2)
    as_officer(client, clerk)
    url = f"/konkursy/{competition.slug}/ranking/"
    html = client.post(url, _amounts(offers, a="1" * 21)).content.decode()
    cell = _cell_of(_tags(html), offers[0])
    assert cell["class"] == "field-error" and "co najwyżej 20 znaków" in cell["text"]
    assert not Offer.objects.filter(proposed_amount__isnull=False).exists()


def test_an_offer_without_its_input_in_the_post_keeps_its_amount(client, opolskie):
    """E.g. an offer that joined the ranking after the page was loaded: its amount is not erased."""
    competition, clerk, offers, people = _scored_competition(3, 2)
    a, b, c = offers
    Offer.objects.filter(pk=c.pk).update(proposed_amount=3_000_00)
    as_officer(client, clerk)
    data = _amounts(offers, a="5 000")
    del data[f"a-amount_{c.pk}"]
    assert client.post(f"/konkursy/{competition.slug}/ranking/", data).status_code == 302
    assert {o.pk: o.proposed_amount for o in Offer.objects.filter(competition=competition)} == {
        a.pk: 5_000_00,
        b.pk: None,
        c.pk: 3_000_00,
    }


def test_the_ranking_rows_escape_the_names_and_tie_the_warning_to_the_input(client, opolskie):
    competition, clerk, offers, people = _scored_competition(3, 2)
    a, b, c = offers
    competition.__class__.objects.filter(pk=competition.pk).update(own_contribution_min_bp=2500)  # after submission
    Offer.objects.filter(pk=a.pk).update(title='<b>Zadanie</b> "A" & B', proposed_amount=8_000_00)
    a.organisation.__class__.objects.filter(pk=a.organisation_id).update(name="<script>alert(1)</script> Fundacja")
    as_officer(client, clerk)
    url = f"/konkursy/{competition.slug}/ranking/"
    html = get_page(client, url, max_queries=20).content.decode()
    assert "<script>alert" not in html and "<b>Zadanie" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Fundacja" in html
    assert f'<a href="/konkursy/oferty/{a.pk}/oceny/">&lt;b&gt;Zadanie&lt;/b&gt; &quot;A&quot; &amp; B</a>' in html
    tags = _tags(html)
    _, field = tags.by_id[f"id_a-amount_{a.pk}"]
    assert field["value"] == "8000,00" and field["aria-describedby"] == f"id_a-amount_{a.pk}_hint"
    assert tags.by_id[f"id_a-amount_{a.pk}_hint"][0] == "span" and "mniej niż wymagane 25%" in _cell_of(tags, a)["text"]
    assert f'<label class="visually-hidden" for="id_a-amount_{a.pk}">Proponowana dotacja dla' in html
    assert 'Proponowana dotacja dla „<b>Zadanie</b> "A" & B” (zł)' in _cell_of(tags, a)["text"]
    # A failed save of a typed value with markup: escaped in the input and the summary.
    html = client.post(url, _amounts(offers, a='"><script>x</script>')).content.decode()
    assert "<script>x" not in html and 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html
    assert "&lt;b&gt;Zadanie&lt;/b&gt; &quot;A&quot; &amp; B: " in html


def test_the_ranking_table_scrolls_in_a_named_region_with_a_hint_and_shows_amounts_once_decided(client, opolskie):
    competition, clerk, offers, people = _scored_competition(3, 2)
    a, b, c = offers
    as_officer(client, clerk)
    url = f"/konkursy/{competition.slug}/ranking/"
    html = get_page(client, url, max_queries=20).content.decode()
    region = re.search(r'<p class="hint scroll-hint">[^<]+</p>\s*<div class="table-wrap"([^>]*)>', html)
    assert region and 'role="region"' in region[1] and 'tabindex="0"' in region[1]
    assert 'aria-labelledby="ranking-caption"' in region[1] and '<caption id="ranking-caption">3 oferty' in html
    assert html.count('<input type="text" name="a-amount_') == 3
    assert client.post(url, _amounts(offers, a="5 000")).status_code == 302
    assert client.post(url, {"action": "decide", "d-reference": "Uchwała nr 1", "confirmed": "1"}).status_code == 302
    html = get_page(client, url, max_queries=20).content.decode()
    assert 'name="a-amount_' not in html and "5\u00a0000,00\u00a0zł" in html
    assert "Zapisz proponowane kwoty" not in html and "Opublikuj wyniki" in html
    # A late POST of amounts changes nothing and shows no form errors.
    response = client.post(url, _amounts(offers, a="x"))
    assert response.status_code == 200 and 'class="error-message"' not in response.content.decode()
    assert Offer.objects.get(pk=a.pk).proposed_amount == 5_000_00


def test_the_decisions_confirmation_says_when_no_offer_would_be_funded(client, opolskie):
    competition, clerk, offers, people = _scored_competition(2, 1)
    as_officer(client, clerk)
    url = f"/konkursy/{competition.slug}/ranking/"
    html = client.post(url, {"action": "decide", "d-reference": "Uchwała nr 2"}).content.decode()
    assert "Żadna oferta nie otrzymuje dotacji: nie zaproponowano żadnej kwoty." in html
    assert "0 ofert" not in html
    assert Competition.objects.get(pk=competition.pk).state == CompetitionState.EVALUATION
