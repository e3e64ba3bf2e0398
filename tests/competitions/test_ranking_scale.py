"""The ranking at scale: the same number of SQL queries for 3 and for 30 offers (the scores are aggregated
by the database), and the same places, ties and roundings as an exact computation with fractions over
the scores one by one (how the ranking was computed before it moved into the database)."""

import random
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.utils import timezone

from ngo_platform.accounts.models import User
from ngo_platform.competitions import selectors
from ngo_platform.competitions.models import (
    CommissionMember,
    CompetitionState,
    Offer,
    OfferPartner,
    OfferState,
    Recusal,
    Score,
)
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import TerritorialUnit
from tests.competitions.factories import CompetitionFactory

pytestmark = pytest.mark.django_db

RANKING_QUERIES = 4  # the offers with their sums and counts, the partners, the members, the criteria


def _competition(members: int, *, undeclared: int = 0, **kwargs):
    """A competition under evaluation with 2 criteria of 10 points and a commission of `members` who signed
    the declaration (and `undeclared` who did not), written in bulk."""
    now = timezone.now()
    competition = CompetitionFactory(
        state=CompetitionState.EVALUATION, offers_deadline=now - timedelta(days=10), **kwargs
    )
    creator = User.objects.create(email=f"{competition.slug}-urzednik@example.pl")
    people = User.objects.bulk_create(
        User(email=f"{competition.slug}-czlonek-{n}@example.pl", full_name=f"Członek {n}")
        for n in range(members + undeclared)
    )
    seats = CommissionMember.objects.bulk_create(
        CommissionMember(
            competition=competition,
            user=person,
            role="official",
            appointed_by=creator,
            appointed_at=now,
            declared_at=now if n < members else None,
            declaration_text="Oświadczenie" if n < members else "",
        )
        for n, person in enumerate(people)
    )
    return competition, creator, seats[:members]


def _offers(competition, creator, names, *, state=OfferState.FORMALLY_CORRECT, proposed=None):
    seat = TerritorialUnit.objects.get(teryt="1601011")
    organisations = Organisation.objects.bulk_create(
        Organisation(name=name, slug=f"{competition.slug}-org-{n}-{state}", seat=seat) for n, name in enumerate(names)
    )
    return Offer.objects.bulk_create(
        Offer(
            competition=competition,
            organisation=organisation,
            created_by=creator,
            state=state,
            title=f"Zadanie {organisation.name} {n}",
            grant_requested=8_000_00,
            own_financial=500_00,
            proposed_amount=proposed(n) if proposed else None,
        )
        for n, organisation in enumerate(organisations)
    )


def _cards(offer, seats, totals):
    """One score card per total (a member each, in order), split over the two criteria."""
    criteria = list(offer.competition.criteria.order_by("position"))
    now = timezone.now()
    Score.objects.bulk_create(
        Score(member=seat, offer=offer, criterion=criterion, points=points, comment="Uzasadnienie", scored_at=now)
        for seat, total in zip(seats, totals)
        for criterion, points in zip(criteria, (min(total, 10), max(total - 10, 0)))
    )


def _scored(n_offers: int, seed: int):
    """A competition with `n_offers` formally correct offers scored by 5 members with points drawn from a
    small range (many ties, some equal averages over different numbers of cards), some offers not scored,
    recusals, partners, proposed amounts below the own share (warnings) and formally rejected offers."""
    rng = random.Random(seed)
    competition, creator, seats = _competition(5, undeclared=1)
    names = [rng.choice(["Fundacja Ąbc", "Koło Gospodyń", "Stowarzyszenie Łąka", "Zespół"]) for _ in range(n_offers)]
    offers = _offers(competition, creator, names, proposed=lambda n: (None, 0, 4_000_00, 8_000_00)[n % 4])
    rejected = _offers(competition, creator, ["Odrzucona"], state=OfferState.FORMALLY_REJECTED)
    _cards(rejected[0], seats, [20] * 5)
    for n, offer in enumerate(offers):
        if n % 7 == 3:
            continue  # not scored yet
        cards = rng.choice([1, 2, 3, 4, 5])
        _cards(offer, rng.sample(seats, cards), [rng.choice([14, 15, 16]) for _ in range(cards)])
        if n % 5 == 1:
            Recusal.objects.create(
                member=seats[n % 5], offer=offer, reason="Członek zarządu", created_at=timezone.now()
            )
    OfferPartner.objects.bulk_create(
        OfferPartner(offer=offer, organisation=offers[0].organisation, invited_by=creator) for offer in offers[1::4]
    )
    competition.refresh_from_db()
    return competition, offers


def _exact(competition):
    """The ranking computed from the scores one by one with exact fractions: [(offer id, rank, tied,
    average, shown, cards, expected)] in order (best first, ties and unscored by organisation name, id)."""
    members = CommissionMember.objects.filter(competition=competition, declared_at__isnull=False).count()
    offers = list(competition.offers.filter(state__in=selectors.EVALUATED_STATES).order_by("organisation__name", "id"))
    points, cards = {}, {}
    for score in Score.objects.filter(offer__competition=competition):
        points[score.offer_id] = points.get(score.offer_id, 0) + score.points
        cards.setdefault(score.offer_id, set()).add(score.member_id)
    average = {o.pk: Fraction(points[o.pk], len(cards[o.pk])) if o.pk in cards else None for o in offers}
    offers.sort(key=lambda o: (average[o.pk] is None, -(average[o.pk] or 0)))
    result = []
    for offer in offers:
        mean = average[offer.pk]
        equal = [o for o in offers if mean is not None and average[o.pk] == mean]
        rank = 1 + sum(1 for o in offers if average[o.pk] is not None and mean is not None and average[o.pk] > mean)
        shown = (
            None
            if mean is None
            else (Decimal(mean.numerator) / mean.denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)
        )
        result.append(
            (
                offer.pk,
                rank if mean is not None else 0,
                len(equal) > 1,
                mean,
                shown,
                len(cards.get(offer.pk, ())),
                max(members - offer.recusals.count(), 0),
            )
        )
    return result


@pytest.mark.parametrize("n_offers", [3, 30])
def test_the_ranking_runs_the_same_number_of_queries_for_3_and_for_30_offers(
    opolskie, django_assert_num_queries, n_offers
):
    competition, offers = _scored(n_offers, seed=n_offers)
    with django_assert_num_queries(RANKING_QUERIES):
        ranking = selectors.ranking(competition)
    assert len(ranking.rows) == n_offers and ranking.members == 5 and ranking.max_points == 20


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_ranking_equals_an_exact_computation_over_the_scores_one_by_one(opolskie, seed):
    competition, offers = _scored(30, seed=seed)
    ranking = selectors.ranking(competition)
    rows = [(r.offer_id, r.rank, r.tied, r.average, r.average_display, r.cards, r.expected) for r in ranking.rows]
    assert rows == _exact(competition)
    assert any(r.tied for r in ranking.rows) and any(r.rank == 0 for r in ranking.rows)
    assert ranking.proposed_total == sum(o.proposed_amount or 0 for o in offers)
    assert ranking.warnings == [r.warning for r in ranking.rows if r.warning] and ranking.warnings


def test_equal_averages_over_different_numbers_of_cards_share_a_place_and_unscored_offers_come_last(opolskie):
    competition, creator, seats = _competition(6, undeclared=1)
    names = ["A", "B", "C", "D", "E", "F", "G"]
    a, b, c, d, e, f, g = _offers(competition, creator, names)
    (rejected,) = _offers(competition, creator, ["A0"], state=OfferState.FORMALLY_REJECTED)
    _cards(rejected, seats, [20] * 6)  # formally rejected: not ranked, whatever its points
    _cards(b, seats, [19, 19, 20, 19, 19, 20])  # 116/6
    _cards(a, seats, [19, 19, 20])  # 58/3 = 116/6: the same place, by the organisation's name
    _cards(c, seats, [20, 20, 19, 18])  # 77/4
    _cards(e, seats, [16, 15, 16, 15])  # 62/4
    _cards(d, seats, [15, 16])  # 31/2 = 62/4
    _cards(g, seats, [0])  # scored with 0 points: ranked, last of the scored
    Recusal.objects.create(member=seats[5], offer=a, reason="Członek zarządu", created_at=timezone.now())
    competition.refresh_from_db()
    ranking = selectors.ranking(competition)
    assert [(r.offer_id, r.rank, r.tied, r.average_display, r.cards, r.expected) for r in ranking.rows] == [
        (a.pk, 1, True, Decimal("19.33"), 3, 5),
        (b.pk, 1, True, Decimal("19.33"), 6, 6),
        (c.pk, 3, False, Decimal("19.25"), 4, 6),
        (d.pk, 4, True, Decimal("15.50"), 2, 6),
        (e.pk, 4, True, Decimal("15.50"), 4, 6),
        (g.pk, 6, False, Decimal("0.00"), 1, 6),
        (f.pk, 0, False, None, 0, 6),
    ]
    assert ranking.rows[0].average == Fraction(58, 3) and ranking.rows[-1].average is None
    assert ranking.members == 6 and ranking.max_points == 20
    rows = [(r.offer_id, r.rank, r.tied, r.average, r.average_display, r.cards, r.expected) for r in ranking.rows]
    assert rows == _exact(competition)


def test_the_amounts_of_1000_offers_can_be_saved_as_a_browser_sends_them(client, opolskie):
    from urllib.parse import urlencode

    from allauth.mfa.totp.internal.auth import TOTP

    from tests.competitions.factories import officer

    competition, creator, seats = _competition(2, total_funds=10_000_000_00)
    offers = _offers(competition, creator, [f"Stowarzyszenie {n}" for n in range(1000)])
    clerk = officer(competition.authority)
    TOTP.activate(clerk, "JBSWY3DPEHPK3PXP")
    client.force_login(clerk)
    data = [("csrfmiddlewaretoken", "x" * 64), *((f"a-amount_{o.pk}", "") for o in offers), ("action", "amounts")]
    data[1] = (f"a-amount_{offers[0].pk}", "5 000")
    response = client.post(
        f"/konkursy/{competition.slug}/ranking/", urlencode(data), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302, response.status_code
    assert Offer.objects.get(pk=offers[0].pk).proposed_amount == 5_000_00
