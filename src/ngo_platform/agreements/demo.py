"""Demo agreement for `ngo-platform seed_demo` (idempotent; runs after the competitions' demo).

For the first funded offer without an agreement (the competitions' demo publishes results), through the
services and audited: the agreement prepared by an officer of the authority, sent and signed today; if the
grant is lower than requested, the organisation's updated cost calculation (the difference covered by its
own financial contribution), accepted; then the final report, submitted and waiting for the officer.
Nothing is created when there is no funded offer, no officer of the authority or no admin of the
organisation; a second run finds the agreement and stops.
"""

from django.db import transaction
from django.utils import timezone

from ngo_platform.accounts.models import AuthorityMembership, OrganisationMembership, OrganisationRole
from ngo_platform.agreements import selectors, services
from ngo_platform.agreements.models import Agreement
from ngo_platform.competitions.models import Offer, OfferState

DEMO_ACCOUNT = "61109010140000071219812874"


def _funded_offer() -> Offer | None:
    return (
        Offer.objects.filter(state=OfferState.FUNDED, agreement__isnull=True)
        .select_related("competition", "organisation")
        .order_by("pk")
        .first()
    )


def _clerk_and_admin(offer: Offer) -> tuple | None:
    """An officer of the offer's authority and an admin of its organisation (users), or None without either."""
    clerk = (
        AuthorityMembership.objects.filter(authority_id=offer.competition.authority_id)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    admin = (
        OrganisationMembership.objects.filter(organisation_id=offer.organisation_id, role=OrganisationRole.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if clerk is None or admin is None:
        return None
    return clerk.user, admin.user


def _prepare_and_send(clerk, offer: Offer) -> Agreement:
    """The officer's draft, completed (place, signatories, account, one instalment) and sent."""
    agreement = services.agreement_create(actor=clerk, offer=offer)
    signatories = {party.pk: party.signatories or "Prezes zarządu" for party in agreement.parties.all()}
    services.agreement_update(
        actor=clerk,
        agreement=agreement,
        data={
            "place": offer.competition.authority.name,
            "authority_signatories": "Członek Zarządu\nSkarbnik (kontrasygnata)",
            "account_number": "PL" + DEMO_ACCOUNT,
        },
        signatories=signatories,
        instalments=[{"due_on": agreement.task_start, "amount": agreement.granted_amount}],
    )
    services.agreement_send(actor=clerk, agreement=agreement)
    return selectors.agreement_page(agreement.pk)


def _update_costs(admin, clerk, agreement: Agreement) -> None:
    """The organisation's updated calculation (the offer's lines, the difference covered by its own financial
    contribution), submitted and accepted by the officer. Raises `AgreementError` when the sums do not allow it."""
    update = services.cost_update_start(actor=admin, agreement=agreement)
    lines = [
        {
            "category": line.category,
            "action_no": line.action_no,
            "name": line.name,
            "unit": line.unit,
            "unit_cost": line.unit_cost,
            "units": line.units,
            "year": line.year,
        }
        for line in update.lines.all()
    ]
    total = sum(line.total for line in update.lines.all())
    others = update.own_personal + update.own_in_kind + update.beneficiary_fees
    services.cost_update_save(
        actor=admin,
        cost_update=update,
        lines=lines,
        sources={
            "grant": agreement.granted_amount,
            "own_financial": max(total - agreement.granted_amount - others, 0),
        },
    )
    services.cost_update_submit(actor=admin, cost_update=update)
    services.cost_update_decide(actor=clerk, cost_update=update, accept=True)


def _report(admin, agreement: Agreement) -> None:
    """The final report as planned (results achieved, costs spent), submitted if its sums add up."""
    report = services.report_start(actor=admin, agreement=agreement)
    _lines, planned = services.planned_costs(agreement)
    services.report_save(
        actor=admin,
        report=report,
        data={
            "description": "Zadanie zrealizowano zgodnie z harmonogramem: odbyły się wszystkie zaplanowane koncerty i warsztaty.",
            "additional_info": "Listy obecności i dokumentacja zdjęciowa są dostępne w siedzibie organizacji.",
            "declares_truth": True,
            **planned,
        },
        achieved={result.pk: {"achieved": result.planned, "comment": ""} for result in report.results.all()},
        spent={line.pk: line.planned for line in report.cost_lines.all()},
    )
    try:
        services.report_submit(actor=admin, report=report)
    except services.AgreementError:
        pass  # the demo's sums did not add up: the report stays a draft to finish


@transaction.atomic
def seed() -> list:
    if Agreement.objects.exists():
        return []
    offer = _funded_offer()
    if offer is None:
        return []
    people = _clerk_and_admin(offer)
    if people is None:
        return []
    clerk, admin = people
    agreement = _prepare_and_send(clerk, offer)
    try:
        if selectors.needs_cost_update(agreement):
            _update_costs(admin, clerk, agreement)
    except services.AgreementError:
        return []  # the offer's sums do not allow the simple update: the officer continues by hand
    services.agreement_sign(actor=clerk, agreement=agreement, signed_on=timezone.localdate())
    _report(admin, selectors.agreement_page(agreement.pk))
    return []
