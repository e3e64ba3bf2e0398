"""Councils, elections at any stage (the timeline fits the stage), voters and candidates."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.elections.models import Candidate, CandidateState, Council, Election, ElectionState
from ngo_platform.territory.models import Authority
from tests.accounts.factories import OrganisationMembershipFactory, UserFactory
from tests.organisations.factories import OrganisationFactory

DAY = timedelta(days=1)


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    authority = factory.LazyFunction(lambda: Authority.objects.get(unit__teryt="16"))
    name = factory.Sequence(lambda n: f"Rada Działalności Pożytku Publicznego nr {n}")
    slug = factory.Sequence(lambda n: f"rada-{n}")


def term(today: date | None = None) -> tuple[date, date]:
    """The term of the council chosen now: three years from 1 July of next year, whatever the date today."""
    year = (today or timezone.localdate()).year + 1
    return date(year, 7, 1), date(year + 3, 6, 30)


def timeline(state: str, now=None) -> dict:
    """Dates that put `now` inside the given stage."""
    now = now or timezone.now()
    if state in (ElectionState.DRAFT, ElectionState.NOMINATIONS):
        start = now - DAY
        return {
            "nominations_start": start,
            "nominations_end": now + DAY,
            "voting_start": now + 2 * DAY,
            "voting_end": now + 9 * DAY,
        }
    if state in (ElectionState.VERIFICATION, ElectionState.LIST_PUBLISHED):
        return {
            "nominations_start": now - 3 * DAY,
            "nominations_end": now - DAY,
            "voting_start": now + DAY,
            "voting_end": now + 8 * DAY,
        }
    if state == ElectionState.VOTING:
        return {
            "nominations_start": now - 10 * DAY,
            "nominations_end": now - 8 * DAY,
            "voting_start": now - DAY,
            "voting_end": now + 6 * DAY,
        }
    return {
        "nominations_start": now - 20 * DAY,
        "nominations_end": now - 18 * DAY,
        "voting_start": now - 8 * DAY,
        "voting_end": now - DAY,
    }


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    class Params:
        stage = ElectionState.NOMINATIONS

    council = factory.SubFactory(CouncilFactory)
    title = factory.Sequence(lambda n: f"Wybory do rady nr {n}")
    slug = factory.Sequence(lambda n: f"wybory-{n}")
    term_start = factory.LazyFunction(lambda: term()[0])
    term_end = factory.LazyAttribute(lambda o: date(o.term_start.year + 3, 6, 30))
    seats = 2
    state = factory.SelfAttribute("stage")
    nominations_start = factory.LazyAttribute(lambda o: timeline(o.stage)["nominations_start"])
    nominations_end = factory.LazyAttribute(lambda o: timeline(o.stage)["nominations_end"])
    voting_start = factory.LazyAttribute(lambda o: timeline(o.stage)["voting_start"])
    voting_end = factory.LazyAttribute(lambda o: timeline(o.stage)["voting_end"])


def eligible_organisation(**kwargs):
    """A verified, active organisation seated in Brzeg (inside the voivodeship)."""
    return OrganisationFactory(verified_at=timezone.now(), **kwargs)


def representative(organisation, role=OrganisationRole.ADMIN, **kwargs):
    return OrganisationMembershipFactory(organisation=organisation, role=role, user=UserFactory(**kwargs)).user


def candidate(election, state=CandidateState.VERIFIED, organisation=None, **kwargs):
    organisation = organisation or eligible_organisation()
    n = Candidate.objects.count() + 1
    values = {
        "full_name": f"Kandydat {n}",
        "email": f"kandydat{n}@example.pl",
        "qualifications": "Doświadczenie w radzie.",
        "nominated_by": UserFactory(),
        **kwargs,
    }
    return Candidate.objects.create(election=election, organisation=organisation, state=state, **values)


def officer(authority, role="officer"):
    from tests.accounts.factories import AuthorityMembershipFactory

    return AuthorityMembershipFactory(authority=authority, role=role).user
