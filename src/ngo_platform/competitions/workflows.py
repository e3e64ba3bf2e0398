"""The courses of a competition, declared once (`core.workflow`).

The competition: draft → published (offers accepted until the deadline) → formal check → evaluation by the
commission → decided (the grants recorded: points, places and amounts frozen) → results published; annulled
(art. 18a UDPP) from any stage before the decision.
The offer: draft → submitted (→ withdrawn before the deadline) → called to complete → formally correct or rejected
→ evaluated → funded or not funded. A small grant (art. 19a): submitted → published for comments → funded or not
funded, or refused before publication. A call to complete: open → answered, or closed at its deadline, or ended with
the competition. A partner of a joint offer confirms (again, after a change) or declines.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ngo_platform.accounts.rules import acting_for_authority as acting_for
from ngo_platform.competitions import canonical
from ngo_platform.competitions.models import (
    CallState,
    CompetitionState,
    CompletionCall,
    Offer,
    OfferPartner,
    OfferState,
    PartnerState,
)
from ngo_platform.competitions.models import Competition as CompetitionModel
from ngo_platform.competitions.selectors.announcement import LIST
from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.text import local_time as _when
from ngo_platform.core.workflow import Transition, Workflow

CS = CompetitionState
OS = OfferState
MANAGE = "competitions.manage_competition"
SUBMIT = "competitions.submit_offer"


class CompetitionError(ServiceError):
    """A competition step that is not allowed now (`core.exceptions.ServiceError`)."""


class OfferIncomplete(CompetitionError):
    """The offer cannot be submitted: `problems` lists every reason, each with its step."""

    def __init__(self, problems: list[canonical.Problem]):
        message = _("The offer cannot be submitted yet: %(n)s problem(s) to correct.") % {"n": len(problems)}
        super().__init__(message, problems=problems)


class AmountErrors(CompetitionError):
    """Proposed amounts refused: `errors` maps offer ids to messages; nothing was saved."""

    def __init__(self, message: str, errors: dict[int, str]):
        super().__init__(message)
        self.errors = errors


def acting_for_authority(actor, competition):
    return acting_for(actor, competition.authority)


# --- The competition ------------------------------------------------------------------------------------------


def _offers_deadline_passed(competition, now):
    if now < competition.offers_deadline:
        return _("Offers are accepted until %(deadline)s: the formal check starts after the deadline.") % {
            "deadline": _when(competition.offers_deadline)
        }
    return None


def _results_refusal(competition):
    if competition.state == CS.EVALUATION:
        return _("Record the decision first.")
    return _("The competition is at the stage “%(state)s”: this step is not possible now.") % {
        "state": competition.get_state_display()
    }


COMPETITION = Workflow(
    model=CompetitionModel,
    audit="competitions.{name}",
    also_save=("updated_at",),
    error=CompetitionError,
    refusal=gettext_lazy("The competition is at the stage “%(state)s”: this step is not possible now."),
    acting_for=acting_for_authority,
    details=lambda competition: {"competition": competition.pk},
    on_change=LIST.bump_on_commit,  # the public list and the home page show each stage
    transitions=[
        Transition(
            "competition_publish",
            CS.DRAFT,
            CS.PUBLISHED,
            gettext_lazy("Publish the announcement"),
            MANAGE,
            timestamp="published_at",
            refusal=gettext_lazy("This announcement has already been published."),
        ),
        Transition(
            "formal_check_start",
            CS.PUBLISHED,
            CS.FORMAL_CHECK,
            gettext_lazy("Start the formal check"),
            MANAGE,
            guard=_offers_deadline_passed,
        ),
        Transition("evaluation_start", CS.FORMAL_CHECK, CS.EVALUATION, gettext_lazy("Hand to the commission"), MANAGE),
        Transition(
            "decide",
            CS.EVALUATION,
            CS.DECIDED,
            gettext_lazy("Record the decision"),
            MANAGE,
            timestamp="decided_at",
            confirm=gettext_lazy("The decision cannot be changed: the points, places and amounts stay as recorded."),
        ),
        Transition(
            "results_publish",
            CS.DECIDED,
            CS.RESULTS,
            gettext_lazy("Publish the results"),
            MANAGE,
            timestamp="results_published_at",
            refusal=_results_refusal,
            confirm=gettext_lazy("Published results cannot be withdrawn."),
        ),
        Transition(
            "competition_annul",
            (CS.PUBLISHED, CS.FORMAL_CHECK, CS.EVALUATION),
            CS.ANNULLED,
            gettext_lazy("Annul the competition (art. 18a)"),
            MANAGE,
            timestamp="annulled_at",
            refusal=gettext_lazy("This competition cannot be annulled now."),
        ),
    ],
)


# --- The offer ------------------------------------------------------------------------------------------------


def _comments_over(offer, now):
    if now < offer.comments_until:
        return _("Comments are accepted until %(until)s: decide after that.") % {"until": _when(offer.comments_until)}
    return None


def _on_competition(offer):
    return offer.competition


OFFICER = {"permission": MANAGE, "permission_object": _on_competition}
SILENT = {**OFFICER, "audited": False}  # one step of the competition's decision, audited with it
FORMAL = {**OFFICER, "timestamp": "formal_decided_at", "action": "competitions.formal_decide"}
SMALL_GRANT = {
    **OFFICER,
    "action": "competitions.small_grant_decide",
    "confirm": gettext_lazy("The decision cannot be changed afterwards."),
}

OFFER = Workflow(
    model=Offer,
    audit="competitions.offer_{name}",
    error=CompetitionError,
    refusal=gettext_lazy("The offer is %(state)s: this step is not possible now."),
    acting_for=lambda actor, offer: offer.organisation if actor is not None else None,
    details=lambda offer: {"competition": offer.competition_id, "offer": offer.pk},
    transitions=[
        Transition(
            "submit",
            OS.DRAFT,
            OS.SUBMITTED,
            gettext_lazy("Submit the offer"),
            SUBMIT,
            refusal=gettext_lazy("This offer has been withdrawn and cannot be submitted again."),
        ),
        Transition(
            "withdraw",
            OS.SUBMITTED,
            OS.WITHDRAWN,
            gettext_lazy("Withdraw the offer"),
            SUBMIT,
            refusal=gettext_lazy("Only a submitted offer can be withdrawn."),
        ),
        Transition("call_to_complete", OS.SUBMITTED, OS.TO_COMPLETE, gettext_lazy("Call to complete"), **SILENT),
        Transition(
            "formally_correct",
            (OS.SUBMITTED, OS.TO_COMPLETE),
            OS.FORMALLY_CORRECT,
            gettext_lazy("Formally correct"),
            **FORMAL,
        ),
        Transition(
            "formally_reject",
            (OS.SUBMITTED, OS.TO_COMPLETE),
            OS.FORMALLY_REJECTED,
            gettext_lazy("Reject on formal grounds"),
            **FORMAL,
        ),
        Transition("evaluate", OS.FORMALLY_CORRECT, OS.EVALUATED, gettext_lazy("Evaluated"), **SILENT),
        Transition("fund", OS.EVALUATED, OS.FUNDED, gettext_lazy("Grant awarded"), **SILENT),
        Transition("not_fund", OS.EVALUATED, OS.NOT_FUNDED, gettext_lazy("Not funded"), **SILENT),
        # Small grants (art. 19a UDPP).
        Transition(
            "publish_for_comments",
            OS.SUBMITTED,
            OS.COMMENTS,
            gettext_lazy("Publish for comments"),
            timestamp="comments_from",
            action="competitions.small_grant_publish",
            **OFFICER,
        ),
        Transition(
            "refuse_before_publication",
            OS.SUBMITTED,
            OS.FORMALLY_REJECTED,
            gettext_lazy("Refuse"),
            timestamp="formal_decided_at",
            **SMALL_GRANT,
        ),
        Transition(
            "grant",
            OS.COMMENTS,
            OS.FUNDED,
            gettext_lazy("Grant"),
            guard=_comments_over,
            timestamp="decided_at",
            **SMALL_GRANT,
        ),
        Transition(
            "refuse",
            OS.COMMENTS,
            OS.NOT_FUNDED,
            gettext_lazy("Refuse"),
            guard=_comments_over,
            timestamp="decided_at",
            **SMALL_GRANT,
        ),
    ],
)


# --- The call to complete and the partner's confirmation -------------------------------------------------------

CALL = Workflow(
    model=CompletionCall,
    audit="competitions.completion_{name}",
    error=CompetitionError,
    refusal=gettext_lazy("There is no open call to complete this offer."),
    acting_for=lambda actor, call: call.offer.organisation if actor is not None else call.offer.competition.authority,
    details=lambda call: {"competition": call.offer.competition_id, "offer": call.offer_id, "call": call.pk},
    permission_object=lambda call: call.offer,
    audit_target=lambda call: call.offer,  # the offer's history reads the calls' entries
    transitions=[
        Transition("answer", CallState.OPEN, CallState.ANSWERED, gettext_lazy("Send the completion"), SUBMIT),
        Transition("expired", CallState.OPEN, CallState.EXPIRED, gettext_lazy("Closed at its deadline")),
        Transition("ended", CallState.OPEN, CallState.ENDED, gettext_lazy("Ended with the competition"), audited=False),
    ],
)

PARTNER = Workflow(
    model=OfferPartner,
    audit="competitions.partner_{target}",
    error=CompetitionError,
    acting_for=lambda actor, partner: partner.organisation,
    details=lambda partner: {"competition": partner.offer.competition_id, "offer": partner.offer_id},
    transitions=[
        Transition(
            "confirm",
            tuple(PartnerState.values),
            PartnerState.CONFIRMED,
            gettext_lazy("Confirm"),
            "competitions.confirm_partnership",
            timestamp="confirmed_at",
        ),
        Transition(
            "decline",
            tuple(PartnerState.values),
            PartnerState.DECLINED,
            gettext_lazy("Decline"),
            "competitions.confirm_partnership",
            timestamp="confirmed_at",
        ),
    ],
)
