"""Reads of the elections app, each with the prefetching its page needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, When

from ngo_platform.core.models import AuditEntry
from ngo_platform.core.page_cache import DataVersion
from ngo_platform.elections.models import (
    Ballot,
    Candidate,
    CandidateState,
    Council,
    CouncilMember,
    Election,
    ElectionState,
)
from ngo_platform.organisations.models import Organisation, OrganisationStatus


def election_queryset() -> QuerySet[Election]:
    return Election.objects.select_related("council", "council__authority", "council__authority__unit")


def public_elections() -> QuerySet[Election]:
    """Every election past its draft, newest voting first."""
    return election_queryset().exclude(state=ElectionState.DRAFT)


def elections_managed_by(user) -> QuerySet[Election]:
    """Drafts and running elections of the authorities the person works for (all for platform admins)."""
    if not user.is_authenticated:
        return Election.objects.none()
    queryset = election_queryset()
    if user.is_staff:
        return queryset
    return queryset.filter(Q(council__authority__memberships__user=user) | Q(committee=user)).distinct()


def councils_managed_by(user) -> QuerySet[Council]:
    queryset = Council.objects.select_related("authority")
    if user.is_staff:
        return queryset
    return queryset.filter(authority__memberships__user=user).distinct()


def territory_prefix(election: Election) -> str:
    return election.council.authority.unit.teryt


def eligible_organisations(election: Election) -> QuerySet[Organisation]:
    """Organisations that may nominate and vote: active, listed (and verified if required), of an eligible
    legal form, seated in the authority's territory (or, if the rules say so, active in it)."""
    prefix = territory_prefix(election)
    place = Q(seat__teryt__startswith=prefix)
    if election.eligibility_basis == "seat_or_area":
        # An area inside the territory, or one that covers it (a powiat-wide area for a gmina's council).
        covering = [prefix[:n] for n in (2, 4, 7) if n <= len(prefix)]
        place |= Q(areas__teryt__startswith=prefix) | Q(areas__teryt__in=covering)
    queryset = Organisation.objects.filter(status=OrganisationStatus.ACTIVE, is_listed=True)
    if election.require_verified:
        queryset = queryset.filter(verified_at__isnull=False)
    if election.eligible_legal_forms:
        queryset = queryset.filter(legal_form__in=election.eligible_legal_forms)
    return queryset.filter(pk__in=Organisation.objects.filter(place).values("pk"))


def acting_organisations(*, user, election: Election) -> QuerySet[Organisation]:
    """The eligible organisations this person may nominate and vote for (role allowed by the election)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return (
        eligible_organisations(election)
        .filter(memberships__user=user, memberships__role__in=election.acting_roles)
        .order_by("name", "id")
    )


def published_candidates(election: Election) -> QuerySet[Candidate]:
    return election.candidates.filter(state=CandidateState.VERIFIED).select_related("organisation")


def results(election: Election) -> list[Candidate]:
    """Verified candidates in the order of the count (place, then list order)."""
    return list(published_candidates(election).order_by("rank", "nominated_at", "id"))


@dataclass
class Turnout:
    eligible: int
    voted: int

    @property
    def percent(self) -> float:
        return round(100 * self.voted / self.eligible, 1) if self.eligible else 0.0


def turnout(election: Election) -> Turnout:
    voted = election.ballots.count()
    eligible = (
        election.eligible_count if election.eligible_count is not None else eligible_organisations(election).count()
    )
    return Turnout(eligible=eligible, voted=voted)


def counted_ballots(election: Election) -> QuerySet[Ballot]:
    """The published list: receipt and choices (the organisation is shown only if the voting is open)."""
    queryset = election.ballots.prefetch_related(
        Prefetch("candidates", queryset=Candidate.objects.order_by("full_name"))
    )
    if election.open_voting:
        queryset = queryset.select_related("organisation")
    return queryset.order_by("receipt")


def ballot_by_receipt(election: Election, code: str) -> Ballot | None:
    code = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(code) != 15:
        return None
    formatted = "-".join(code[i : i + 5] for i in range(0, 15, 5))
    return election.ballots.prefetch_related("candidates").filter(receipt=formatted).first()


def ballots_of(*, election: Election, organisations) -> dict[int, Ballot]:
    return {
        ballot.organisation_id: ballot
        for ballot in election.ballots.filter(organisation__in=organisations).prefetch_related("candidates")
    }


def election_audit(election: Election) -> QuerySet[AuditEntry]:
    """Every audit entry of this election: stage changes, nominations, decisions, ballots."""
    return (
        AuditEntry.objects.filter(action__startswith="elections.", details__election=election.pk)
        .select_related("actor", "acting_for_organisation", "acting_for_authority")
        .order_by("-created_at", "-id")
    )


def committee_candidates(election: Election) -> QuerySet[Candidate]:
    return election.candidates.select_related("organisation", "decided_by").annotate(n_ballots=Count("ballots"))


def current_members(council: Council) -> QuerySet[CouncilMember]:
    from django.utils import timezone

    return council.members.filter(term_end__gte=timezone.localdate()).select_related("organisation", "election")


def elections_in_progress(now) -> QuerySet[Election]:
    """Elections in which organisations can act or soon will: nominations open (until their end), or the list
    published and the voting not over (before and during the voting); the nearest deadline first. By the
    dates, so a stage the clock has ended but no page has advanced yet is not shown."""
    nominations = Q(state=ElectionState.NOMINATIONS, nominations_end__gt=now)
    voting = Q(state__in=[ElectionState.LIST_PUBLISHED, ElectionState.VOTING], voting_end__gt=now)
    return (
        election_queryset()
        .filter(nominations | voting)
        .annotate(
            deadline=Case(
                When(state=ElectionState.NOMINATIONS, then=F("nominations_end")),
                default=F("voting_end"),
            )
        )
        .order_by("deadline", "id")
    )


def authority_councils(authority) -> list[Council]:
    """The authority's councils, each with its current members (`current` on each council): two queries (one if there is none)."""
    from django.utils import timezone

    members = CouncilMember.objects.filter(term_end__gte=timezone.localdate()).select_related("organisation")
    return list(
        Council.objects.filter(authority=authority)
        .prefetch_related(Prefetch("members", queryset=members, to_attr="current"))
        .order_by("name", "id")
    )


# The version of what public pages cached for anonymous visitors show of the elections (the home page): bumped
# after a committed change of their state, dates or title (`public_changed_on_commit` in the services).
PUBLIC = DataVersion("elections:public-version")
public_changed_on_commit = PUBLIC.bump_on_commit
