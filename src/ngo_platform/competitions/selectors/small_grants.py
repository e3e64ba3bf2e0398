"""Reads of small grants (art. 19a UDPP): the yearly limits of the organisation and of the authority, the
public list in comments, the officer's list."""

from __future__ import annotations

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from ngo_platform.competitions.models import Offer, OfferState, OfferTemplate, SmallGrantPool

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
