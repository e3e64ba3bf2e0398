"""Reads of the commission: its members, a member's worklist, an offer's score cards."""

from __future__ import annotations

from fractions import Fraction

from django.db.models import Count

from ngo_platform.competitions.models import CommissionMember, Competition, Offer, Recusal, Score
from ngo_platform.competitions.selectors.common import EVALUATED_STATES, rounded


def seat(user, competition: Competition):
    """The person's seat on the competition's commission, or None."""
    if not user.is_authenticated:
        return None
    return CommissionMember.objects.filter(competition=competition, user=user).first()


def commission(competition: Competition):
    return list(
        CommissionMember.objects.filter(competition=competition)
        .select_related("user", "nominated_by")
        .annotate(scored=Count("scores__offer", distinct=True), recused=Count("recusals", distinct=True))
        .order_by("-chair", "appointed_at", "id")
    )


def member_worklist(member) -> list[dict]:
    """The formally correct offers for a member who signed: each with the member's state (to score,
    scored, recused). Offers the member stepped aside from are listed without their content."""
    scored = set(Score.objects.filter(member=member).values_list("offer_id", flat=True).distinct())
    recused = set(Recusal.objects.filter(member=member).values_list("offer_id", flat=True))
    offers = (
        member.competition.offers.filter(state__in=EVALUATED_STATES)
        .select_related("organisation")
        .order_by("organisation__name", "id")
    )
    return [{"offer": o, "scored": o.pk in scored, "recused": o.pk in recused} for o in offers]


def score_cards(offer: Offer) -> list[dict]:
    """The members' score cards of the offer, members numbered in the order of appointment (names are
    not shown to the applicant), with the average per criterion."""
    scores = list(
        Score.objects.filter(offer=offer)
        .select_related("criterion", "member")
        .order_by("member__appointed_at", "member_id", "criterion__position")
    )
    cards: dict[int, dict] = {}
    for score in scores:
        card = cards.setdefault(score.member_id, {"member": score.member, "scores": [], "total": 0})
        card["scores"].append(score)
        card["total"] += score.points
    result = list(cards.values())
    for n, card in enumerate(result, start=1):
        card["number"] = n
    return result


def criterion_averages(offer: Offer, cards: list[dict]) -> list[tuple]:
    by_criterion: dict[int, list] = {}
    for card in cards:
        for score in card["scores"]:
            by_criterion.setdefault(score.criterion_id, [score.criterion, 0, 0])
            by_criterion[score.criterion_id][1] += score.points
            by_criterion[score.criterion_id][2] += 1
    return [(c, rounded(Fraction(p, n))) for c, p, n in sorted(by_criterion.values(), key=lambda v: v[0].position)]
