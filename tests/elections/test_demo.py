from io import StringIO

import pytest
from django.core.management import call_command

from ngo_platform.elections.models import Ballot, CouncilMember, Election, ElectionState

pytestmark = pytest.mark.django_db


def test_demo_has_a_voting_election_and_a_final_one_with_its_protocol(client, reference_data):
    call_command("seed_demo", stdout=StringIO())
    counts = (Election.objects.count(), Ballot.objects.count(), CouncilMember.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Election.objects.count(), Ballot.objects.count(), CouncilMember.objects.count()) == counts
    voting = Election.objects.get(state=ElectionState.VOTING)
    final = Election.objects.get(state=ElectionState.FINAL)
    assert voting.ballots.count() == 10 and final.ballots.count() == 43 and CouncilMember.objects.count() == 3
    response = client.get(f"/wybory/{final.slug}/protokol.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.post("/konto/login/", {"login": "ngo@demo.ngo-platform.pl", "password": "Demo-NGO-2026!"})
    assert client.get(f"/wybory/{voting.slug}/glosuj/").status_code == 200
