"""One test per rule of council elections: who may and who may not, at every stage of the election.

None of these rules looks at the stage (the services and the workflow refuse a step at the wrong stage);
each test still runs at every stage, so that a rule that starts to depend on it is noticed.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ngo_platform.accounts.models import AuthorityRole, OrganisationRole
from ngo_platform.elections import services
from ngo_platform.elections.models import ElectionState
from ngo_platform.organisations.models import LegalForm, OrganisationStatus
from ngo_platform.territory.models import TerritorialUnit
from tests.accounts.factories import UserFactory
from tests.elections.factories import CouncilFactory, ElectionFactory, eligible_organisation, officer, representative
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
S = ElectionState
STAGES = list(S.values)
MANAGERS = {"platform_admin", "officer", "authority_admin"}


def people(opolskie, gmina_brzeg) -> dict:
    """Everyone around an election of the voivodeship's council (eligible: every verified organisation seated
    in it)."""
    eligible = eligible_organisation()
    return {
        "platform_admin": UserFactory(is_staff=True),
        "officer": officer(opolskie),
        "authority_admin": officer(opolskie, role=AuthorityRole.ADMIN),
        "other_officer": officer(gmina_brzeg),
        "org_admin": representative(eligible),
        "org_editor": representative(eligible, role=OrganisationRole.EDITOR),
        "unverified_admin": representative(OrganisationFactory()),
        "committee": UserFactory(),
        "other_committee": UserFactory(),
        "stranger": UserFactory(),
        "anonymous": AnonymousUser(),
    }


def allowed(persons, perm, obj=None):
    return {name for name, person in persons.items() if person.has_perm(perm, obj)}


def election_at(stage, clerk, committee=(), **kwargs):
    """An election at the stage, its committee named through the service (before the end: a final or
    cancelled election got there from the protests, through the transition)."""
    before = S.PROTESTS if stage in (S.FINAL, S.CANCELLED) else stage
    election = ElectionFactory(stage=before, **kwargs)
    for person in committee:
        services.committee_add(actor=clerk, election=election, user=person)
    if stage != before:
        services.election_transition(actor=clerk, election=election, target=stage, reason="Powód unieważnienia.")
        election.refresh_from_db()
    assert election.state == stage
    return election


def test_create_council(opolskie, gmina_brzeg):
    persons = people(opolskie, gmina_brzeg)
    # Any officer (or admin) of the authority, for that authority only; the platform admin for any.
    assert allowed(persons, "elections.create_council", opolskie) == MANAGERS
    assert allowed(persons, "elections.create_council", gmina_brzeg) == {"platform_admin", "other_officer"}
    assert allowed(persons, "elections.create_council") == {"platform_admin"}


@pytest.mark.parametrize("stage", STAGES)
def test_manage_election(opolskie, gmina_brzeg, stage):
    persons = people(opolskie, gmina_brzeg)
    election = election_at(stage, persons["officer"], committee=[persons["committee"]])
    # The council's authority and the platform admin; not the committee's members from outside.
    assert allowed(persons, "elections.manage_election", election) == MANAGERS
    assert allowed(persons, "elections.manage_election", election.council) == MANAGERS
    brzeg = election_at(stage, persons["other_officer"], council=CouncilFactory(authority=gmina_brzeg))
    assert allowed(persons, "elections.manage_election", brzeg) == {"platform_admin", "other_officer"}
    assert allowed(persons, "elections.manage_election", brzeg.council) == {"platform_admin", "other_officer"}


@pytest.mark.parametrize("stage", STAGES)
def test_act_as_committee(opolskie, gmina_brzeg, stage):
    persons = people(opolskie, gmina_brzeg)
    clerk = persons["officer"]
    election = election_at(stage, clerk, committee=[persons["committee"]])
    other = election_at(stage, clerk, committee=[persons["other_committee"]])
    # Whoever manages the election, and the members named to its committee (of this election only).
    assert allowed(persons, "elections.act_as_committee", election) == MANAGERS | {"committee"}
    assert allowed(persons, "elections.act_as_committee", other) == MANAGERS | {"other_committee"}
    # The council (no committee of its own): whoever manages it.
    assert allowed(persons, "elections.act_as_committee", election.council) == MANAGERS


@pytest.mark.parametrize("stage", STAGES)
def test_act_for_organisation(opolskie, gmina_brzeg, stage):
    persons = people(opolskie, gmina_brzeg)
    clerk = persons["officer"]
    # By default an eligible organisation's admins nominate and vote; officers, the platform admin and the
    # committee do not (unless they represent an eligible organisation themselves).
    election = election_at(stage, clerk, committee=[persons["committee"]])
    assert allowed(persons, "elections.act_for_organisation", election) == {"org_admin"}
    anyone = election_at(stage, clerk, acting_role="any")
    assert allowed(persons, "elections.act_for_organisation", anyone) == {"org_admin", "org_editor"}
    # Unverified organisations too, when the election does not require verification.
    open_ = election_at(stage, clerk, require_verified=False)
    assert allowed(persons, "elections.act_for_organisation", open_) == {"org_admin", "unverified_admin"}


def _unit(teryt):
    return TerritorialUnit.objects.get(teryt=teryt)


# Who acts for an organisation in an election of the Brzeg council (gmina 1601011): (organisation, election).
ELIGIBILITY = {
    "seated_in_brzeg": ({}, {}, True),
    "seated_in_grodkow": ({"seat": "1601033"}, {}, False),
    "active_in_brzeg": ({"seat": "1601033", "areas": ["1601011"]}, {}, True),
    "active_in_the_powiat": ({"seat": "1601033", "areas": ["1601"]}, {}, True),
    "active_in_brzeg_seat_only": ({"seat": "1601033", "areas": ["1601011"]}, {"eligibility_basis": "seat"}, False),
    "unverified": ({"verified_at": None}, {}, False),
    "unverified_not_required": ({"verified_at": None}, {"require_verified": False}, True),
    "suspended": ({"status": OrganisationStatus.SUSPENDED}, {}, False),
    "not_listed": ({"is_listed": False}, {}, False),
    "legal_form_eligible": ({}, {"eligible_legal_forms": [LegalForm.ASSOCIATION]}, True),
    "legal_form_not_eligible": ({}, {"eligible_legal_forms": [LegalForm.FOUNDATION]}, False),
}


@pytest.mark.parametrize("case", list(ELIGIBILITY))
def test_act_for_organisation_only_for_an_eligible_organisation(gmina_brzeg, case):
    organisation_values, election_values, expected = ELIGIBILITY[case]
    values = {"verified_at": timezone.now(), **organisation_values}
    areas = values.pop("areas", [])
    if "seat" in values:
        values["seat"] = _unit(values["seat"])
    organisation = OrganisationFactory(**values)
    organisation.areas.set([_unit(teryt) for teryt in areas])
    admin, editor = representative(organisation), representative(organisation, role=OrganisationRole.EDITOR)
    election = ElectionFactory(stage=S.NOMINATIONS, council=CouncilFactory(authority=gmina_brzeg), **election_values)
    assert admin.has_perm("elections.act_for_organisation", election) is expected
    assert not editor.has_perm("elections.act_for_organisation", election)
    assert not officer(gmina_brzeg).has_perm("elections.act_for_organisation", election)
    assert not AnonymousUser().has_perm("elections.act_for_organisation", election)


def test_predicates_refuse_missing_objects_and_anonymous_users(opolskie):
    from ngo_platform.elections import rules as r

    person = UserFactory()
    for predicate in (
        r.is_officer_of_council_authority,
        r.is_committee_member,
        r.represents_an_eligible_organisation,
        r.is_authority_officer,
    ):
        assert not predicate(person, None), predicate
    election = ElectionFactory()
    assert not r.is_officer_of_council_authority(AnonymousUser(), election)
    assert not r.is_committee_member(AnonymousUser(), election)
    assert not r.represents_an_eligible_organisation(AnonymousUser(), election)
