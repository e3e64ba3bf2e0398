"""Counting the votes of a council election: votes per verified candidate, places, the elected, a tie for the last
seat and the council's members. Called by the stage transitions (`workflows.ELECTION`) and the drawing of lots."""

from django.db.models import Count

from ngo_platform.elections import selectors
from ngo_platform.elections.models import Candidate, CandidateState, CouncilMember, Election, TieRule

C = CandidateState


def count_votes(election: Election, now) -> None:
    """Votes per verified candidate, places and the elected; a tie for the last seat is resolved by the
    election's rule (list order now; a drawing of lots later, by `tie_break_record`)."""
    candidates = list(
        election.candidates.filter(state=C.VERIFIED).annotate(n=Count("ballots")).order_by("nominated_at", "id")
    )
    for candidate in candidates:
        candidate.votes = candidate.n
    election.eligible_count = selectors.eligible_organisations(election).count()
    election.counted_at = now
    tied = tied_for_last_seat(election, candidates)
    election.tie_pending = bool(tied) and election.tie_rule == TieRule.LOTS
    place(election, candidates, tie_order=None)


def ordered(election: Election, candidates: list[Candidate], tie_order: list[int] | None) -> list[Candidate]:
    position = {pk: n for n, pk in enumerate(tie_order or [])}
    # Python's sort is stable: equal votes keep the list order unless the drawn order says otherwise.
    return sorted(candidates, key=lambda c: (-c.votes, position.get(c.pk, 0)))


def tied_for_last_seat(election: Election, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates with as many votes as the last seat's, when there are more of them than seats left."""
    ordered = sorted(candidates, key=lambda c: -c.votes)
    if len(ordered) <= election.seats:
        return []
    last = ordered[election.seats - 1].votes
    if last == 0:
        return []
    same = [c for c in ordered if c.votes == last]
    above = sum(1 for c in ordered if c.votes > last)
    return same if len(same) > election.seats - above else []


def place(election: Election, candidates: list[Candidate], tie_order: list[int] | None) -> None:
    """Write places and the elected. Equal votes share a place, except within a tie for the last seat that
    the rule resolved. A candidate without votes is not elected (the seat stays vacant for a by-election).
    While a drawing of lots is pending, the tied share a place and none of them is elected yet."""
    tied = {c.pk for c in tied_for_last_seat(election, candidates)}
    pending = tied if election.tie_pending else set()
    resolved = set() if pending else tied
    previous = None
    for index, candidate in enumerate(ordered(election, candidates, tie_order), start=1):
        shares = (
            previous is not None
            and candidate.votes == previous.votes
            and not (candidate.pk in resolved and previous.pk in resolved)
        )
        candidate.rank = previous.rank if shares else index
        candidate.elected = index <= election.seats and candidate.votes > 0 and candidate.pk not in pending
        candidate.save(update_fields=["votes", "rank", "elected"])
        previous = candidate


def council_update(election: Election) -> None:
    """Enter the elected into the council's member list."""
    for candidate in election.candidates.filter(elected=True).select_related("organisation"):
        CouncilMember.objects.get_or_create(
            candidate=candidate,
            defaults={
                "council": election.council,
                "election": election,
                "full_name": candidate.full_name,
                "organisation": candidate.organisation,
                "term_start": election.term_start,
                "term_end": election.term_end,
            },
        )
