"""The ranking of the formally correct offers by the commission's scores, the warnings on the proposed amounts,
and the published results."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from ngo_platform.competitions import canonical
from ngo_platform.competitions.models import (
    CommissionMember,
    Competition,
    Offer,
    OfferPartner,
    OfferState,
    Recusal,
    Score,
)
from ngo_platform.competitions.selectors.common import EVALUATED_STATES, rounded
from ngo_platform.core.money import format_percent, share_bp


def own_share_warning(offer, competition: Competition, amount: int | None) -> str:
    """A warning when, at the proposed grant, the own contribution that counts in this competition would be
    below the announcement's minimum share of the costs. The projection keeps the applicant's other sources
    as offered and takes the grant as proposed: costs = amount + own contributions + fees."""
    if not competition.own_contribution_min_bp or amount is None:
        return ""
    own = canonical.own_contribution(offer, competition)
    costs = amount + offer.own_financial + offer.own_personal + offer.own_in_kind + offer.beneficiary_fees
    if own * 10000 >= costs * competition.own_contribution_min_bp:
        return ""
    return _(
        "%(title)s: at the proposed amount the own contribution would be %(share)s of the costs, below the required %(min)s."
    ) % {
        "title": offer.title,
        "share": format_percent(share_bp(own, costs)),
        "min": format_percent(competition.own_contribution_min_bp),
    }


@dataclass
class RankRow:
    offer_id: int
    organisation: str
    partners: list[str]
    title: str
    state: str
    requested: int
    proposed: int | None
    granted: int | None
    cards: int
    expected: int
    points: int
    average: Fraction | None
    average_display: Decimal | None
    rank: int = 0
    tied: bool = False
    warning: str = ""


@dataclass
class Ranking:
    rows: list[RankRow]
    max_points: int
    members: int
    proposed_total: int
    funds: int
    warnings: list[str] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return self.funds - self.proposed_total


class _Scored(NamedTuple):
    """One offer as the ranking's one query reads it (no model instance). `own_share_warning` reads the
    title and the sources."""

    id: int
    organisation: str
    title: str
    state: str
    grant_requested: int
    proposed_amount: int | None
    granted_amount: int | None
    own_financial: int
    own_personal: int
    own_in_kind: int
    beneficiary_fees: int
    points: int
    cards: int
    recused: int


def _scored_offers(competition: Competition) -> QuerySet[Offer]:
    """The formally correct offers by the organisation's name and id, each with its scores aggregated by the
    database: the sum of the members' points, the number of members who scored it, the number who stepped
    aside. Correlated subqueries (an index scan of the offer's scores each) rather than a join of the
    offers with all their scores grouped back, which costs more; the order by the average is left to Python
    (ordering by it in SQL would evaluate the subqueries a second time)."""
    scores = Score.objects.filter(offer=OuterRef("pk")).order_by().values("offer")
    recusals = Recusal.objects.filter(offer=OuterRef("pk")).order_by().values("offer")
    return (
        competition.offers.filter(state__in=EVALUATED_STATES)
        .annotate(
            points=Coalesce(Subquery(scores.annotate(total=Sum("points")).values("total")), 0),
            cards=Coalesce(Subquery(scores.annotate(n=Count("member", distinct=True)).values("n")), 0),
            recused=Coalesce(Subquery(recusals.annotate(n=Count("id")).values("n")), 0),
        )
        .order_by("organisation__name", "id")
    )


def _partner_names(competition: Competition) -> dict[int, list[str]]:
    """The partners' names of each ranked offer, by name: {offer id: [names]} (one query)."""
    partners: dict[int, list[str]] = {}
    rows = OfferPartner.objects.filter(offer__competition=competition, offer__state__in=EVALUATED_STATES)
    rows = rows.values_list("offer_id", "organisation__name")
    for offer_id, name in rows.order_by("organisation__name"):
        partners.setdefault(offer_id, []).append(name)
    return partners


def _row(offer: _Scored, competition: Competition, members: int, partners: list[str]) -> RankRow:
    average = Fraction(offer.points, offer.cards) if offer.cards else None
    warn = competition.own_contribution_min_bp and offer.proposed_amount is not None
    return RankRow(
        offer_id=offer.id,
        organisation=offer.organisation,
        partners=partners,
        title=offer.title,
        state=offer.state,
        requested=offer.grant_requested,
        proposed=offer.proposed_amount,
        granted=offer.granted_amount,
        cards=offer.cards,
        expected=max(members - offer.recused, 0),
        points=offer.points,
        average=average,
        average_display=rounded(average),
        warning=own_share_warning(offer, competition, offer.proposed_amount) if warn else "",
    )


def _by_average(row: RankRow) -> tuple[bool, float]:
    """Sort key: best average first, offers not scored yet last. The average as a float orders exactly: the
    integer sums and counts are exact in a double and Python's int / int is correctly rounded, so equal
    fractions (58/3 and 116/6) give the same float and different ones (of any realistic size) different
    floats; the places and ties are then decided on the exact integers."""
    return (row.cards == 0, -row.points / row.cards if row.cards else 0.0)


def _place(rows: list[RankRow]) -> None:
    """Sort the rows by average and give each its place; equal averages share one ("1, 2, 2, 4") and are marked
    tied. Equality on the exact integers (a/b = c/d ⇔ a·d = c·b); offers not scored have no place."""
    rows.sort(key=_by_average)  # stable: equal averages stay by the organisation's name and id
    same = [
        n > 0
        and row.cards > 0
        and rows[n - 1].cards > 0
        and row.points * rows[n - 1].cards == rows[n - 1].points * row.cards
        for n, row in enumerate(rows)
    ]
    place = 0
    for n, row in enumerate(rows):
        if not same[n]:
            place = n + 1
        row.rank = place if row.cards else 0
        row.tied = bool(row.cards) and (same[n] or (n + 1 < len(rows) and same[n + 1]))


def ranking(competition: Competition) -> Ranking:
    """The formally correct offers ranked by the average of the members' totals (exact fractions, so ties
    are exact; shown rounded half up to two places). Equal averages share a place ("1, 2, 2, 4").
    A constant number of queries, whatever the number of offers and members (4, or 3 with the competition's
    criteria prefetched): the scores are summed and counted per offer by the database, no model instances
    are made and the order and places are computed on integers (not on `Fraction`s)."""
    values = _scored_offers(competition).values_list("id", "organisation__name", *_Scored._fields[2:])
    offers = [_Scored(*row) for row in values]
    partners = _partner_names(competition)
    members = CommissionMember.objects.filter(competition=competition, declared_at__isnull=False).count()
    rows = [_row(offer, competition, members, partners.get(offer.id, [])) for offer in offers]
    _place(rows)
    return Ranking(
        rows=rows,
        max_points=sum(c.max_points for c in competition.criteria.all()),
        members=members,
        proposed_total=sum(r.proposed or 0 for r in rows),
        funds=competition.total_funds,
        warnings=[r.warning for r in rows if r.warning],
    )


def public_results(competition: Competition) -> list[dict]:
    """The published results, as frozen by the decision: place, organisation (and partners), title,
    average points, amount. Ties share a place and are marked."""
    offers = list(
        competition.offers.filter(state__in=[OfferState.FUNDED, OfferState.NOT_FUNDED])
        .select_related("organisation")
        .order_by("final_rank", "organisation__name", "id")
    )
    partners: dict[int, list[str]] = {}
    for offer_id, name in (
        OfferPartner.objects.filter(offer__in=[o.pk for o in offers])
        .values_list("offer_id", "organisation__name")
        .order_by("organisation__name")
    ):
        partners.setdefault(offer_id, []).append(name)
    ranks: dict[int, int] = {}
    for offer in offers:
        ranks[offer.final_rank] = ranks.get(offer.final_rank, 0) + 1
    return [
        {
            "rank": o.final_rank,
            "tied": ranks[o.final_rank] > 1,
            "organisation": o.organisation.name,
            "organisation_url": o.organisation.get_absolute_url(),
            "partners": partners.get(o.pk, []),
            "title": o.title,
            "points": o.final_points,
            "amount": o.granted_amount or 0,
            "funded": o.state == OfferState.FUNDED,
            "requested": o.grant_requested,
        }
        for o in offers
    ]
