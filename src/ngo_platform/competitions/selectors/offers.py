"""Reads of offers: the applicant's, one offer's page, what of it may change now, the officer's list."""

from __future__ import annotations

import json

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.competitions import canonical
from ngo_platform.competitions.models import (
    CALL_PARTS,
    Competition,
    CompetitionState,
    CompletionCall,
    CostLine,
    Offer,
    OfferPartner,
    OfferState,
    OfferSubmission,
)
from ngo_platform.core.arrival import lateness
from ngo_platform.organisations.models import Organisation, OrganisationStatus


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
    if offer.state == OfferState.DRAFT:
        return None
    call = _open_call(offer)
    if call is None:
        return _("The offer has been submitted: the submitted version is frozen and cannot be changed.")
    if not call.accepts_changes(now):
        return _("The time to complete has passed. Nothing was changed.") + " " + lateness(call.deadline, now)
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
