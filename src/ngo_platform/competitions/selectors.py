"""Reads of the competitions app, each with the prefetching its page needs."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from ngo_platform.competitions.models import (
    Competition,
    CompetitionState,
    LegalParameters,
    Offer,
    OfferPartner,
    OfferState,
    OfferSubmission,
)
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
    """The parameters in force on `on` (today): the authority's own newest version, else the nationwide
    newest, else the documented defaults."""
    on = on or timezone.localdate()
    rows = LegalParameters.objects.filter(effective_from__lte=on).filter(Q(authority=authority) | Q(authority__isnull=True))
    rows = sorted(rows, key=lambda row: (row.authority_id is not None, row.effective_from, row.pk), reverse=True)
    return rows[0] if rows else LegalParameters.documented_defaults()


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
    return Organisation.objects.filter(memberships__user=user, status=OrganisationStatus.ACTIVE).distinct().order_by("name")


def offers_of_user(user) -> QuerySet[Offer]:
    """Offers of the person's organisations, as the lead or as a partner."""
    if not user.is_authenticated:
        return Offer.objects.none()
    organisations = user.organisation_memberships.values("organisation_id")
    return (
        Offer.objects.filter(Q(organisation__in=organisations) | Q(partners__organisation__in=organisations))
        .select_related("competition", "competition__authority", "organisation").distinct().order_by("-updated_at", "-id")
    )


def offer_page(pk: int) -> Offer:
    """An offer with everything its pages, checks and canonical content read."""
    return (
        Offer.objects.select_related("competition", "competition__authority", "competition__sphere", "organisation", "created_by")
        .prefetch_related(
            "actions", "results", "cost_lines",
            Prefetch("partners", queryset=OfferPartner.objects.select_related("organisation", "confirmed_by")),
            Prefetch("submissions", queryset=OfferSubmission.objects.select_related("submitted_by")),
        )
        .get(pk=pk)
    )


def active_submission(offer: Offer) -> OfferSubmission | None:
    for submission in offer.submissions.all():
        if submission.withdrawn_at is None:
            return submission
    return None


def competition_offers(competition: Competition) -> QuerySet[Offer]:
    """Offers past their draft, for the authority's officers."""
    return (
        competition.offers.exclude(state=OfferState.DRAFT).select_related("organisation")
        .prefetch_related(Prefetch("submissions", queryset=OfferSubmission.objects.filter(withdrawn_at__isnull=True)))
        .order_by("organisation__name", "id")
    )


def offer_counts(competition: Competition) -> dict:
    return {
        "submitted": competition.offers.filter(state=OfferState.SUBMITTED).count(),
        "withdrawn": competition.offers.filter(state=OfferState.WITHDRAWN).count(),
    }


def organisation_offers(organisation: Organisation, *, public: bool = True) -> QuerySet[Offer]:
    """The organisation's offers (as lead or partner) for its profile: publicly, those submitted in
    competitions whose deadline has passed (and, later, grants awarded)."""
    queryset = (
        Offer.objects.filter(Q(organisation=organisation) | Q(partners__organisation=organisation))
        .select_related("competition", "competition__authority").distinct()
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
