"""Reads of the agreements app, each with the prefetching its page needs."""

from __future__ import annotations

import datetime
import json

from django.db.models import Prefetch, QuerySet

from ngo_platform.agreements.models import (
    Agreement,
    AgreementParameters,
    AgreementParty,
    AgreementState,
    HistoryEntry,
    Report,
    ReportKind,
    ReviewState,
)
from ngo_platform.competitions import canonical
from ngo_platform.competitions import selectors as competition_selectors
from ngo_platform.competitions.models import Offer, OfferState
from ngo_platform.core.selectors import parameters_in_force
from ngo_platform.organisations.models import Organisation


def agreement_parameters(*, authority, on: datetime.date | None = None) -> AgreementParameters:
    """The parameters in force on `on` (today); see `core.selectors.parameters_in_force`."""
    return parameters_in_force(AgreementParameters, authority=authority, on=on)


def agreement_queryset() -> QuerySet[Agreement]:
    return Agreement.objects.select_related(
        "offer", "offer__competition", "offer__competition__authority", "offer__organisation"
    )


def _reports() -> Prefetch:
    return Prefetch("reports", queryset=Report.objects.prefetch_related("results", "cost_lines"))


def agreement_page(pk: int) -> Agreement:
    """An agreement with everything its pages, its DOCX and its checks read."""
    return (
        agreement_queryset()
        .select_related("cost_update")
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation")),
            "instalments",
            "cost_update__lines",
            _reports(),
            Prefetch("history", queryset=HistoryEntry.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def cost_update_of(agreement: Agreement):
    try:
        return agreement.cost_update
    except Agreement.cost_update.RelatedObjectDoesNotExist:
        return None


def final_report(agreement: Agreement) -> Report | None:
    """The final report (from the prefetched reports)."""
    for report in agreement.reports.all():
        if report.kind == ReportKind.FINAL:
            return report
    return None


def needs_cost_update(agreement: Agreement) -> bool:
    """The grant is lower than requested: the organisation updates its calculation before signing."""
    return agreement.granted_amount < agreement.offer.grant_requested


def offer_basis(offer: Offer) -> dict:
    """The offer as submitted (its frozen canonical content), or as it reads now if it has no
    submission on record (e.g. entered on paper)."""
    submission = offer.submissions.filter(withdrawn_at__isnull=True).order_by("-submitted_at").first()
    if submission is not None:
        return json.loads(submission.content)
    return canonical.offer_body(competition_selectors.offer_page(offer.pk))


def authorities_of(user):
    from ngo_platform.territory.models import Authority

    if user.is_staff:
        return Authority.objects.all()
    return Authority.objects.filter(memberships__user=user)


def agreements_managed_by(user, *, state: str = "") -> QuerySet[Agreement]:
    """Agreements of the authorities the person is an officer of (every authority for platform admins)."""
    if not user.is_authenticated:
        return Agreement.objects.none()
    queryset = agreement_queryset().select_related("cost_update").prefetch_related(_reports())
    if not user.is_staff:
        queryset = queryset.filter(offer__competition__authority__memberships__user=user)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.order_by("report_due", "id")


def funded_offers_without_agreement(user) -> QuerySet[Offer]:
    if not user.is_authenticated:
        return Offer.objects.none()
    queryset = Offer.objects.filter(state=OfferState.FUNDED, agreement__isnull=True).select_related(
        "competition", "competition__authority", "organisation"
    )
    if not user.is_staff:
        queryset = queryset.filter(competition__authority__memberships__user=user)
    return queryset.order_by("competition__title", "organisation__name", "id")


def organisation_agreements(organisation: Organisation, *, public: bool = False) -> QuerySet[Agreement]:
    """The organisation's agreements (as the lead or a joint applicant) with their reports. Publicly,
    the grants: agreements signed or settled (the results are public, art. 15 ust. 2h–2j UDPP)."""
    queryset = (
        agreement_queryset()
        .filter(parties__organisation=organisation)
        .select_related("cost_update")
        .prefetch_related(_reports())
        .distinct()
    )
    if public:
        queryset = queryset.filter(state__in=[AgreementState.SIGNED, AgreementState.SETTLED])
    else:
        queryset = queryset.exclude(state=AgreementState.DRAFT)
    return queryset.order_by("-task_start", "-id")


def organisations_of(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct().order_by("name")


def reminder_candidates(today: datetime.date, horizon_days: int) -> QuerySet[Agreement]:
    """Signed agreements whose final report is not yet submitted (none, a draft, or returned for
    corrections is not counted: a returned report has been delivered) and is due within the horizon
    or overdue."""
    submitted = Report.objects.filter(kind=ReportKind.FINAL).exclude(state=ReviewState.DRAFT).values("agreement_id")
    return (
        agreement_queryset()
        .filter(state=AgreementState.SIGNED, report_due__lte=today + datetime.timedelta(days=horizon_days))
        .exclude(pk__in=submitted)
        .prefetch_related("reminders")
        .order_by("report_due", "id")
    )
