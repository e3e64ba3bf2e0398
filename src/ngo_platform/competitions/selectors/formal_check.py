"""Reads of the formal check."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from ngo_platform.competitions.models import Competition, CompletionCall, FormalMark, Offer, OfferState


def formally_rejected(competition: Competition) -> QuerySet[Offer]:
    return (
        competition.offers.filter(state=OfferState.FORMALLY_REJECTED)
        .select_related("organisation")
        .order_by("organisation__name", "id")
    )


def formal_check_offers(competition: Competition) -> list[Offer]:
    """Offers under (or past) the formal check with their marks and calls, for the officer's overview."""
    return list(
        competition.offers.exclude(state__in=[OfferState.DRAFT, OfferState.WITHDRAWN])
        .select_related("organisation")
        .prefetch_related(
            Prefetch("formal_marks", queryset=FormalMark.objects.all()),
            Prefetch("completion_calls", queryset=CompletionCall.objects.all()),
        )
        .order_by("organisation__name", "id")
    )
