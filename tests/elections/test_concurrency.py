"""300 organisations voting at once on PostgreSQL, one of them from two representatives at the same instant."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from ngo_platform.accounts.models import OrganisationMembership, OrganisationRole, User
from ngo_platform.core.models import AuditEntry
from ngo_platform.elections import services
from ngo_platform.elections.models import Ballot, ElectionState
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import TerritorialUnit
from tests.elections.factories import ElectionFactory, candidate

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")

ORGANISATIONS = 300
# PostgreSQL allows 100 connections by default and other suites share the server: at most this many at once.
WORKERS = 40


@pytest.mark.django_db(transaction=True)
def test_300_organisations_vote_concurrently_and_a_double_ballot_is_refused(reference_data):
    election = ElectionFactory(stage=ElectionState.VOTING, seats=2)
    chosen = [candidate(election), candidate(election), candidate(election)]
    seat = TerritorialUnit.objects.get(teryt="1601011")
    now = timezone.now()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organizacja {n}", slug=f"organizacja-wyborcza-{n}", seat=seat, verified_at=now)
        for n in range(ORGANISATIONS)
    )
    users = User.objects.bulk_create(User(email=f"glosujacy{n}@example.pl") for n in range(ORGANISATIONS + 1))
    OrganisationMembership.objects.bulk_create(
        OrganisationMembership(user=user, organisation=organisation, role=OrganisationRole.ADMIN)
        for user, organisation in zip(users, organisations)
    )
    # The first organisation has a second admin: both press "Cast the vote" at the same instant.
    OrganisationMembership.objects.create(user=users[-1], organisation=organisations[0], role=OrganisationRole.ADMIN)
    jobs = [(user, organisation) for user, organisation in zip(users, organisations)] + [(users[-1], organisations[0])]
    pair = threading.Barrier(2)

    def cast(job_index):
        user, organisation = jobs[job_index]
        try:
            if organisation.pk == organisations[0].pk:
                pair.wait(timeout=30)
            ballot = services.ballot_cast(
                actor=user,
                election=election,
                organisation=organisation,
                candidate_ids=[chosen[job_index % len(chosen)].pk],
            )
            return ("ok", ballot.receipt)
        except services.ElectionError as error:
            return ("refused", str(error))
        finally:
            connection.close()

    # The pair goes first so that both wait at the barrier together, then all the others.
    order = [0, len(jobs) - 1] + list(range(1, len(jobs) - 1))
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(cast, order))

    refused = [message for status, message in outcomes if status == "refused"]
    assert len(refused) == 1
    assert "already voted" in refused[0] or "już głosowała" in refused[0]
    assert Ballot.objects.filter(election=election).count() == ORGANISATIONS
    assert Ballot.objects.filter(election=election, organisation=organisations[0]).count() == 1
    receipts = {message for status, message in outcomes if status == "ok"}
    assert len(receipts) == ORGANISATIONS
    assert (
        AuditEntry.objects.filter(action="elections.ballot_cast", details__election=election.pk).count()
        == ORGANISATIONS
    )

    election.voting_end = timezone.now()
    election.save(update_fields=["voting_end"])
    officer = User.objects.create(email="komisja@example.pl", is_staff=True)
    election = services.election_transition(actor=officer, election=election, target=ElectionState.RESULTS)
    assert sum(c.votes for c in election.candidates.all()) == ORGANISATIONS
