"""What the services of agreements share: the row lock, the history the organisation sees, the audit, the
e-mails to each side and the helpers for money fields and the offer's cost lines."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ngo_platform.agreements.models import Agreement, AgreementState, HistoryEntry, ReviewState
from ngo_platform.agreements.workflows import acting_for
from ngo_platform.agreements.workflows import details as workflow_details
from ngo_platform.core.money import format_money
from ngo_platform.core.services import audit_log, email_notify

AS = AgreementState
RS = ReviewState

MONEY_FIELDS = {
    "granted_amount",
    "grant",
    "own_financial",
    "own_personal",
    "own_in_kind",
    "beneficiary_fees",
    "interest",
}


def lock(agreement: Agreement) -> Agreement:
    """The agreement locked for the transaction, with its offer, competition, authority and organisation."""
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("offer", "offer__competition", "offer__competition__authority", "offer__organisation")
        .get(pk=agreement.pk)
    )


def printable(field: str, value) -> Any:
    """A field's value as the audit records it: money formatted, dates in ISO."""
    if field in MONEY_FIELDS:
        return format_money(value)
    return value.isoformat() if hasattr(value, "isoformat") else value


def audit(actor, action: str, agreement: Agreement, target=None, **details) -> None:
    audit_log(
        actor=actor,
        action=f"agreements.{action}",
        target=target or agreement,
        acting_for=acting_for(actor, agreement),
        details={**workflow_details(agreement), **details},
    )


def history(agreement: Agreement, subject: str, state: str, actor, note: str = "", at=None) -> None:
    HistoryEntry.objects.create(
        agreement=agreement, subject=subject, state=state, note=note, actor=actor, at=at or timezone.now()
    )


def organisation_emails(agreement: Agreement) -> list[str]:
    organisation = agreement.offer.organisation
    admins = organisation.memberships.filter(role="admin").values_list("user__email", flat=True)
    return [organisation.email, *admins]


def authority_emails(agreement: Agreement) -> list[str]:
    authority = agreement.offer.competition.authority
    return [authority.email, *authority.memberships.values_list("user__email", flat=True)]


def notify(to: list[str], agreement: Agreement, subject: str, message: str, note: str = "") -> None:
    email_notify(
        to=to,
        template="agreements/email/status",
        context={"agreement": agreement, "subject": subject, "message": message, "note": note},
    )


def basis_lines(basis: dict) -> list[dict]:
    """The cost lines (V.A) of the offer as submitted, each with the name of its action."""
    actions = {a["no"]: a["name"] for a in basis["III"]["actions"]}
    return [
        {
            "category": line["category"],
            "action_no": line["action"],
            "action_name": actions.get(line["action"], ""),
            "name": line["name"],
            "unit": line["unit"],
            "unit_cost": line["unit_cost"],
            "units": line["units"],
            "total": line["total"],
            "year": line["year"],
        }
        for line in basis["V"]["A"]["lines"]
    ]


def fillable(actor, agreement: Agreement) -> Agreement:
    """The agreement locked for the organisation that fills in its cost calculation or report."""
    agreement = lock(agreement)
    if not actor.has_perm("agreements.fill_agreement", agreement):
        raise PermissionDenied
    return agreement
