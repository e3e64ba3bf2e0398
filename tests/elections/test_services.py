"""The election's services: stages, nominations, consent, verification, voting, counting, ties, protests."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.core.models import AuditEntry
from ngo_platform.elections import selectors, services
from ngo_platform.elections.models import (
    Ballot,
    CandidateState,
    CouncilMember,
    ElectionState,
    ProtestState,
    TieRule,
)
from ngo_platform.elections.services import ElectionError
from ngo_platform.organisations.models import LegalForm, OrganisationStatus
from ngo_platform.territory.models import TerritorialUnit
from tests.accounts.factories import UserFactory
from tests.elections.factories import (
    CouncilFactory,
    ElectionFactory,
    candidate,
    eligible_organisation,
    officer,
    representative,
    term,
)
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
S = ElectionState


# --- Creating and stages --------------------------------------------------------------------


def test_officer_creates_a_draft_with_seven_days_of_voting_by_default(opolskie):
    council = services.council_create(actor=officer(opolskie), authority=opolskie, name="Rada Pożytku WO")
    actor = officer(opolskie)
    start = timezone.now() + timedelta(days=1)
    election = services.election_create(
        actor=actor,
        council=council,
        data={
            "title": "Wybory do RDPP WO",
            "term_start": term()[0].isoformat(),
            "term_end": term()[1].isoformat(),
            "seats": 9,
            "nominations_start": start,
            "nominations_end": start + timedelta(days=14),
            "voting_start": start + timedelta(days=21),
        },
    )
    assert election.state == S.DRAFT
    assert election.voting_end - election.voting_start == timedelta(days=7)
    assert (election.choices_per_ballot, election.nominations_per_organisation, election.acting_role) == (1, 1, "admin")
    entry = AuditEntry.objects.get(action="elections.election_create")
    assert entry.actor == actor and entry.acting_for == opolskie and entry.details["election"] == election.pk


def test_only_officers_of_the_council_authority_create_elections(opolskie, gmina_brzeg):
    council = CouncilFactory()
    with pytest.raises(PermissionDenied):
        services.election_create(actor=officer(gmina_brzeg), council=council, data={"title": "x"})
    with pytest.raises(PermissionDenied):
        services.council_create(actor=UserFactory(), authority=opolskie, name="Rada")


def test_timeline_out_of_order_is_refused(opolskie):
    now = timezone.now()
    with pytest.raises(ElectionError):
        services.election_create(
            actor=officer(opolskie),
            council=CouncilFactory(),
            data={
                "title": "Zła",
                "term_start": term()[0].isoformat(),
                "term_end": term()[1].isoformat(),
                "nominations_start": now,
                "nominations_end": now + timedelta(days=5),
                "voting_start": now + timedelta(days=2),
            },
        )


def test_stages_follow_the_declared_table_only(opolskie):
    election = ElectionFactory(stage=S.DRAFT)
    actor = officer(opolskie)
    with pytest.raises(ElectionError, match="nie mogą przejść|cannot move"):
        services.election_transition(actor=actor, election=election, target=S.VOTING)
    services.election_transition(actor=actor, election=election, target=S.NOMINATIONS)
    election.refresh_from_db()
    assert election.state == S.NOMINATIONS
    assert AuditEntry.objects.filter(action="elections.stage_nominations", actor=actor).exists()


def test_stage_times_are_enforced_by_the_server(opolskie):
    actor = officer(opolskie)
    election = ElectionFactory(stage=S.NOMINATIONS)
    with pytest.raises(ElectionError):
        services.election_transition(actor=actor, election=election, target=S.VERIFICATION)
    election = ElectionFactory(stage=S.LIST_PUBLISHED)
    with pytest.raises(ElectionError):
        services.election_transition(actor=actor, election=election, target=S.VOTING)
    election = ElectionFactory(stage=S.VOTING)
    with pytest.raises(ElectionError):
        services.election_transition(actor=actor, election=election, target=S.RESULTS)
    election.refresh_from_db()
    assert election.state == S.VOTING


def test_other_people_cannot_change_stages(opolskie, gmina_brzeg):
    election = ElectionFactory(stage=S.DRAFT)
    for person in (UserFactory(), officer(gmina_brzeg), representative(eligible_organisation())):
        with pytest.raises(PermissionDenied):
            services.election_transition(actor=person, election=election, target=S.NOMINATIONS)


def test_cancelling_needs_a_reason(opolskie):
    election = ElectionFactory(stage=S.NOMINATIONS)
    with pytest.raises(ElectionError):
        services.election_transition(actor=officer(opolskie), election=election, target=S.CANCELLED)
    services.election_transition(
        actor=officer(opolskie), election=election, target=S.CANCELLED, reason="Błąd w ogłoszeniu"
    )
    election.refresh_from_db()
    assert election.state == S.CANCELLED


def test_the_clock_advances_due_stages_and_counts(opolskie):
    election = ElectionFactory(stage=S.VOTING)
    winner = candidate(election)
    ballot_for(election, winner)
    election.voting_end = timezone.now() - timedelta(seconds=1)
    election.save()
    election = services.election_advance_due(election=election)
    assert election.state == S.RESULTS
    winner.refresh_from_db()
    assert winner.votes == 1 and winner.elected
    entry = AuditEntry.objects.get(action="elections.stage_results")
    assert entry.actor is None


def test_list_publication_needs_every_consenting_candidate_decided(opolskie):
    election = ElectionFactory(stage=S.VERIFICATION)
    waiting = candidate(election, state=CandidateState.CONSENTED)
    actor = officer(opolskie)
    with pytest.raises(ElectionError, match="Zweryfikuj|Verify"):
        services.election_transition(actor=actor, election=election, target=S.LIST_PUBLISHED)
    services.candidate_decide(actor=actor, candidate=waiting, approve=True)
    silent = candidate(election, state=CandidateState.AWAITING_CONSENT)
    services.election_transition(actor=actor, election=election, target=S.LIST_PUBLISHED)
    silent.refresh_from_db()
    assert silent.state == CandidateState.WITHDRAWN


# --- Eligibility ----------------------------------------------------------------------------


def test_eligibility_follows_territory_form_verification_and_status(reference_data):
    election = ElectionFactory()
    inside = eligible_organisation()
    unverified = OrganisationFactory(verified_at=None)
    struck_off = eligible_organisation(status=OrganisationStatus.STRUCK_OFF)
    elsewhere = (
        eligible_organisation(
            seat=TerritorialUnit.objects.filter(level="gmina").exclude(teryt__startswith="16").first()
        )
        if TerritorialUnit.objects.filter(level="gmina").exclude(teryt__startswith="16").exists()
        else None
    )
    eligible = set(selectors.eligible_organisations(election))
    assert inside in eligible and unverified not in eligible and struck_off not in eligible
    if elsewhere:
        assert elsewhere not in eligible
    election.eligible_legal_forms = [LegalForm.FOUNDATION]
    assert inside not in set(selectors.eligible_organisations(election))
    election.eligible_legal_forms, election.require_verified = [], False
    assert unverified in set(selectors.eligible_organisations(election))


def test_a_gmina_council_admits_organisations_active_there_when_the_rules_say_so(gmina_brzeg):
    from ngo_platform.elections.models import Council

    council = Council.objects.create(authority=gmina_brzeg, name="Rada Brzeg", slug="rada-brzeg")
    election = ElectionFactory(council=council)
    active = eligible_organisation(seat=TerritorialUnit.objects.get(teryt="1661011"))
    active.areas.add(TerritorialUnit.objects.get(teryt="1601"))
    assert active in set(selectors.eligible_organisations(election))
    election.eligibility_basis = "seat"
    assert active not in set(selectors.eligible_organisations(election))


# --- Nominations ----------------------------------------------------------------------------

NOMINEE = {
    "full_name": "Ewa Lis",
    "email": "Ewa.Lis@example.pl",
    "qualifications": "20 lat w NGO",
    "statement": "Chcę pomóc",
}


def test_representative_nominates_and_the_candidate_gets_a_consent_link(opolskie):
    election = ElectionFactory(stage=S.NOMINATIONS)
    organisation = eligible_organisation()
    actor = representative(organisation)
    nominee = services.candidate_nominate(actor=actor, election=election, organisation=organisation, data=NOMINEE)
    assert nominee.state == CandidateState.AWAITING_CONSENT and nominee.email == "ewa.lis@example.pl"
    assert mail.outbox[-1].to == ["ewa.lis@example.pl"]
    assert f"/wybory/zgoda/{nominee.consent_token}/" in mail.outbox[-1].body
    entry = AuditEntry.objects.get(action="elections.candidate_nominate")
    assert entry.acting_for == organisation and entry.actor == actor


def test_nomination_limit_per_organisation_is_a_setting(opolskie):
    election = ElectionFactory(stage=S.NOMINATIONS, nominations_per_organisation=1)
    organisation = eligible_organisation()
    actor = representative(organisation)
    services.candidate_nominate(actor=actor, election=election, organisation=organisation, data=NOMINEE)
    with pytest.raises(ElectionError, match="zgłosiła już|already nominated"):
        services.candidate_nominate(
            actor=actor, election=election, organisation=organisation, data={**NOMINEE, "email": "b@example.pl"}
        )
    election.nominations_per_organisation = 2
    election.save()
    services.candidate_nominate(
        actor=actor, election=election, organisation=organisation, data={**NOMINEE, "email": "b@example.pl"}
    )
    assert election.candidates.count() == 2


def test_nominations_refused_outside_their_window_and_for_wrong_people(opolskie):
    organisation = eligible_organisation()
    admin = representative(organisation)
    closed = ElectionFactory(stage=S.VERIFICATION)
    with pytest.raises(ElectionError):
        services.candidate_nominate(actor=admin, election=closed, organisation=organisation, data=NOMINEE)
    election = ElectionFactory(stage=S.NOMINATIONS)
    editor = representative(organisation, role=OrganisationRole.EDITOR)
    with pytest.raises(ElectionError, match="rola|role"):
        services.candidate_nominate(actor=editor, election=election, organisation=organisation, data=NOMINEE)
    stranger = UserFactory()
    with pytest.raises(ElectionError):
        services.candidate_nominate(actor=stranger, election=election, organisation=organisation, data=NOMINEE)
    unverified = OrganisationFactory(verified_at=None)
    with pytest.raises(ElectionError, match="uprawniona|not eligible"):
        services.candidate_nominate(
            actor=representative(unverified), election=election, organisation=unverified, data=NOMINEE
        )
    election.acting_role = "any"
    election.save()
    services.candidate_nominate(actor=editor, election=election, organisation=organisation, data=NOMINEE)
    assert election.candidates.count() == 1


def test_consent_once_and_decline(opolskie):
    election = ElectionFactory(stage=S.NOMINATIONS)
    nominee = candidate(election, state=CandidateState.AWAITING_CONSENT)
    services.candidate_consent(candidate=nominee, agree=True)
    nominee.refresh_from_db()
    assert nominee.state == CandidateState.CONSENTED and nominee.consented_at
    with pytest.raises(ElectionError):
        services.candidate_consent(candidate=nominee, agree=False)
    other = candidate(election, state=CandidateState.AWAITING_CONSENT)
    services.candidate_consent(candidate=other, agree=False)
    other.refresh_from_db()
    assert other.state == CandidateState.WITHDRAWN


def test_committee_verifies_or_rejects_with_a_reason(opolskie):
    election = ElectionFactory(stage=S.VERIFICATION)
    nominee = candidate(election, state=CandidateState.CONSENTED)
    member = UserFactory()
    election.committee.add(member)
    with pytest.raises(ElectionError, match="uzasadnienie|reason"):
        services.candidate_decide(actor=member, candidate=nominee, approve=False)
    services.candidate_decide(actor=member, candidate=nominee, approve=False, reason="Brak rekomendacji")
    nominee.refresh_from_db()
    assert nominee.state == CandidateState.REJECTED and nominee.reason == "Brak rekomendacji"
    with pytest.raises(ElectionError):
        services.candidate_decide(actor=member, candidate=nominee, approve=True)
    not_consented = candidate(election, state=CandidateState.AWAITING_CONSENT)
    with pytest.raises(ElectionError, match="zgody|consented"):
        services.candidate_decide(actor=member, candidate=not_consented, approve=True)


def test_only_the_committee_decides_on_candidates(opolskie, gmina_brzeg):
    election = ElectionFactory(stage=S.VERIFICATION)
    nominee = candidate(election, state=CandidateState.CONSENTED)
    for person in (UserFactory(), officer(gmina_brzeg), representative(nominee.organisation)):
        with pytest.raises(PermissionDenied):
            services.candidate_decide(actor=person, candidate=nominee, approve=True)


# --- Voting ---------------------------------------------------------------------------------


def ballot_for(election, *chosen, organisation=None):
    organisation = organisation or eligible_organisation()
    return services.ballot_cast(
        actor=representative(organisation),
        election=election,
        organisation=organisation,
        candidate_ids=[c.pk for c in chosen],
    )


def test_a_ballot_gets_a_receipt_and_is_audited(opolskie):
    election = ElectionFactory(stage=S.VOTING)
    chosen = candidate(election)
    organisation = eligible_organisation()
    actor = representative(organisation)
    ballot = services.ballot_cast(actor=actor, election=election, organisation=organisation, candidate_ids=[chosen.pk])
    assert len(ballot.receipt) == 17 and list(ballot.candidates.all()) == [chosen]
    entry = AuditEntry.objects.get(action="elections.ballot_cast")
    assert (entry.actor, entry.acting_for, entry.details["organisation"]) == (actor, organisation, organisation.name)
    # The log says who voted for which organisation and when; never the receipt or the choice, which are
    # published together after the count and would otherwise name each organisation's vote.
    assert ballot.receipt not in str(entry.details) + entry.target_repr and chosen.full_name not in str(entry.details)
    assert list(selectors.election_audit(election)) == [entry]


def test_second_ballot_of_an_organisation_is_refused_clearly(opolskie):
    election = ElectionFactory(stage=S.VOTING)
    chosen = candidate(election)
    organisation = eligible_organisation()
    first, second = representative(organisation), representative(organisation)
    services.ballot_cast(actor=first, election=election, organisation=organisation, candidate_ids=[chosen.pk])
    with pytest.raises(ElectionError, match="już głos|already voted"):
        services.ballot_cast(actor=second, election=election, organisation=organisation, candidate_ids=[chosen.pk])
    assert Ballot.objects.filter(election=election).count() == 1


def test_the_database_holds_one_ballot_per_organisation_even_behind_the_service(opolskie):
    election = ElectionFactory(stage=S.VOTING)
    organisation = eligible_organisation()
    voter = representative(organisation)
    Ballot.objects.create(election=election, organisation=organisation, cast_by=voter, cast_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(election=election, organisation=organisation, cast_by=voter, cast_at=timezone.now())


def test_a_changeable_ballot_keeps_its_receipt_until_the_window_closes(opolskie):
    election = ElectionFactory(stage=S.VOTING, ballot_changeable=True)
    a, b = candidate(election), candidate(election)
    organisation = eligible_organisation()
    actor = representative(organisation)
    ballot = services.ballot_cast(actor=actor, election=election, organisation=organisation, candidate_ids=[a.pk])
    again = services.ballot_cast(actor=actor, election=election, organisation=organisation, candidate_ids=[b.pk])
    assert again.pk == ballot.pk and again.receipt == ballot.receipt and list(again.candidates.all()) == [b]
    assert AuditEntry.objects.filter(action="elections.ballot_change").count() == 1


def test_a_ballot_one_second_after_the_window_closes_is_refused_and_nothing_is_stored(opolskie):
    election = ElectionFactory(stage=S.VOTING)
    chosen = candidate(election)
    election.voting_end = timezone.now() - timedelta(seconds=1)
    election.save()
    organisation = eligible_organisation()
    entries = AuditEntry.objects.count()
    with pytest.raises(ElectionError, match="zakończyło się|closed"):
        services.ballot_cast(
            actor=representative(organisation), election=election, organisation=organisation, candidate_ids=[chosen.pk]
        )
    assert not Ballot.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_ballot_before_the_window_opens_is_refused(opolskie):
    election = ElectionFactory(stage=S.LIST_PUBLISHED)
    chosen = candidate(election)
    with pytest.raises(ElectionError, match="nie jest teraz otwarte|not open"):
        ballot_for(election, chosen)
    assert not Ballot.objects.exists()


def test_ballot_content_is_validated(opolskie):
    election = ElectionFactory(stage=S.VOTING, choices_per_ballot=1)
    a, b = candidate(election), candidate(election)
    rejected = candidate(election, state=CandidateState.REJECTED, reason="x")
    other_election = candidate(ElectionFactory(stage=S.VOTING))
    for chosen, message in (
        ((), "Wybierz|Choose"),
        ((a, b), "co najwyżej|at most"),
        ((rejected,), "opublikowanej|published"),
        ((other_election,), "opublikowanej|published"),
    ):
        with pytest.raises(ElectionError, match=message):
            ballot_for(election, *chosen)
    assert not Ballot.objects.exists()


def test_only_allowed_representatives_vote(opolskie):
    election = ElectionFactory(stage=S.VOTING)
    chosen = candidate(election)
    organisation = eligible_organisation()
    editor = representative(organisation, role=OrganisationRole.EDITOR)
    for person in (editor, UserFactory(), representative(eligible_organisation())):
        with pytest.raises(ElectionError):
            services.ballot_cast(actor=person, election=election, organisation=organisation, candidate_ids=[chosen.pk])
    assert not Ballot.objects.exists()


# --- Counting, ties, results, protests, final -----------------------------------------------


def counted(election, actor):
    election.voting_end = timezone.now() - timedelta(seconds=1)
    election.save()
    return services.election_transition(actor=actor, election=election, target=S.RESULTS)


def test_seats_go_by_votes_and_zero_votes_elect_nobody(opolskie):
    actor = officer(opolskie)
    election = ElectionFactory(stage=S.VOTING, seats=3, choices_per_ballot=2)
    a, b, c = candidate(election), candidate(election), candidate(election)
    ballot_for(election, a, b)
    ballot_for(election, a)
    counted(election, actor)
    for x in (a, b, c):
        x.refresh_from_db()
    assert (a.votes, b.votes, c.votes) == (2, 1, 0)
    assert (a.rank, b.rank, c.rank) == (1, 2, 3)
    assert (a.elected, b.elected, c.elected) == (True, True, False)


def test_a_tie_for_the_last_seat_waits_for_a_recorded_drawing_of_lots(opolskie):
    actor = officer(opolskie)
    election = ElectionFactory(stage=S.VOTING, seats=2, tie_rule=TieRule.LOTS)
    a, b, c = candidate(election), candidate(election), candidate(election)
    ballot_for(election, a)
    ballot_for(election, a)
    ballot_for(election, b)
    ballot_for(election, c)
    election = counted(election, actor)
    assert election.tie_pending
    b.refresh_from_db()
    c.refresh_from_db()
    assert b.rank == c.rank == 2 and not b.elected and not c.elected
    with pytest.raises(ElectionError, match="losowania|drawing"):
        services.election_transition(actor=actor, election=election, target=S.PROTESTS)
    with pytest.raises(ElectionError, match="świadków|witnesses"):
        services.tie_break_record(actor=actor, election=election, order=[c.pk, b.pk], witnesses="Jan Nowak")
    with pytest.raises(ElectionError):
        services.tie_break_record(actor=actor, election=election, order=[c.pk, a.pk], witnesses="Jan Nowak\nEwa Lis")
    with pytest.raises(PermissionDenied):
        services.tie_break_record(actor=UserFactory(), election=election, order=[c.pk, b.pk], witnesses="A\nB")
    services.tie_break_record(actor=actor, election=election, order=[c.pk, b.pk], witnesses="Jan Nowak\nEwa Lis")
    b.refresh_from_db()
    c.refresh_from_db()
    assert (c.rank, c.elected, b.rank, b.elected) == (2, True, 3, False)
    entry = AuditEntry.objects.get(action="elections.tie_break_record")
    assert entry.details["witnesses"] == ["Jan Nowak", "Ewa Lis"]


def test_a_tie_by_list_order_is_resolved_at_once(opolskie):
    election = ElectionFactory(stage=S.VOTING, seats=1, tie_rule=TieRule.LIST_ORDER)
    a, b = candidate(election), candidate(election)
    ballot_for(election, b)
    ballot_for(election, a)
    election = counted(election, officer(opolskie))
    a.refresh_from_db()
    b.refresh_from_db()
    assert not election.tie_pending and a.elected and not b.elected and (a.rank, b.rank) == (1, 2)


def test_results_protests_and_final_update_the_council(opolskie):
    actor = officer(opolskie)
    election = ElectionFactory(stage=S.VOTING, seats=1, protest_days=3)
    a = candidate(election)
    candidate(election)  # a second candidate, without votes
    organisation = eligible_organisation()
    ballot_for(election, a, organisation=organisation)
    election = counted(election, actor)
    election = services.election_transition(actor=actor, election=election, target=S.PROTESTS)
    assert election.protests_end - election.results_published_at == timedelta(days=3)
    protester = representative(organisation)
    with pytest.raises(ElectionError):
        services.protest_submit(actor=protester, election=election, organisation=organisation, text=" ")
    protest = services.protest_submit(
        actor=protester, election=election, organisation=organisation, text="Nie dostaliśmy zgody"
    )
    with pytest.raises(ElectionError, match="zgłaszać|Protests"):
        services.election_transition(actor=actor, election=election, target=S.FINAL)
    election.protests_end = timezone.now() - timedelta(seconds=1)
    election.save()
    with pytest.raises(ElectionError, match="protest"):
        services.election_transition(actor=actor, election=election, target=S.FINAL)
    with pytest.raises(PermissionDenied):
        services.protest_decide(actor=protester, protest=protest, upheld=False, decision="x")
    with pytest.raises(ElectionError):
        services.protest_decide(actor=actor, protest=protest, upheld=False, decision="")
    services.protest_decide(actor=actor, protest=protest, upheld=False, decision="Zgoda była w systemie")
    protest.refresh_from_db()
    assert protest.state == ProtestState.DISMISSED
    services.election_transition(actor=actor, election=election, target=S.FINAL)
    members = list(CouncilMember.objects.filter(council=election.council))
    assert [m.full_name for m in members] == [a.full_name]
    assert members[0].term_end == election.term_end
    with pytest.raises(ElectionError):
        services.protest_submit(actor=protester, election=election, organisation=organisation, text="Za późno")


def test_an_upheld_protest_keeps_the_result_from_becoming_final(opolskie):
    actor = officer(opolskie)
    election = ElectionFactory(stage=S.VOTING, seats=1, protest_days=3)
    candidate(election)
    organisation = eligible_organisation()
    election = counted(election, actor)
    election = services.election_transition(actor=actor, election=election, target=S.PROTESTS)
    protest = services.protest_submit(
        actor=representative(organisation), election=election, organisation=organisation, text="Głosowano po terminie"
    )
    services.protest_decide(actor=actor, protest=protest, upheld=True, decision="Protest zasadny")
    election.protests_end = timezone.now() - timedelta(seconds=1)
    election.save()
    with pytest.raises(ElectionError, match="upheld|uwzględni"):
        services.election_transition(actor=actor, election=election, target=S.FINAL)
    election.refresh_from_db()
    assert election.state == S.PROTESTS and not CouncilMember.objects.filter(council=election.council).exists()
    services.election_transition(actor=actor, election=election, target=S.CANCELLED, reason="Protest uwzględniony")
    election.refresh_from_db()
    assert election.state == S.CANCELLED


def test_every_stage_change_and_ballot_is_in_the_election_audit(opolskie):
    actor = officer(opolskie)
    election = ElectionFactory(stage=S.VOTING, seats=1)
    a = candidate(election)
    ballot_for(election, a)
    counted(election, actor)
    actions = [entry.action for entry in selectors.election_audit(election)]
    assert actions == ["elections.stage_results", "elections.ballot_cast"]


def test_the_advance_command_closes_due_stages_only(opolskie):
    from io import StringIO

    from django.core.management import call_command

    due = ElectionFactory(stage=S.NOMINATIONS)
    due.nominations_end = timezone.now() - timedelta(seconds=1)
    due.save()
    running = ElectionFactory(stage=S.VOTING)
    out = StringIO()
    call_command("elections_advance", stdout=out)
    due.refresh_from_db()
    running.refresh_from_db()
    assert (due.state, running.state) == (S.VERIFICATION, S.VOTING)
    assert "1" in out.getvalue()
