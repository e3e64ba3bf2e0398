"""The courses of an agreement, declared once (`core.workflow`).

The agreement: prepared (draft) → sent to the organisation → signed → settled (the final report accepted);
terminated from any state before it is settled; a sent agreement may go back to a draft for corrections.
The updated cost calculation and the report share one course: the organisation prepares and submits, the authority
accepts or returns it with a note, a returned one is corrected and submitted again.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ngo_platform.accounts.rules import acting_for_authority
from ngo_platform.agreements.models import Agreement, AgreementState, CostUpdate, Report, ReviewState
from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.workflow import Transition, Workflow

AS = AgreementState
RS = ReviewState
MANAGE = "agreements.manage_agreement"
FILL = "agreements.fill_agreement"
EDITABLE = (RS.DRAFT, RS.RETURNED)


class AgreementError(ServiceError):
    """An agreement step that is not allowed now (`core.exceptions.ServiceError`)."""


@dataclass(frozen=True)
class Problem:
    field: str  # the form field (or "" for the whole form)
    message: str


class Incomplete(AgreementError):
    """Cannot be sent or submitted yet: `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        message = _("It cannot be submitted yet: %(n)s problem(s) to correct.") % {"n": len(problems)}
        super().__init__(message, problems=problems)


def acting_for(actor, agreement: Agreement):
    """The authority for its officers, the lead organisation for its members, else no one (platform admin)."""
    competition = agreement.offer.competition
    if actor is None or not actor.is_authenticated:
        return None
    if (authority := acting_for_authority(actor, competition.authority)) is not None:
        return authority
    if actor.organisation_memberships.filter(organisation_id=agreement.offer.organisation_id).exists():
        return agreement.offer.organisation
    return None


def details(agreement: Agreement) -> dict:
    return {"competition": agreement.offer.competition_id, "offer": agreement.offer_id, "agreement": agreement.pk}


AGREEMENT = Workflow(
    model=Agreement,
    audit="agreements.agreement_{name}",
    also_save=("updated_at",),
    error=AgreementError,
    acting_for=acting_for,
    details=details,
    transitions=[
        Transition(
            "send",
            AS.DRAFT,
            AS.SENT,
            gettext_lazy("Send to the organisation"),
            MANAGE,
            timestamp="sent_at",
            refusal=gettext_lazy("Only a draft agreement can be sent."),
        ),
        Transition(
            "reopen",
            AS.SENT,
            AS.DRAFT,
            gettext_lazy("Take back to correct"),
            MANAGE,
            refusal=gettext_lazy("Only an agreement sent and not yet signed can be corrected."),
        ),
        Transition(
            "sign",
            AS.SENT,
            AS.SIGNED,
            gettext_lazy("Record the signing"),
            MANAGE,
            refusal=gettext_lazy("Only an agreement sent to the organisation can be signed."),
        ),
        Transition(
            "terminate",
            (AS.DRAFT, AS.SENT, AS.SIGNED),
            AS.TERMINATED,
            gettext_lazy("Terminate"),
            MANAGE,
            timestamp="terminated_at",
            refusal=gettext_lazy("This agreement can no longer be terminated."),
        ),
        Transition(
            "settle",
            AS.SIGNED,
            AS.SETTLED,
            gettext_lazy("Settle"),
            MANAGE,
            timestamp="settled_at",
            refusal=gettext_lazy("Only a signed agreement can be settled."),
        ),
    ],
)


def _review(model, audit: str, submitted_already, decided_only_when_submitted) -> Workflow:
    """The course of a document the organisation submits and the authority accepts or returns."""
    return Workflow(
        model=model,
        audit=audit,
        also_save=("updated_at",),
        error=AgreementError,
        acting_for=lambda actor, document: acting_for(actor, document.agreement),
        details=lambda document: details(document.agreement),
        permission_object=lambda document: document.agreement,
        transitions=[
            Transition("submit", EDITABLE, RS.SUBMITTED, gettext_lazy("Submit"), FILL, refusal=submitted_already),
            Transition(
                "accept",
                RS.SUBMITTED,
                RS.ACCEPTED,
                gettext_lazy("Accept"),
                MANAGE,
                timestamp="decided_at",
                refusal=decided_only_when_submitted,
            ),
            Transition(
                "return",
                RS.SUBMITTED,
                RS.RETURNED,
                gettext_lazy("Return for corrections"),
                MANAGE,
                timestamp="decided_at",
                refusal=decided_only_when_submitted,
            ),
        ],
    )


COST_UPDATE = _review(
    CostUpdate,
    "agreements.cost_update_{name}",
    gettext_lazy("The updated cost calculation has been submitted already."),
    gettext_lazy("Only a submitted cost calculation can be accepted or returned."),
)
REPORT = _review(
    Report,
    "agreements.report_{name}",
    gettext_lazy("The report has been submitted already."),
    gettext_lazy("Only a submitted report can be accepted or returned."),
)
