"""The verification request's course, declared once (`core.workflow`): pending → verified | rejected, decided by a
platform admin or an officer of the authority governing the organisation's seat."""

from django.utils.translation import gettext_lazy

from ngo_platform.accounts.rules import acting_for_authority
from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.workflow import Transition, Workflow
from ngo_platform.organisations.models import VerificationRequest, VerificationState
from ngo_platform.territory.selectors import authority_governing

VS = VerificationState
VERIFY = "organisations.verify_organisation"


class VerificationError(ServiceError):
    """A verification step that is not allowed now (`core.exceptions.ServiceError`)."""


def authority_acting(actor, organisation):
    """The authority an officer acts for when deciding on this organisation (None for platform admins)."""
    return acting_for_authority(actor, authority_governing(unit=organisation.seat))


VERIFICATION = Workflow(
    model=VerificationRequest,
    audit="organisations.verification_{target}",
    error=VerificationError,
    refusal=gettext_lazy("This request has already been decided."),
    acting_for=lambda actor, request: authority_acting(actor, request.organisation) if actor is not None else None,
    details=lambda request: {"organisation": request.organisation.name, "applicant": request.applicant.email},
    permission_object=lambda request: request.organisation,
    transitions=[
        Transition("verify", VS.PENDING, VS.VERIFIED, gettext_lazy("Verify"), VERIFY, timestamp="decided_at"),
        Transition("reject", VS.PENDING, VS.REJECTED, gettext_lazy("Reject"), VERIFY, timestamp="decided_at"),
    ],
)
