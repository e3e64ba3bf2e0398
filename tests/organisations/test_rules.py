"""Who may, with organisations: each permission against each kind of person.

Verification goes to the authority governing the organisation's seat: its gmina, or, for a gmina inside a city
with powiat rights (Opole, 1661011), the city (1661); never the powiat (1601) or the voivodeship (16).
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from ngo_platform.accounts.models import AuthorityRole, OrganisationRole
from ngo_platform.organisations import services
from ngo_platform.organisations.models import VerificationState
from ngo_platform.territory.models import Authority, TerritorialUnit
from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory, UserFactory
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

BRZEG, GRODKOW, OPOLE_GMINA = "1601011", "1601033", "1661011"
OFFICERS = {
    # name: (TERYT of the authority, role)
    "brzeg_officer": ("1601011", AuthorityRole.OFFICER),
    "brzeg_admin": ("1601011", AuthorityRole.ADMIN),
    "grodkow_officer": ("1601033", AuthorityRole.OFFICER),
    "opole_city_officer": ("1661", AuthorityRole.OFFICER),
    "powiat_officer": ("1601", AuthorityRole.OFFICER),
    "voivodeship_officer": ("16", AuthorityRole.OFFICER),
}


def officer_of(teryt, role=AuthorityRole.OFFICER):
    return AuthorityMembershipFactory(authority=Authority.objects.get(unit__teryt=teryt), role=role).user


def member(organisation, role):
    return OrganisationMembershipFactory(organisation=organisation, role=role).user


def seated_in(teryt):
    return OrganisationFactory(seat=TerritorialUnit.objects.get(teryt=teryt))


def everyone(organisation):
    """Each kind of person, around `organisation`."""
    people = {name: officer_of(teryt, role) for name, (teryt, role) in OFFICERS.items()}
    other = seated_in(BRZEG)
    people |= {
        "platform_admin": UserFactory(is_staff=True),
        "org_admin": member(organisation, OrganisationRole.ADMIN),
        "org_editor": member(organisation, OrganisationRole.EDITOR),
        "other_admin": member(other, OrganisationRole.ADMIN),
        "other_editor": member(other, OrganisationRole.EDITOR),
        "resident": UserFactory(),
        "anonymous": AnonymousUser(),
    }
    return people


def allowed(people, perm, obj=None):
    return {name for name, person in people.items() if person.has_perm(perm, obj)}


@pytest.fixture
def organisation(reference_data):
    return seated_in(BRZEG)


@pytest.fixture
def people(organisation):
    return everyone(organisation)


def test_change_organisation(people, organisation):
    # Its admins and editors, and the platform admin; not the officers of its seat.
    assert allowed(people, "organisations.change_organisation", organisation) == {
        "platform_admin",
        "org_admin",
        "org_editor",
    }
    assert allowed(people, "organisations.change_organisation", OrganisationFactory()) == {"platform_admin"}


def test_invite_member(people, organisation):
    # Its admins and the platform admin; an editor does not invite, an admin of another organisation neither.
    assert allowed(people, "organisations.invite_member", organisation) == {"platform_admin", "org_admin"}
    assert allowed(people, "organisations.invite_member", OrganisationFactory()) == {"platform_admin"}


def test_import_organisations(people):
    assert allowed(people, "organisations.import_organisations") == {"platform_admin"}


@pytest.mark.parametrize(
    ("seat", "verifiers"),
    [
        (BRZEG, {"brzeg_officer", "brzeg_admin"}),  # a gmina: its own authority
        (GRODKOW, {"grodkow_officer"}),
        (OPOLE_GMINA, {"opole_city_officer"}),  # the gmina of a city with powiat rights: the city
    ],
)
def test_verify_organisation(reference_data, seat, verifiers):
    organisation = seated_in(seat)
    people = everyone(organisation)
    assert allowed(people, "organisations.verify_organisation", organisation) == {"platform_admin"} | verifiers


def test_verify_organisation_before_and_after_the_decision(people):
    """A registration through the service: the officers of the seat verify it; the rule does not read the state of
    the request, the workflow refuses a second decision. The applicant represents the organisation only once
    verified."""
    applicant = people["resident"]
    request = services.organisation_register(
        actor=applicant,
        data={"name": "Fundacja Nadodrze", "seat": TerritorialUnit.objects.get(teryt=BRZEG), "legal_form": "fundacja"},
        note="Jestem prezesem zarządu.",
    )
    organisation = request.organisation
    assert not organisation.is_listed and request.state == VerificationState.PENDING
    verifiers = {"platform_admin", "brzeg_officer", "brzeg_admin"}
    assert allowed(people, "organisations.verify_organisation", organisation) == verifiers
    assert not applicant.has_perm("organisations.change_organisation", organisation)
    assert not applicant.has_perm("organisations.invite_member", organisation)

    services.verification_decide(actor=people["brzeg_officer"], request=request, approve=True)
    organisation.refresh_from_db()
    assert organisation.is_listed and organisation.is_verified
    assert allowed(people, "organisations.verify_organisation", organisation) == verifiers
    assert applicant.has_perm("organisations.change_organisation", organisation)
    assert applicant.has_perm("organisations.invite_member", organisation)  # the first representative is its admin


def test_an_officer_of_the_seat_does_not_decide_on_their_own_claim(people):
    """An officer who claims an organisation of their seat may verify others, but not their own request: another
    officer or a platform admin decides, and nothing changes before that."""
    officer, other = people["brzeg_officer"], people["platform_admin"]
    organisation = seated_in(BRZEG)
    assert officer.has_perm("organisations.verify_organisation", organisation)
    request = services.organisation_claim(actor=officer, organisation=organisation, note="Jestem prezesem.")
    with pytest.raises(services.VerificationError, match="własnego wniosku"):
        services.verification_decide(actor=officer, request=request, approve=True)
    request.refresh_from_db()
    assert request.state == VerificationState.PENDING and not officer.has_perm(
        "organisations.invite_member", organisation
    )
    services.verification_decide(actor=other, request=request, approve=True)
    request.refresh_from_db()
    assert request.state == VerificationState.VERIFIED and request.decided_by == other


def test_the_rules_follow_a_move_of_the_seat(people, organisation):
    assert people["brzeg_officer"].has_perm("organisations.verify_organisation", organisation)
    services.organisation_update(
        actor=people["org_admin"], organisation=organisation, data={"seat": TerritorialUnit.objects.get(teryt=GRODKOW)}
    )
    organisation.refresh_from_db()
    assert allowed(people, "organisations.verify_organisation", organisation) == {"platform_admin", "grodkow_officer"}


DEACTIVATED = ("platform_admin", "org_admin", "org_editor", "brzeg_officer", "brzeg_admin")


def test_a_deactivated_account_holds_nothing(people, organisation):
    """Deactivated, a platform admin, the organisation's admin and editor and the officers of its seat lose every
    right, the ones from their memberships too; the others keep theirs, and reactivated the accounts hold again."""
    for name in DEACTIVATED:
        people[name].is_active = False
        people[name].save(update_fields=["is_active"])
    assert allowed(people, "organisations.change_organisation", organisation) == set()
    assert allowed(people, "organisations.invite_member", organisation) == set()
    assert allowed(people, "organisations.verify_organisation", organisation) == set()
    assert allowed(people, "organisations.import_organisations") == set()
    other = seated_in(GRODKOW)
    assert allowed(people, "organisations.verify_organisation", other) == {"grodkow_officer"}
    for name in DEACTIVATED:
        people[name].is_active = True
    assert allowed(people, "organisations.change_organisation", organisation) == {
        "platform_admin",
        "org_admin",
        "org_editor",
    }
    assert allowed(people, "organisations.verify_organisation", organisation) == {
        "platform_admin",
        "brzeg_officer",
        "brzeg_admin",
    }


def test_a_deactivated_representative_is_refused_by_the_service(people, organisation):
    editor = people["org_editor"]
    editor.is_active = False
    editor.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=editor, organisation=organisation, data={"name": "Inna nazwa"})
    organisation.refresh_from_db()
    assert organisation.name != "Inna nazwa"


def test_predicates_refuse_missing_objects(people):
    from ngo_platform.organisations import rules as r

    assert not r.is_officer_of_seat(people["brzeg_officer"], None)
    assert not r.is_officer_of_seat(AnonymousUser(), seated_in(BRZEG))
