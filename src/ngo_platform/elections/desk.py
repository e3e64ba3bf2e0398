"""What waits on the desk (`core.desk`) in council elections: for a representative of an eligible organisation
(in the role the election lets act, `elections.act_for_organisation`), the nominations open while one of their
organisations may still nominate, and the voting open while one of them has not voted.

The organisations each election lets the person act for come from `selectors.acting_organisations`, the reading
the rule itself makes, for all the elections at once (one query: a union of one reading per election), so the
desk asks it without one query per election. Then the nominations (one) and the ballots (one) of those
organisations.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, Q, Value
from django.urls import reverse
from django.utils.translation import gettext as _

from ngo_platform.core.desk import DeskItem, Person
from ngo_platform.elections import selectors
from ngo_platform.elections.models import Ballot, Candidate, CandidateState, ElectionState

S = ElectionState


def items(person: Person) -> list[DeskItem]:
    if not person.organisations:
        return []
    now = person.now
    nominating = Q(state=S.NOMINATIONS, nominations_start__lte=now, nominations_end__gt=now)
    voting = Q(state=S.VOTING, voting_start__lte=now, voting_end__gt=now)
    elections = list(selectors.election_queryset().filter(nominating | voting).order_by("pk"))
    acting = _acting(person, elections)
    if not acting:
        return []
    organisations = {pk for pks in acting.values() for pk in pks}
    nominations = (
        Candidate.objects.filter(election__in=list(acting), organisation_id__in=organisations)
        .exclude(state__in=[CandidateState.REJECTED, CandidateState.WITHDRAWN])
        .values("election_id", "organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("election_id", "organisation_id", "n")
    )
    nominated = {(election_id, organisation_id): n for election_id, organisation_id, n in nominations}
    voted = set(
        Ballot.objects.filter(election__in=list(acting), organisation_id__in=organisations).values_list(
            "election_id", "organisation_id"
        )
    )
    found = []
    for election in elections:
        mine = acting.get(election.pk, [])
        if election.state == S.NOMINATIONS:
            free = [o for o in mine if nominated.get((election.pk, o), 0) < election.nominations_per_organisation]
            if free:
                url = reverse("elections:nominate", kwargs={"slug": election.slug})
                found.append(
                    DeskItem(
                        "elections.nominate",
                        _("Candidates to nominate"),
                        election.title,
                        url,
                        election.nominations_end,
                        election.council.name,
                    )
                )
        elif [o for o in mine if (election.pk, o) not in voted]:
            url = reverse("elections:vote", kwargs={"slug": election.slug})
            found.append(
                DeskItem(
                    "elections.vote", _("Vote to cast"), election.title, url, election.voting_end, election.council.name
                )
            )
    return found


def _acting(person: Person, elections) -> dict[int, list[int]]:
    """Election id → the organisations the person may act for in it (`selectors.acting_organisations`)."""
    if not elections:
        return {}
    readings = [
        selectors.acting_organisations(user=person.user, election=election)
        .order_by()
        .annotate(election_pk=Value(election.pk, output_field=IntegerField()))
        .values_list("election_pk", "pk")
        for election in elections
    ]
    acting: dict[int, list[int]] = {}
    for election_pk, organisation_pk in readings[0].union(*readings[1:], all=True):
        acting.setdefault(election_pk, []).append(organisation_pk)
    return acting
