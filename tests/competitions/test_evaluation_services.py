"""Increment 2, services: the formal check with a call to complete, the commission (art. 15 ust. 2d,
declarations, recusal), scoring, the ranking with ties, amounts within the limits, the decision and the
publication; every refusal changes nothing and every decision is audited."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ngo_platform.competitions import selectors, services
from ngo_platform.competitions.canonical import sha256_hex as sha
from ngo_platform.competitions.models import CompetitionState, CompletionCall, Offer, OfferState, Score
from ngo_platform.core.models import AuditEntry
from tests.accounts.factories import UserFactory
from tests.competitions.evaluation import all_met, in_evaluation, in_formal_check, score_all, submitted_offers
from tests.competitions.factories import CompetitionFactory, complete_offer, member, officer, verified_organisation

# Services are tested with English messages (matched below); the pages in Polish.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
DAY = timedelta(days=1)


def test_the_formal_check_starts_only_after_the_deadline_with_the_default_checklist(opolskie):
    competition = CompetitionFactory()
    clerk = officer(opolskie)
    with pytest.raises(services.CompetitionError, match="after the deadline"):
        services.formal_check_start(actor=clerk, competition=competition)
    with pytest.raises(PermissionDenied):
        services.formal_check_start(actor=UserFactory(), competition=competition)
    submitted_offers(competition, 1)
    services.formal_check_start(actor=clerk, competition=competition)
    competition.refresh_from_db()
    assert competition.state == CompetitionState.FORMAL_CHECK and competition.formal_items.count() == 6
    services.formal_checklist_set(actor=clerk, competition=competition, items=["Termin", "Podpisy", ""])
    assert list(competition.formal_items.values_list("text", flat=True)) == ["Termin", "Podpisy"]
    assert AuditEntry.objects.filter(action="competitions.formal_check_start", actor=clerk).exists()


def test_a_call_to_complete_lets_the_ngo_correct_only_what_was_asked_and_keeps_the_history(opolskie):
    competition, clerk, offers = in_formal_check(2)
    offer = offers[0]
    items = list(competition.formal_items.all())
    services.formal_mark(
        actor=clerk, offer=offer, marks={items[0].pk: (True, ""), items[4].pk: (False, "Brak podpisu skarbnika")}
    )
    with pytest.raises(services.CompetitionError, match="in the future"):
        services.completion_call(
            actor=clerk, offer=offer, message="Uzupełnij", sections=["oswiadczenia"], deadline=timezone.now() - DAY
        )
    with pytest.raises(services.CompetitionError, match="at least one part"):
        services.completion_call(
            actor=clerk, offer=offer, message="Uzupełnij", sections=["partnerzy"], deadline=timezone.now() + 7 * DAY
        )
    with pytest.raises(PermissionDenied):
        services.completion_call(
            actor=UserFactory(), offer=offer, message="Uzupełnij", sections=["opis"], deadline=timezone.now() + DAY
        )
    assert not CompletionCall.objects.exists()
    call = services.completion_call(
        actor=clerk,
        offer=offer,
        message="Uzupełnij listę osób upoważnionych.",
        sections=["oswiadczenia"],
        deadline=timezone.now() + 7 * DAY,
    )
    offer.refresh_from_db()
    assert offer.state == OfferState.TO_COMPLETE and "VII" in mail.outbox[-1].body
    # The first call starts from the content submitted: its checksum is the receipt's.
    assert call.sha256_before == offer.submissions.get().sha256 == sha(call.content_before)
    # One call at a time.
    with pytest.raises(services.CompetitionError, match="may still answer the call"):
        services.completion_call(
            actor=clerk, offer=offer, message="Jeszcze raz", sections=["opis"], deadline=timezone.now() + 7 * DAY
        )
    # The officer cannot decide while the applicant still may answer.
    with pytest.raises(services.CompetitionError, match="may complete the offer until"):
        services.formal_decide(actor=clerk, offer=offer, correct=False, reason="x")
    admin = offer.organisation.memberships.get(role="admin").user
    editor = member(offer.organisation, role="editor")
    # A part the call does not open is refused, and nothing is saved; another organisation cannot edit at all.
    with pytest.raises(services.CompetitionError, match="opens only these parts"):
        services.offer_save_step(actor=admin, offer=offer, step="opis", data={"title": "Nowy tytuł"})
    with pytest.raises(PermissionDenied):
        services.offer_save_step(
            actor=member(verified_organisation()), offer=offer, step="oswiadczenia", data={"signatories": "X"}
        )
    assert Offer.objects.get(pk=offer.pk).title == "Zadanie 0"
    # An editor corrects the part opened; only an admin sends the completion.
    services.offer_save_step(
        actor=editor,
        offer=offer,
        step="oswiadczenia",
        data={"signatories": "Anna Nowak – prezeska\nJan Kos – skarbnik"},
    )
    with pytest.raises(PermissionDenied):
        services.completion_answer(actor=editor, offer=offer)
    with pytest.raises(services.CompetitionError, match="no open call"):  # a page of another (older) call
        services.completion_answer(actor=admin, offer=offer, call_id=call.pk + 1000)
    call = services.completion_answer(actor=admin, offer=offer, call_id=call.pk, note="Dodaliśmy skarbnika.")
    call.refresh_from_db()
    assert (
        call.answered_by == admin and call.closed_at == call.answered_at and call.answer_note == "Dodaliśmy skarbnika."
    )
    assert list(call.changes) == ["VII VII.signatories"]
    assert call.changes["VII VII.signatories"] == ["Anna Nowak – prezeska", "Anna Nowak – prezeska\nJan Kos – skarbnik"]
    assert call.sha256 == sha(call.content) and json_of(call.content)["VII"]["signatories"][1] == "Jan Kos – skarbnik"
    assert offer.submissions.get().content != call.content  # the submission stays as it was submitted
    assert clerk.email in mail.outbox[-1].to and call.sha256 in mail.outbox[-1].body
    with pytest.raises(services.CompetitionError, match="no open call"):
        services.completion_answer(actor=admin, offer=offer)
    with pytest.raises(services.CompetitionError, match="frozen"):
        services.offer_save_step(actor=admin, offer=offer, step="oswiadczenia", data={"signatories": "Y"})
    # A second call, once the first has closed: it starts from the completed content.
    second = services.completion_call(
        actor=clerk, offer=offer, message="Popraw datę zakończenia.", sections=["opis"], deadline=timezone.now() + DAY
    )
    assert second.sha256_before == call.sha256 and CompletionCall.objects.filter(offer=offer).count() == 2
    services.offer_save_step(actor=admin, offer=offer, step="opis", data={"title": "Zadanie 0 – poprawione"})
    services.completion_answer(actor=admin, offer=offer)
    second.refresh_from_db()
    assert list(second.changes) == ["III.1 III.title"]
    # Not every requirement met: cannot be declared correct; the reason is required to reject.
    with pytest.raises(services.CompetitionError, match="Not every requirement"):
        services.formal_decide(actor=clerk, offer=offer, correct=True)
    services.formal_mark(actor=clerk, offer=offer, marks={item.pk: (True, "") for item in items})
    services.formal_decide(actor=clerk, offer=offer, correct=True)
    assert Offer.objects.get(pk=offer.pk).state == OfferState.FORMALLY_CORRECT
    with pytest.raises(services.CompetitionError, match="Give the reason"):
        services.formal_decide(actor=clerk, offer=offers[1], correct=False, reason=" ")
    services.formal_decide(actor=clerk, offer=offers[1], correct=False, reason="Oferta złożona po terminie.")
    assert Offer.objects.get(pk=offers[1].pk).formal_reason.startswith("Oferta złożona")
    actions = set(AuditEntry.objects.filter(details__competition=competition.pk).values_list("action", flat=True))
    assert {
        "competitions.formal_mark",
        "competitions.completion_call",
        "competitions.completion_answer",
        "competitions.formal_decide",
    } <= actions


def json_of(content):
    import json

    return json.loads(content)


def test_after_the_deadline_nothing_can_be_saved_and_the_call_closes_with_what_was_saved_before_it(opolskie):
    competition, clerk, offers = in_formal_check(1)
    offer = offers[0]
    services.completion_call(
        actor=clerk, offer=offer, message="Podpisy", sections=["oswiadczenia"], deadline=timezone.now() + DAY
    )
    admin = offer.organisation.memberships.get(role="admin").user
    services.offer_save_step(
        actor=admin, offer=offer, step="oswiadczenia", data={"signatories": "Anna Nowak – prezeska\nJan Kos"}
    )
    CompletionCall.objects.filter(offer=offer).update(deadline=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.CompetitionError, match="time to complete has passed"):
        services.offer_save_step(actor=admin, offer=offer, step="oswiadczenia", data={"signatories": "Ktoś"})
    with pytest.raises(services.CompetitionError, match="time to complete has passed"):
        services.completion_answer(actor=admin, offer=offer)
    assert Offer.objects.get(pk=offer.pk).signatories.endswith("Jan Kos")
    # Deciding closes the call at its deadline with the content saved before it (not sent by the applicant).
    services.formal_decide(actor=clerk, offer=offer, correct=False, reason="Nie uzupełniono w terminie.")
    call = CompletionCall.objects.get(offer=offer)
    assert (
        call.closed_at == call.deadline and call.answered_at is None and list(call.changes) == ["VII VII.signatories"]
    )
    assert call.sha256 == sha(call.content)
    assert Offer.objects.get(pk=offer.pk).state == OfferState.FORMALLY_REJECTED
    assert AuditEntry.objects.filter(action="competitions.completion_expired", actor=None).count() == 1


def test_a_new_call_after_an_unanswered_one_closes_the_earlier_at_its_deadline(opolskie):
    competition, clerk, offers = in_formal_check(1)
    offer = offers[0]
    first = services.completion_call(
        actor=clerk, offer=offer, message="Podpisy", sections=["oswiadczenia"], deadline=timezone.now() + DAY
    )
    CompletionCall.objects.filter(pk=first.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    second = services.completion_call(
        actor=clerk, offer=offer, message="Ostatnia szansa", sections=["oswiadczenia"], deadline=timezone.now() + DAY
    )
    first.refresh_from_db()
    assert first.closed_at == first.deadline and first.changes == {} and second.sha256_before == first.sha256
    assert Offer.objects.get(pk=offer.pk).state == OfferState.TO_COMPLETE


def test_a_person_nominated_by_an_applicant_cannot_sit(opolskie):
    competition, clerk, offers = in_formal_check(1)
    applicant = offers[0].organisation
    other = verified_organisation(name="Fundacja Bezstronna")
    with pytest.raises(services.CompetitionError, match="art. 15 ust. 2d") as error:
        services.commission_appoint(
            actor=clerk, competition=competition, user=UserFactory(), role="ngo", nominated_by=applicant
        )
    assert error.value.field == "nominated_by" and not competition.commission.exists()
    with pytest.raises(services.CompetitionError, match="Name the organisation"):
        services.commission_appoint(actor=clerk, competition=competition, user=UserFactory(), role="ngo")
    with pytest.raises(PermissionDenied):
        services.commission_appoint(actor=UserFactory(), competition=competition, user=UserFactory(), role="official")
    services.commission_appoint(
        actor=clerk, competition=competition, user=UserFactory(), role="ngo", nominated_by=other
    )
    # Appointed before the deadline, an organisation that later submitted makes its nominee unable to sit.
    early = CompetitionFactory()
    clerk2 = officer(early.authority)
    late_applicant = verified_organisation(name="Stowarzyszenie Spóźnione")
    services.commission_appoint(
        actor=clerk2, competition=early, user=UserFactory(full_name="Nominat"), role="ngo", nominated_by=late_applicant
    )
    offer = complete_offer(early, late_applicant)
    services.offer_submit(actor=offer.creator, offer=offer)
    early.offers_deadline = timezone.now() - DAY
    early.save()
    services.formal_check_start(actor=clerk2, competition=early)
    all_met(clerk2, offer)
    services.formal_decide(actor=clerk2, offer=offer, correct=True)
    with pytest.raises(services.CompetitionError, match="Nominat"):
        services.evaluation_start(actor=clerk2, competition=early)


def test_members_see_offers_only_after_signing_and_never_one_they_recused_from(opolskie):
    competition, clerk, offers, people = in_evaluation(2, members=2)
    late = UserFactory()
    services.commission_appoint(actor=clerk, competition=competition, user=late, role="official")
    offer = Offer.objects.select_related("competition").get(pk=offers[0].pk)
    assert not late.has_perm("competitions.view_offer", offer)
    assert not late.has_perm("competitions.evaluate_offer", offer)
    with pytest.raises(PermissionDenied):
        score_all(late, offer, 5)
    # An officer of the authority who sits on the commission is bound too.
    officer_member = officer(opolskie)
    services.commission_appoint(actor=clerk, competition=competition, user=officer_member, role="official")
    assert not officer_member.has_perm("competitions.view_offer", offer)
    with pytest.raises(services.CompetitionError, match="applicants"):
        services.declaration_sign(actor=late, competition=competition, digest=sha("Oświadczam"))
    seat = competition.commission.get(user=late)
    services.declaration_sign(
        actor=late, competition=competition, digest=sha(services.declaration_text(seat, competition))
    )
    seat.refresh_from_db()
    assert "art. 24" in seat.declaration_text and offers[0].organisation.name in seat.declaration_text
    assert late.has_perm("competitions.view_offer", offer) and late.has_perm("competitions.evaluate_offer", offer)
    with pytest.raises(PermissionDenied):
        services.declaration_sign(actor=UserFactory(), competition=competition, digest="x")
    # Recusal: points already given are removed; the offer is neither seen nor scored afterwards.
    score_all(late, offer, 7)
    with pytest.raises(services.CompetitionError, match="reason"):
        services.recuse(actor=late, offer=offer, reason="")
    services.recuse(actor=late, offer=offer, reason="Mój brat jest prezesem oferenta.")
    assert not Score.objects.filter(member=seat, offer=offer).exists()
    assert not late.has_perm("competitions.view_offer", offer)
    with pytest.raises(PermissionDenied):
        score_all(late, offer, 5)
    assert late.has_perm("competitions.view_offer", Offer.objects.get(pk=offers[1].pk))
    entry = AuditEntry.objects.get(action="competitions.recuse")
    assert entry.details["removed_points"] and entry.actor == late
    # Someone outside the commission: neither sees nor scores.
    outsider = UserFactory()
    assert not outsider.has_perm("competitions.view_offer", offer)
    with pytest.raises(PermissionDenied):
        score_all(outsider, offer, 5)


def test_score_cards_need_every_criterion_within_its_maximum_with_a_justification(opolskie):
    competition, clerk, offers, people = in_evaluation(1, members=1)
    offer = offers[0]
    first, second = competition.criteria.all()
    with pytest.raises(services.CompetitionError) as error:
        services.score_offer(actor=people[0], offer=offer, scores={first.pk: (11, "za dużo"), second.pk: (5, " ")})
    assert set(error.value.errors) == {first.pk, second.pk} and "0 to 10" in error.value.errors[first.pk]
    assert not Score.objects.exists()
    services.score_offer(
        actor=people[0], offer=offer, scores={first.pk: (10, "Świetny plan"), second.pk: (4, "Słaba kalkulacja")}
    )
    services.score_offer(
        actor=people[0], offer=offer, scores={first.pk: (9, "Świetny plan"), second.pk: (4, "Słaba kalkulacja")}
    )
    entries = list(AuditEntry.objects.filter(action="competitions.score").order_by("pk"))
    assert [e.details["points"] for e in entries] == [{"1": [None, 10], "2": [None, 4]}, {"1": [10, 9]}]
    assert all(e.actor == people[0] for e in entries)


def test_the_ranking_averages_exactly_and_shows_ties_as_ties_with_a_constant_number_of_queries(
    opolskie, django_assert_max_num_queries
):
    competition, clerk, offers, people = in_evaluation(4, members=3)
    a, b, c, d = offers
    # a: (20 + 19 + 19) / 3 = 19.333…; b: (20 + 18 + 20) / 3 = 19.333… (a tie); c: 15; d: 16.5 (two cards).
    for person, points in zip(people, ([10, 10], [10, 9], [10, 9])):
        score_all(person, a, points)
    for person, points in zip(people, ([10, 10], [9, 9], [10, 10])):
        score_all(person, b, points)
    for person in people:
        score_all(person, c, [8, 7])
    score_all(people[0], d, [8, 8])
    score_all(people[1], d, [9, 8])
    with django_assert_max_num_queries(7):
        ranking = selectors.ranking(competition)
    rows = {r.offer_id: r for r in ranking.rows}
    assert rows[a.pk].average_display == Decimal("19.33") and rows[a.pk].rank == rows[b.pk].rank == 1
    assert rows[a.pk].tied and rows[b.pk].tied and not rows[c.pk].tied
    assert (
        rows[d.pk].rank == 3
        and rows[d.pk].average_display == Decimal("16.50")
        and rows[d.pk].cards == 2
        and rows[d.pk].expected == 3
    )
    assert rows[c.pk].rank == 4 and ranking.max_points == 20
    assert selectors.rounded(__import__("fractions").Fraction(12345, 1000)) == Decimal("12.35")  # half up


def test_amounts_within_the_request_and_the_funds_then_the_decision_and_the_publication(opolskie):
    competition, clerk, offers, people = in_evaluation(3, members=2, total_funds=20_000_00)
    a, b, c = offers
    for person in people:
        score_all(person, a, 9)
        score_all(person, b, 7)
    with pytest.raises(services.AmountErrors) as error:
        services.amounts_propose(actor=clerk, competition=competition, amounts={a.pk: 8_000_01})
    assert set(error.value.errors) == {a.pk}
    with pytest.raises(services.AmountErrors, match="more than the funds"):
        services.amounts_propose(
            actor=clerk, competition=competition, amounts={a.pk: 8_000_00, b.pk: 8_000_00, c.pk: 4_000_01}
        )
    assert not Offer.objects.filter(proposed_amount__isnull=False).exists()
    with pytest.raises(PermissionDenied):
        services.amounts_propose(actor=people[0], competition=competition, amounts={a.pk: 1})
    warnings = services.amounts_propose(
        actor=clerk, competition=competition, amounts={a.pk: 8_000_00, b.pk: 5_000_00, c.pk: None}
    )
    assert warnings == []
    entry = AuditEntry.objects.get(action="competitions.amounts_propose")
    assert entry.actor == clerk and entry.details["amounts"][str(b.pk)] == ["", "5\u00a0000,00\u00a0zł"]
    # Not every offer scored yet: no decision.
    with pytest.raises(services.CompetitionError, match="Not scored"):
        services.competition_decide(actor=clerk, competition=competition, reference="Uchwała 1/2026")
    score_all(people[0], c, 3)
    with pytest.raises(services.CompetitionError, match="Name the decision"):
        services.competition_decide(actor=clerk, competition=competition, reference="")
    with pytest.raises(services.CompetitionError, match="Record the decision first"):
        services.results_publish(actor=clerk, competition=competition)
    services.competition_decide(actor=clerk, competition=competition, reference="Uchwała nr 1/2026 Zarządu")
    a, b, c = (Offer.objects.get(pk=o.pk) for o in offers)
    assert (a.state, a.granted_amount, a.final_points, a.final_rank) == (
        OfferState.FUNDED,
        8_000_00,
        Decimal("18.00"),
        1,
    )
    assert (b.state, b.granted_amount) == (OfferState.FUNDED, 5_000_00)
    assert (c.state, c.granted_amount, c.final_rank) == (OfferState.NOT_FUNDED, 0, 3)
    with pytest.raises(services.CompetitionError):
        score_all(people[0], a, 1)
    with pytest.raises(services.CompetitionError):
        services.amounts_propose(actor=clerk, competition=competition, amounts={a.pk: 1})
    services.results_publish(actor=clerk, competition=competition)
    competition.refresh_from_db()
    assert competition.state == CompetitionState.RESULTS and competition.results_published_by == clerk
    results = selectors.public_results(competition)
    assert [(r["title"], r["points"], r["amount"]) for r in results] == [
        ("Zadanie 0", Decimal("18.00"), 8_000_00),
        ("Zadanie 1", Decimal("14.00"), 5_000_00),
        ("Zadanie 2", Decimal("6.00"), 0),
    ]
    for action in ("competitions.decide", "competitions.results_publish"):
        assert AuditEntry.objects.get(action=action).actor == clerk


def test_a_warning_when_the_own_contribution_would_fall_below_the_rule(opolskie):
    # Only the financial contribution counts; the offer's personal contribution does not.
    competition, clerk, offers, people = in_evaluation(
        1, members=1, own_counts_personal=False, own_contribution_min_bp=2000
    )
    offer = offers[0]
    Offer.objects.filter(pk=offer.pk).update(own_financial=1_500_00, own_personal=500_00)
    warnings = services.amounts_propose(actor=clerk, competition=competition, amounts={offer.pk: 8_000_00})
    assert len(warnings) == 1 and "15%" in warnings[0] and "20%" in warnings[0]
    assert services.amounts_propose(actor=clerk, competition=competition, amounts={offer.pk: 5_000_00}) == []


def test_the_ngo_reads_its_own_score_cards_only_after_the_results_and_never_another_ngos(opolskie):
    competition, clerk, offers, people = in_evaluation(2, members=2)
    for person in people:
        score_all(person, offers[0], 6)
        score_all(person, offers[1], 4)
    mine = Offer.objects.select_related("competition").get(pk=offers[0].pk)
    admin = mine.organisation.memberships.get(role="admin").user
    assert not admin.has_perm("competitions.view_score_cards", mine)
    services.amounts_propose(actor=clerk, competition=competition, amounts={offers[0].pk: 5_000_00})
    services.competition_decide(actor=clerk, competition=competition, reference="Zarządzenie 5/2026")
    services.results_publish(actor=clerk, competition=competition)
    mine = Offer.objects.select_related("competition").get(pk=offers[0].pk)
    theirs = Offer.objects.select_related("competition").get(pk=offers[1].pk)
    assert admin.has_perm("competitions.view_score_cards", mine)
    assert not admin.has_perm("competitions.view_score_cards", theirs)
    cards = selectors.score_cards(mine)
    assert [c["number"] for c in cards] == [1, 2] and cards[0]["total"] == 12
