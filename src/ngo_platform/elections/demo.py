"""Demo elections for `ngo-platform seed_demo` (idempotent).

The Public Benefit Council of the Opole voivodeship with two elections:
- a finished one (past dates, final, with its protocol at /wybory/<slug>/protokol.pdf and the council's
  members entered), stored as history: the services refuse past dates, so its data are written directly,
  counted by the same code the services use, and the seeding is audited;
- a by-election in its voting stage (voting opened two days before seeding, closes five days after), with
  ten ballots already cast through `services.ballot_cast`; the demo NGO account (ngo@…) can still vote
  for its association, and the demo officer (urzednik@…) is its committee.

Demo organisations are not verified on the platform, so both elections admit unverified ones
(`require_verified=False`, one of the election's settings).
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ngo_platform.accounts.demo import demo_name
from ngo_platform.accounts.models import OrganisationMembership, OrganisationRole, User
from ngo_platform.accounts.services import organisation_membership_set
from ngo_platform.core.services import audit_log
from ngo_platform.core.workflow import perform
from ngo_platform.elections import selectors, services
from ngo_platform.elections.models import (
    Ballot,
    Candidate,
    CandidateState,
    Council,
    Election,
    ElectionKind,
    ElectionState,
)
from ngo_platform.elections.workflows import ELECTION
from ngo_platform.territory.models import Authority

WARSAW = ZoneInfo("Europe/Warsaw")
COUNCIL_SLUG = "rdpp-wojewodztwa-opolskiego"
FINISHED_SLUG = "rdpp-wo-iv-kadencja-demo"
VOTING_SLUG = "rdpp-wo-wybory-uzupelniajace-demo"
DEMO_VOTER = "glosy-demo@demo.ngo-platform.pl"
DEMO_NGO_SLUG = "stowarzyszenie-przyjaciol-ziemi-brzeskiej"

# (full name, qualifications, votes in the finished election)
FINISHED_CANDIDATES = [
    ("Halina Kowalczyk", "Prezeska stowarzyszenia seniorów, 12 lat w radzie gminy ds. polityki społecznej.", 14),
    ("Marek Wójcik", "Koordynator wolontariatu, trener organizacji pozarządowych.", 11),
    ("Agnieszka Lewandowska", "Księgowa organizacji pożytku publicznego, członkini komisji konkursowych.", 9),
    ("Tomasz Kamiński", "Prezes klubu sportowego, organizator biegów szkolnych.", 6),
    ("Barbara Dudek", "Animatorka kultury, prowadzi koło gospodyń wiejskich.", 3),
]
VOTING_CANDIDATES = [
    ("Joanna Mazur", "Prawniczka, doradza organizacjom w sprawach statutów i sprawozdań."),
    ("Krzysztof Zając", "Ratownik OSP, prowadzi młodzieżową drużynę pożarniczą."),
    ("Ewa Pawlak", "Pedagożka, działa na rzecz osób z niepełnosprawnościami."),
]


def _at(year, month, day, hour=12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=WARSAW)


def _voters(election: Election, *, exclude: list[int], count: int):
    return list(selectors.eligible_organisations(election).exclude(pk__in=exclude).order_by("pk")[:count])


@transaction.atomic
def seed() -> list:
    authority = Authority.objects.filter(unit__teryt="16").first()
    if authority is None:
        return []
    council, _ = Council.objects.get_or_create(
        slug=COUNCIL_SLUG,
        defaults={"authority": authority, "name": "Rada Działalności Pożytku Publicznego Województwa Opolskiego"},
    )
    voter, created = User.objects.get_or_create(
        email=DEMO_VOTER,
        defaults={"display_name": "Głosy demonstracyjne", "is_active": True, "password": make_password(None)},
    )
    if not Election.objects.filter(slug=FINISHED_SLUG).exists():
        _finished(council, voter)
    if not Election.objects.filter(slug=VOTING_SLUG).exists():
        _voting(council)
    return []


def _finished(council: Council, voter: User) -> None:
    election = Election.objects.create(
        council=council,
        slug=FINISHED_SLUG,
        title="Wybory do RDPP Województwa Opolskiego – IV kadencja (demo)",
        description="Wybory zakończone, z protokołem i listą policzonych głosów.",
        term_start=date(2024, 7, 1),
        term_end=date(2026, 6, 30),
        seats=3,
        require_verified=False,
        nominations_start=_at(2024, 5, 1),
        nominations_end=_at(2024, 5, 15),
        voting_start=_at(2024, 6, 1),
        voting_end=_at(2024, 6, 8),
        state=ElectionState.VOTING,
    )
    nominators = _voters(election, exclude=[], count=len(FINISHED_CANDIDATES))
    candidates = [
        Candidate.objects.create(
            election=election,
            organisation=organisation,
            full_name=name,
            email=f"kandydat{n}@demo.ngo-platform.pl",
            qualifications=qualifications,
            state=CandidateState.VERIFIED,
            nominated_by=voter,
            consented_at=_at(2024, 5, 10),
            decided_at=_at(2024, 5, 20),
        )
        for n, (organisation, (name, qualifications, _)) in enumerate(zip(nominators, FINISHED_CANDIDATES), start=1)
    ]
    needed = sum(votes for *_, votes in FINISHED_CANDIDATES)
    organisations = iter(_voters(election, exclude=[], count=needed))
    cast_at = _at(2024, 6, 3)
    for candidate, (*_, votes) in zip(candidates, FINISHED_CANDIDATES):
        for _ in range(votes):
            organisation = next(organisations, None)
            if organisation is None:
                break
            ballot = Ballot.objects.create(election=election, organisation=organisation, cast_by=voter, cast_at=cast_at)
            ballot.candidates.add(candidate)
    # The stages after the voting, through the engine, at the moments they took place.
    for stage, moment in ((ElectionState.RESULTS, _at(2024, 6, 8, 13)), (ElectionState.PROTESTS, _at(2024, 6, 9))):
        perform(ELECTION, election, stage, actor=None, now=moment)
    perform(ELECTION, election, ElectionState.FINAL, actor=None, now=election.protests_end + timedelta(days=1))
    audit_log(
        actor=None, action="elections.demo_seed", target=election, details={"election": election.pk, "state": "final"}
    )


def _voting(council: Council) -> None:
    now = timezone.now()
    election = Election.objects.create(
        council=council,
        slug=VOTING_SLUG,
        kind=ElectionKind.BY_ELECTION,
        title="Wybory uzupełniające do RDPP Województwa Opolskiego (demo)",
        description="Jedno miejsce zwolnione w trakcie kadencji. Głosuje administrator organizacji; jeden głos na organizację.",
        term_start=timezone.localdate(),
        term_end=timezone.localdate() + timedelta(days=700),
        seats=1,
        require_verified=False,
        nominations_start=now - timedelta(days=20),
        nominations_end=now - timedelta(days=10),
        voting_start=now - timedelta(days=2),
        voting_end=now + timedelta(days=5),
        state=ElectionState.VOTING,
    )
    demo_ngo = list(
        OrganisationMembership.objects.filter(organisation__slug=DEMO_NGO_SLUG).values_list(
            "organisation_id", flat=True
        )
    )
    nominators = _voters(election, exclude=demo_ngo, count=len(VOTING_CANDIDATES) + 10)
    candidates = [
        Candidate.objects.create(
            election=election,
            organisation=organisation,
            full_name=name,
            email=f"kandydatka{n}@demo.ngo-platform.pl",
            qualifications=qualifications,
            state=CandidateState.VERIFIED,
            nominated_by=User.objects.get(email=DEMO_VOTER),
            consented_at=now - timedelta(days=12),
            decided_at=now - timedelta(days=8),
        )
        for n, (organisation, (name, qualifications)) in enumerate(zip(nominators, VOTING_CANDIDATES), start=1)
    ]
    audit_log(
        actor=None, action="elections.demo_seed", target=election, details={"election": election.pk, "state": "voting"}
    )
    # Ten organisations have voted already, each through its own (demo, inactive) representative.
    for n, organisation in enumerate(nominators[len(VOTING_CANDIDATES) :]):
        representative, _ = User.objects.get_or_create(
            email=f"przedstawiciel{organisation.pk}@demo.ngo-platform.pl",
            defaults={
                "display_name": demo_name(organisation.pk),
                "is_active": True,  # acts through the services; no password, so nobody signs in as it
                "password": make_password(None),
            },
        )
        organisation_membership_set(
            actor=None,
            organisation=organisation,
            user=representative,
            role=OrganisationRole.ADMIN,
            check_permission=False,
        )
        services.ballot_cast(
            actor=representative,
            election=election,
            organisation=organisation,
            candidate_ids=[candidates[n % len(candidates)].pk],
        )
