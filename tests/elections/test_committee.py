"""The election committee's members from outside the authority: named and removed by the authority only,
never a candidate of the same election (either way round), unchanged once the election is over; they
then act as the committee (verify candidates) without being officers."""

import pytest
from django.core.exceptions import PermissionDenied

from ngo_platform.core.models import AuditEntry
from ngo_platform.elections import services
from ngo_platform.elections.models import CandidateState, ElectionState
from tests.accounts.factories import UserFactory
from tests.elections.factories import ElectionFactory, candidate, eligible_organisation, officer, representative
from tests.elections.test_views import officer_client
from tests.helpers import get_page

# Services are tested with English messages (matched below); the pages in Polish.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
S = ElectionState


def test_the_authority_names_and_removes_members_and_they_act_as_the_committee(opolskie, mailoutbox):
    election = ElectionFactory(stage=S.VERIFICATION)
    clerk = officer(election.council.authority)
    delegate = UserFactory(email="delegatka@example.pl", full_name="Maria Delegatka")
    nominee = candidate(election, state=CandidateState.CONSENTED)
    assert not delegate.has_perm("elections.act_as_committee", election)
    with pytest.raises(PermissionDenied):
        services.committee_add(actor=delegate, election=election, user=delegate)
    services.committee_add(actor=clerk, election=election, user=delegate)
    assert delegate.has_perm("elections.act_as_committee", election)
    assert not delegate.has_perm("elections.manage_election", election)
    assert mailoutbox[-1].to == ["delegatka@example.pl"] and "/komisja/" in mailoutbox[-1].body
    with pytest.raises(services.ElectionError, match="already"):
        services.committee_add(actor=clerk, election=election, user=delegate)
    # A member from outside verifies a candidate.
    services.candidate_decide(actor=delegate, candidate=nominee, approve=True)
    nominee.refresh_from_db()
    assert nominee.state == CandidateState.VERIFIED and nominee.decided_by == delegate
    with pytest.raises(PermissionDenied):  # a member cannot name others
        services.committee_add(actor=delegate, election=election, user=UserFactory())
    services.committee_remove(actor=clerk, election=election, user=delegate)
    assert not election.committee.exists() and not delegate.has_perm("elections.act_as_committee", election)
    assert list(
        AuditEntry.objects.filter(action__startswith="elections.committee_")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["elections.committee_add", "elections.committee_remove"]


def test_a_candidate_cannot_sit_on_the_committee_nor_a_member_stand(opolskie):
    election = ElectionFactory(stage=S.NOMINATIONS)
    clerk = officer(election.council.authority)
    standing = candidate(election, state=CandidateState.CONSENTED, email="kandydat@example.pl")
    person = UserFactory(email="Kandydat@example.pl")
    with pytest.raises(services.ElectionError, match="candidate in this election"):
        services.committee_add(actor=clerk, election=election, user=person)
    assert standing.pk and not election.committee.exists()
    member = UserFactory(email="czlonkini@example.pl")
    services.committee_add(actor=clerk, election=election, user=member)
    organisation = eligible_organisation()
    with pytest.raises(services.ElectionError, match="sits on the election's committee"):
        services.candidate_nominate(
            actor=representative(organisation),
            election=election,
            organisation=organisation,
            data={
                "email": "CZLONKINI@example.pl",
                "full_name": "Czesława Członkini",
                "qualifications": "Doświadczenie",
            },
        )


def test_the_committee_does_not_change_once_the_election_is_over(opolskie):
    election = ElectionFactory(stage=S.FINAL)
    with pytest.raises(services.ElectionError, match="over"):
        services.committee_add(actor=officer(election.council.authority), election=election, user=UserFactory())


def test_the_page_names_a_member_by_e_mail_and_explains_a_refusal_next_to_the_field(client, opolskie):
    election = ElectionFactory(stage=S.NOMINATIONS)
    url = f"/wybory/{election.slug}/komisja/sklad/"
    outsider = UserFactory(email="z-zewnatrz@example.pl", full_name="Zofia Zewnętrzna")
    client.force_login(outsider)
    assert client.post(url, {"email": outsider.email}).status_code == 403
    officer_client(client, election.council.authority)
    response = client.post(url, {"email": "nikt@example.pl"})
    assert response.status_code == 400 and "Nie ma aktywnego konta" in response.content.decode()
    assert client.post(url, {"email": outsider.email})["Location"] == f"/wybory/{election.slug}/komisja/"
    html = get_page(client, f"/wybory/{election.slug}/komisja/", max_queries=17).content.decode()
    assert "Zofia Zewnętrzna (z-zewnatrz@example.pl)" in html
    client.force_login(outsider)  # now a member: sees the committee's page, without the form to name others
    html = get_page(client, f"/wybory/{election.slug}/komisja/", max_queries=17).content.decode()
    assert "Zofia Zewnętrzna" in html and 'name="email"' not in html
    assert client.post(url, {"remove": outsider.pk}).status_code == 403
    officer_client(client, election.council.authority)
    assert client.post(url, {"remove": outsider.pk}).status_code == 302
    assert not election.committee.exists()
