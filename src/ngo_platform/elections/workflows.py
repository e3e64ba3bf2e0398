"""The courses of a council election, declared once (`core.workflow`): the election's stages, the candidate's
consent and verification, the protest's decision. The stages the clock makes by itself are `TIMED`."""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ngo_platform.accounts.rules import acting_for_authority
from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.text import local_time as _when
from ngo_platform.core.workflow import Transition, Workflow, perform
from ngo_platform.elections import counting
from ngo_platform.elections.models import Candidate, CandidateState, Election, ElectionState, Protest, ProtestState
from ngo_platform.elections.selectors import public_changed_on_commit

S = ElectionState
C = CandidateState
MANAGE = "elections.manage_election"
COMMITTEE = "elections.act_as_committee"


class ElectionError(ServiceError):
    """An election step that is not allowed now (`core.exceptions.ServiceError`)."""


def acting_for(actor, election: Election):
    """The authority an officer acts for (None for committee members from outside and platform admins)."""
    return acting_for_authority(actor, election.council.authority)


# --- The election's stages: the times and content each needs, checked at the moment of the change ---------------


def _nominations_would_close_in_future(election, now):
    if election.nominations_end <= now:
        return _("The nominations would close in the past: move the dates first.")
    return None


def _nominations_over(election, now):
    if now < election.nominations_end:
        return _("The nominations are open until %(time)s.") % {"time": _when(election.nominations_end)}
    return None


def _list_complete(election, now):
    if election.candidates.filter(state=C.CONSENTED).exists():
        return _("Verify or reject every candidate who has consented before publishing the list.")
    if not election.candidates.filter(state=C.VERIFIED).exists():
        return _("There is no verified candidate to publish.")
    if now >= election.voting_end:
        return _("The voting would already be over: move the dates first.")
    return None


def _voting_started(election, now):
    if now < election.voting_start:
        return _("The voting opens at %(time)s.") % {"time": _when(election.voting_start)}
    return None


def _voting_over(election, now):
    if now < election.voting_end:
        return _("The voting is open until %(time)s.") % {"time": _when(election.voting_end)}
    return None


def _no_tie_pending(election, now):
    if election.tie_pending:
        return _("Record the drawing of lots among the tied candidates first.")
    return None


def _protests_decided(election, now):
    if election.protests_end and now < election.protests_end:
        return _("Protests may be submitted until %(time)s.") % {"time": _when(election.protests_end)}
    if election.protests.filter(state=ProtestState.PENDING).exists():
        return _("Decide every protest first.")
    if election.protests.filter(state=ProtestState.UPHELD).exists():
        # An upheld protest means the result cannot stand as counted: the committee cancels the election (with
        # the reason) and the authority orders a new vote.
        return _(
            "A protest was upheld: the result cannot become final. Cancel the election, giving the reason, and order a new vote."
        )
    return None


def _withdraw_without_consent(election, now):
    """Nominations that never got the candidate's consent do not reach the list."""
    for candidate in election.candidates.filter(state=C.AWAITING_CONSENT):
        perform(CANDIDATE, candidate, "drop", actor=None, now=now)
    return ()


def _count(election, now):
    counting.count_votes(election, now)
    return ("eligible_count", "tie_pending", "counted_at")


def _open_protests(election, now):
    election.results_published_at, election.protests_end = now, now + timedelta(days=election.protest_days)
    return ("results_published_at", "protests_end")


def _seat_the_elected(election, now):
    counting.council_update(election)
    return ()


ELECTION = Workflow(
    model=Election,
    audit="elections.stage_{target}",
    error=ElectionError,
    refusal=gettext_lazy("An election in the stage “%(state)s” cannot move to “%(target)s”."),
    acting_for=acting_for,
    details=lambda election: {"election": election.pk},
    on_change=public_changed_on_commit,  # the home page shows them
    transitions=[
        Transition(
            S.NOMINATIONS,
            S.DRAFT,
            S.NOMINATIONS,
            gettext_lazy("Open the nominations"),
            MANAGE,
            guard=_nominations_would_close_in_future,
        ),
        Transition(
            S.VERIFICATION,
            S.NOMINATIONS,
            S.VERIFICATION,
            gettext_lazy("Close the nominations"),
            MANAGE,
            guard=_nominations_over,
        ),
        Transition(
            S.LIST_PUBLISHED,
            S.VERIFICATION,
            S.LIST_PUBLISHED,
            gettext_lazy("Publish the list of candidates"),
            MANAGE,
            guard=_list_complete,
            effect=_withdraw_without_consent,
            confirm=gettext_lazy(
                "The list becomes public and candidates who have not consented are withdrawn; it cannot be unpublished."
            ),
        ),
        Transition(
            S.VOTING, S.LIST_PUBLISHED, S.VOTING, gettext_lazy("Open the voting"), MANAGE, guard=_voting_started
        ),
        Transition(
            S.RESULTS,
            S.VOTING,
            S.RESULTS,
            gettext_lazy("Close the voting and count"),
            COMMITTEE,
            guard=_voting_over,
            effect=_count,
            confirm=gettext_lazy("No ballot can be cast after the voting is closed, and the count cannot be redone."),
        ),
        Transition(
            S.PROTESTS,
            S.RESULTS,
            S.PROTESTS,
            gettext_lazy("Publish the results"),
            COMMITTEE,
            guard=_no_tie_pending,
            effect=_open_protests,
            confirm=gettext_lazy(
                "The results become public at once and the time for protests starts; they cannot be withdrawn."
            ),
        ),
        Transition(
            S.FINAL,
            S.PROTESTS,
            S.FINAL,
            gettext_lazy("Declare the result final"),
            MANAGE,
            guard=_protests_decided,
            timestamp="finalised_at",
            effect=_seat_the_elected,
            confirm=gettext_lazy("The result becomes final and the elected take their seats on the council."),
        ),
        Transition(
            S.CANCELLED,
            (S.DRAFT, S.NOMINATIONS, S.VERIFICATION, S.LIST_PUBLISHED, S.PROTESTS),
            S.CANCELLED,
            gettext_lazy("Cancel the election"),
            MANAGE,
            confirm=gettext_lazy("The election ends for good, with the reason published; it cannot be resumed."),
        ),
    ],
)

# The stages the clock makes by itself (`services.election_advance_due`, the `elections_advance` command):
# state → (the time field that must have passed, the next stage).
TIMED = {
    S.NOMINATIONS: ("nominations_end", S.VERIFICATION),
    S.LIST_PUBLISHED: ("voting_start", S.VOTING),
    S.VOTING: ("voting_end", S.RESULTS),
}


def _decided(candidate):
    if candidate.state == C.AWAITING_CONSENT:
        return _("The candidate has not consented yet.")
    return _("This candidate has already been decided.")


# The candidate: nominated, awaiting the e-mailed consent → consented (or withdrawn) → verified or rejected by the
# committee, before the list is published.
CANDIDATE = Workflow(
    model=Candidate,
    audit="elections.candidate_{target}",
    error=ElectionError,
    acting_for=lambda actor, candidate: acting_for(actor, candidate.election) if actor is not None else None,
    details=lambda candidate: {"election": candidate.election_id, "candidate": candidate.full_name},
    permission_object=lambda candidate: candidate.election,
    transitions=[
        Transition(
            "consent",
            C.AWAITING_CONSENT,
            C.CONSENTED,
            gettext_lazy("I agree"),
            timestamp="consented_at",
            refusal=gettext_lazy("Your answer has already been recorded."),
        ),
        Transition(
            "withdraw",
            C.AWAITING_CONSENT,
            C.WITHDRAWN,
            gettext_lazy("I decline"),
            refusal=gettext_lazy("Your answer has already been recorded."),
        ),
        # By the system when the list is published: a nomination without the candidate's consent stays off it.
        Transition("drop", C.AWAITING_CONSENT, C.WITHDRAWN, gettext_lazy("Not on the list: no consent")),
        Transition(
            "verify",
            C.CONSENTED,
            C.VERIFIED,
            gettext_lazy("Verify"),
            COMMITTEE,
            timestamp="decided_at",
            refusal=_decided,
        ),
        Transition(
            "reject",
            C.CONSENTED,
            C.REJECTED,
            gettext_lazy("Reject"),
            COMMITTEE,
            timestamp="decided_at",
            refusal=_decided,
        ),
    ],
)

PROTEST = Workflow(
    model=Protest,
    audit="elections.protest_{target}",
    error=ElectionError,
    refusal=gettext_lazy("This protest has already been decided."),
    acting_for=lambda actor, protest: acting_for(actor, protest.election),
    details=lambda protest: {"election": protest.election_id, "organisation": protest.organisation.name},
    permission_object=lambda protest: protest.election,
    transitions=[
        Transition(
            "uphold",
            ProtestState.PENDING,
            ProtestState.UPHELD,
            gettext_lazy("Uphold"),
            COMMITTEE,
            timestamp="decided_at",
        ),
        Transition(
            "dismiss",
            ProtestState.PENDING,
            ProtestState.DISMISSED,
            gettext_lazy("Dismiss"),
            COMMITTEE,
            timestamp="decided_at",
        ),
    ],
)
