"""Reads of the competitions app, each with the prefetching its page needs."""

from __future__ import annotations

import datetime
import json

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from ngo_platform.competitions import canonical
from ngo_platform.competitions.models import (
    Competition,
    CompetitionState,
    CompletionCall,
    CostLine,
    LegalParameters,
    Offer,
    OfferPartner,
    OfferState,
    OfferSubmission,
    OfferTemplate,
    SmallGrantPool,
)
from ngo_platform.core.selectors import parameters_in_force
from ngo_platform.organisations.models import Organisation, OrganisationStatus

VERSION_KEY = "competitions:list-version"


def list_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def list_changed_on_commit() -> None:
    """Invalidate the cached public list once the current transaction commits."""
    transaction.on_commit(_bump)


def legal_parameters(*, authority, on: datetime.date | None = None) -> LegalParameters:
    """The parameters in force on `on` (today); see `core.selectors.parameters_in_force`."""
    return parameters_in_force(LegalParameters, authority=authority, on=on)


def competition_queryset() -> QuerySet[Competition]:
    return Competition.objects.select_related("authority", "sphere")


def public_competitions(filters: dict | None = None) -> QuerySet[Competition]:
    """Announced competitions (not drafts), soonest open deadline first, with the list's filters:
    authority (slug), sphere (number), form, status ("open" / "closed"), q (words of the title)."""
    filters = filters or {}
    now = timezone.now()
    queryset = competition_queryset().exclude(state=CompetitionState.DRAFT)
    if filters.get("authority"):
        queryset = queryset.filter(authority__slug=filters["authority"])
    if filters.get("sphere"):
        queryset = queryset.filter(sphere__number=filters["sphere"])
    if filters.get("form"):
        queryset = queryset.filter(task_form=filters["form"])
    if filters.get("status") == "open":
        queryset = queryset.filter(state=CompetitionState.PUBLISHED, offers_deadline__gt=now)
    elif filters.get("status") == "closed":
        queryset = queryset.exclude(state=CompetitionState.PUBLISHED, offers_deadline__gt=now)
    for word in (filters.get("q") or "").split()[:5]:
        queryset = queryset.filter(Q(title__icontains=word) | Q(task_kind__icontains=word))
    return queryset.order_by("-published_at", "-id")


def competitions_managed_by(user) -> QuerySet[Competition]:
    if not user.is_authenticated:
        return Competition.objects.none()
    queryset = competition_queryset()
    if user.is_staff:
        return queryset
    return queryset.filter(authority__memberships__user=user).distinct()


def competition_page(slug: str) -> Competition:
    return competition_queryset().prefetch_related("criteria", "versions").get(slug=slug)


def applicant_organisations(user) -> QuerySet[Organisation]:
    """Organisations the person may prepare offers for (admin or editor)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(memberships__user=user, status=OrganisationStatus.ACTIVE)
        .distinct()
        .order_by("name")
    )


def offers_of_user(user) -> QuerySet[Offer]:
    """Offers of the person's organisations, as the lead or as a partner."""
    if not user.is_authenticated:
        return Offer.objects.none()
    organisations = user.organisation_memberships.values("organisation_id")
    return (
        Offer.objects.filter(Q(organisation__in=organisations) | Q(partners__organisation__in=organisations))
        .select_related("competition", "competition__authority", "organisation")
        .distinct()
        .order_by("-updated_at", "-id")
    )


def offer_page(pk: int) -> Offer:
    """An offer with everything its pages, checks and canonical content read."""
    return (
        Offer.objects.select_related(
            "competition", "competition__authority", "competition__sphere", "organisation", "created_by"
        )
        .prefetch_related(
            "actions",
            "results",
            Prefetch("cost_lines", queryset=CostLine.objects.select_related("action")),  # a line names its action
            "attachments",
            # The calls to complete without their contents (read only by the PDF and the history).
            Prefetch("completion_calls", queryset=CompletionCall.objects.defer("content_before", "content")),
            Prefetch("partners", queryset=OfferPartner.objects.select_related("organisation", "confirmed_by")),
            Prefetch("submissions", queryset=OfferSubmission.objects.select_related("submitted_by")),
        )
        .get(pk=pk)
    )


def _open_call(offer: Offer):
    """The offer's call to complete that has not closed, while the formal check is on (or None)."""
    if offer.state != OfferState.TO_COMPLETE or offer.competition.state != CompetitionState.FORMAL_CHECK:
        return None
    return next((call for call in offer.completion_calls.all() if call.closed_at is None), None)


def completing_call(offer: Offer, now):
    """The call to complete the applicant may answer now: not closed, before its deadline (or None).
    Reads the offer's calls (prefetched by `offer_page`)."""
    call = _open_call(offer)
    return call if call is not None and call.accepts_changes(now) else None


def edit_refusal(offer: Offer, part: str, now) -> str | None:
    """Why this part of the offer (a step of the form, "zalaczniki" or "partnerzy") cannot change now, or
    None: a draft changes anywhere; a submitted offer only in the parts its open call to complete names,
    before the call's deadline. The one rule of the services that write an offer and of its pages."""
    from django.utils.translation import gettext as _

    from ngo_platform.competitions.models import CALL_PARTS
    from ngo_platform.core.text import local_time

    if offer.state == OfferState.DRAFT:
        return None
    call = _open_call(offer)
    if call is None:
        return _("The offer has been submitted: the submitted version is frozen and cannot be changed.")
    if not call.accepts_changes(now):
        return _("The deadline to complete was %(deadline)s; it is %(now)s now. Nothing was changed.") % {
            "deadline": local_time(call.deadline),
            "now": local_time(now),
        }
    if part not in call.sections:
        return _("The call to complete opens only these parts of the offer: %(parts)s. This one cannot be changed.") % {
            "parts": ", ".join(str(CALL_PARTS[s]) for s in call.sections)
        }
    return None


def calls_with_changes(offer: Offer) -> list:
    """The offer's calls to complete for reading. A call not closed yet shows what has changed so far: while
    the applicant answers, or past its deadline (it closes when the officer decides or calls again), what
    was saved before it."""
    calls = list(offer.completion_calls.all())
    unclosed = [call for call in calls if call.closed_at is None]
    if unclosed:
        document = canonical.content_document(offer)
        for call in unclosed:
            call.changes = canonical.body_changes(json.loads(call.content_before or "{}"), document)
    return calls


def latest_call(offer: Offer):
    calls = list(offer.completion_calls.all())
    return calls[-1] if calls else None


def active_submission(offer: Offer) -> OfferSubmission | None:
    for submission in offer.submissions.all():
        if submission.withdrawn_at is None:
            return submission
    return None


def competition_offers(competition: Competition) -> QuerySet[Offer]:
    """Offers past their draft, for the authority's officers."""
    return (
        competition.offers.exclude(state=OfferState.DRAFT)
        .select_related("organisation")
        .prefetch_related(Prefetch("submissions", queryset=OfferSubmission.objects.filter(withdrawn_at__isnull=True)))
        .order_by("organisation__name", "id")
    )


def offer_counts(competition: Competition) -> dict:
    return {
        "submitted": competition.offers.filter(state=OfferState.SUBMITTED).count(),
        "withdrawn": competition.offers.filter(state=OfferState.WITHDRAWN).count(),
    }


def offer_state_counts(competition: Competition) -> list[tuple[str, int]]:
    """How many offers of the competition are in each state, drafts excluded: [(state's name, count)]."""
    counts = dict(
        competition.offers.exclude(state=OfferState.DRAFT)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return [(label, counts[value]) for value, label in OfferState.choices if counts.get(value)]


def organisation_offers(organisation: Organisation, *, public: bool = True) -> QuerySet[Offer]:
    """The organisation's offers (as lead or partner) for its profile: publicly, those submitted in
    competitions whose deadline has passed (and, later, grants awarded)."""
    queryset = (
        Offer.objects.filter(Q(organisation=organisation) | Q(partners__organisation=organisation))
        .select_related("competition", "competition__authority")
        .distinct()
    )
    if public:
        queryset = queryset.exclude(state__in=[OfferState.DRAFT, OfferState.WITHDRAWN]).filter(
            competition__offers_deadline__lte=timezone.now()
        )
    return queryset.order_by("-competition__offers_deadline", "-id")


def partner_invitations(user) -> QuerySet[OfferPartner]:
    """Joint offers waiting for a confirmation by an organisation the person administers."""
    if not user.is_authenticated:
        return OfferPartner.objects.none()
    return OfferPartner.objects.filter(
        organisation__memberships__user=user, organisation__memberships__role="admin", offer__state=OfferState.DRAFT
    ).select_related("offer", "offer__organisation", "offer__competition", "organisation")


# --- Increment 2: formal check, commission, ranking, results ----------------------------------------

from dataclasses import dataclass, field  # noqa: E402
from decimal import ROUND_HALF_UP, Decimal  # noqa: E402
from fractions import Fraction  # noqa: E402
from typing import NamedTuple  # noqa: E402

from django.db.models import Count, OuterRef, Subquery, Sum  # noqa: E402

EVALUATED_STATES = (OfferState.FORMALLY_CORRECT, OfferState.EVALUATED, OfferState.FUNDED, OfferState.NOT_FUNDED)
TWO_PLACES = Decimal("0.01")


def rounded(value: Fraction | None) -> Decimal | None:
    """An exact average shown with two decimal places, rounded half up (12.345 → 12.35)."""
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def own_share_warning(offer, competition: Competition, amount: int | None) -> str:
    """A warning when, at the proposed grant, the own contribution that counts in this competition would be
    below the announcement's minimum share of the costs. The projection keeps the applicant's other sources
    as offered and takes the grant as proposed: costs = amount + own contributions + fees."""
    from django.utils.translation import gettext as _

    from ngo_platform.core.money import format_percent, share_bp

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


class _Sources(NamedTuple):
    """What `own_share_warning` reads of an offer, from the ranking's one query (no model instances)."""

    title: str
    own_financial: int
    own_personal: int
    own_in_kind: int
    beneficiary_fees: int


def _scored_offers(competition: Competition) -> QuerySet[Offer]:
    """The formally correct offers by the organisation's name and id, each with its scores aggregated by the
    database: the sum of the members' points, the number of members who scored it, the number who stepped
    aside. Correlated subqueries (an index scan of the offer's scores each) rather than a join of the
    offers with all their scores grouped back, which costs more; the order by the average is left to Python
    (ordering by it in SQL would evaluate the subqueries a second time)."""
    from django.db.models.functions import Coalesce

    from ngo_platform.competitions.models import Recusal, Score

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


def _by_average(row: RankRow) -> tuple[bool, float]:
    """Sort key: best average first, offers not scored yet last. The average as a float orders exactly: the
    integer sums and counts are exact in a double and Python's int / int is correctly rounded, so equal
    fractions (58/3 and 116/6) give the same float and different ones (of any realistic size) different
    floats; the places and ties are then decided on the exact integers."""
    return (row.cards == 0, -row.points / row.cards if row.cards else 0.0)


def ranking(competition: Competition) -> Ranking:
    """The formally correct offers ranked by the average of the members' totals (exact fractions, so ties
    are exact; shown rounded half up to two places). Equal averages share a place ("1, 2, 2, 4").
    A constant number of queries, whatever the number of offers and members (4, or 3 with the competition's
    criteria prefetched): the scores are summed and counted per offer by the database, no model instances
    are made and the order and places are computed on integers (not on `Fraction`s)."""
    from ngo_platform.competitions.models import CommissionMember

    offers = _scored_offers(competition).values_list(
        "id",
        "organisation__name",
        "title",
        "state",
        "grant_requested",
        "proposed_amount",
        "granted_amount",
        "own_financial",
        "own_personal",
        "own_in_kind",
        "beneficiary_fees",
        "points",
        "cards",
        "recused",
    )
    partners: dict[int, list[str]] = {}
    for offer_id, name in (
        OfferPartner.objects.filter(offer__competition=competition, offer__state__in=EVALUATED_STATES)
        .values_list("offer_id", "organisation__name")
        .order_by("organisation__name")
    ):
        partners.setdefault(offer_id, []).append(name)
    members = CommissionMember.objects.filter(competition=competition, declared_at__isnull=False).count()
    max_points = sum(c.max_points for c in competition.criteria.all())
    warn = bool(competition.own_contribution_min_bp)
    rows = []
    for (
        offer_id,
        organisation,
        title,
        state,
        requested,
        proposed,
        granted,
        own_financial,
        own_personal,
        own_in_kind,
        fees,
        points,
        cards,
        recused,
    ) in offers:
        average = Fraction(points, cards) if cards else None
        rows.append(
            RankRow(
                offer_id=offer_id,
                organisation=organisation,
                partners=partners.get(offer_id, []),
                title=title,
                state=state,
                requested=requested,
                proposed=proposed,
                granted=granted,
                cards=cards,
                expected=max(members - recused, 0),
                points=points,
                average=average,
                average_display=rounded(average),
                warning=(
                    own_share_warning(
                        _Sources(title, own_financial, own_personal, own_in_kind, fees), competition, proposed
                    )
                    if warn and proposed is not None
                    else ""
                ),
            )
        )
    rows.sort(key=_by_average)  # stable: equal averages stay by the organisation's name and id
    # Places and ties on the exact integers (a/b = c/d ⇔ a·d = c·b).
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
    return Ranking(
        rows=rows,
        max_points=max_points,
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


def formally_rejected(competition: Competition) -> QuerySet[Offer]:
    return (
        competition.offers.filter(state=OfferState.FORMALLY_REJECTED)
        .select_related("organisation")
        .order_by("organisation__name", "id")
    )


def formal_check_offers(competition: Competition) -> list[Offer]:
    """Offers under (or past) the formal check with their marks and calls, for the officer's overview."""
    from ngo_platform.competitions.models import FormalMark

    return list(
        competition.offers.exclude(state__in=[OfferState.DRAFT, OfferState.WITHDRAWN])
        .select_related("organisation")
        .prefetch_related(
            Prefetch("formal_marks", queryset=FormalMark.objects.all()),
            Prefetch("completion_calls", queryset=CompletionCall.objects.all()),
        )
        .order_by("organisation__name", "id")
    )


def seat(user, competition: Competition):
    """The person's seat on the competition's commission, or None."""
    from ngo_platform.competitions.models import CommissionMember

    if not user.is_authenticated:
        return None
    return CommissionMember.objects.filter(competition=competition, user=user).first()


def commission(competition: Competition):
    from ngo_platform.competitions.models import CommissionMember

    return list(
        CommissionMember.objects.filter(competition=competition)
        .select_related("user", "nominated_by")
        .annotate(scored=Count("scores__offer", distinct=True), recused=Count("recusals", distinct=True))
        .order_by("-chair", "appointed_at", "id")
    )


def member_worklist(member) -> list[dict]:
    """The formally correct offers for a member who signed: each with the member's state (to score,
    scored, recused). Offers the member stepped aside from are listed without their content."""
    from ngo_platform.competitions.models import Recusal, Score

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
    from ngo_platform.competitions.models import Score

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


# --- Increment 3: small grants (art. 19a UDPP) ----------------------------------------------------

from django.db.models.functions import Coalesce  # noqa: E402

SG = OfferTemplate.SIMPLIFIED_2018
# Small grants that count towards the limits: submitted (the organisation's yearly limit), published
# for comments or granted (both limits). Drafts, withdrawn, refused and not granted do not count.
COUNTING_FOR_ORGANISATION = (OfferState.SUBMITTED, OfferState.COMMENTS, OfferState.FUNDED)
COUNTING_FOR_AUTHORITY = (OfferState.COMMENTS, OfferState.FUNDED)
PUBLIC_SMALL_GRANT_STATES = (OfferState.COMMENTS, OfferState.FUNDED, OfferState.NOT_FUNDED)


def small_grant_year(offer: Offer) -> int:
    """The year a small grant counts in: the year the task starts (the budget year it is paid from)."""
    return offer.date_from.year if offer.date_from else timezone.localdate().year


def _small_grants(authority_id: int, year: int) -> QuerySet[Offer]:
    return Offer.objects.filter(template=SG, competition__authority_id=authority_id, date_from__year=year)


def earlier_small_grants(offer: Offer) -> list[tuple[str, int]]:
    """The organisation's other small grants from this authority in the year: [(title, grosze)] (the amount
    granted once decided, else the amount requested)."""
    rows = (
        _small_grants(offer.competition.authority_id, small_grant_year(offer))
        .filter(organisation_id=offer.organisation_id, state__in=COUNTING_FOR_ORGANISATION)
        .exclude(pk=offer.pk)
        .order_by("date_from", "id")
        .values_list("title", "state", "granted_amount", "grant_requested")
    )
    return [
        (title, granted if state == OfferState.FUNDED and granted is not None else requested)
        for title, state, granted, requested in rows
    ]


def authority_small_grants_total(authority_id: int, year: int, *, exclude: int | None = None) -> int:
    """The small grants of the authority in the year, published for comments or granted (grosze)."""
    queryset = _small_grants(authority_id, year).filter(state__in=COUNTING_FOR_AUTHORITY)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    total = queryset.aggregate(total=Sum(Coalesce("granted_amount", "grant_requested")))["total"]
    return total or 0


def small_grant_pool(authority_id: int, year: int) -> SmallGrantPool | None:
    return SmallGrantPool.objects.filter(authority_id=authority_id, year=year).first()


def public_small_grants() -> QuerySet[Offer]:
    """Small-grant offers once published for comments (and their outcome), newest first."""
    return (
        Offer.objects.filter(template=SG, state__in=PUBLIC_SMALL_GRANT_STATES)
        .select_related("competition__authority", "organisation")
        .order_by("-comments_from", "-id")
    )


def small_grants_in_comments(now) -> QuerySet[Offer]:
    return public_small_grants().filter(state=OfferState.COMMENTS, comments_until__gt=now)


def small_grants_to_review(user) -> QuerySet[Offer]:
    """Small-grant offers submitted to (or in comments at) the person's authorities."""
    if not user.is_authenticated:
        return Offer.objects.none()
    queryset = Offer.objects.filter(template=SG, state__in=(OfferState.SUBMITTED, OfferState.COMMENTS))
    if not user.is_staff:
        queryset = queryset.filter(competition__authority__memberships__user=user)
    return queryset.select_related("competition__authority", "organisation").distinct().order_by("comments_until", "id")
