"""Who may do what in council elections."""

import rules

from ngo_platform.accounts.rules import is_active_person, is_authority_member, is_platform_admin


@rules.predicate
def is_officer_of_council_authority(user, obj) -> bool:
    """An officer of the authority whose council it is (obj: a council or an election)."""
    if obj is None or not is_active_person(user):
        return False
    council = getattr(obj, "council", obj)
    return is_authority_member(user, council.authority)


@rules.predicate
def is_committee_member(user, election) -> bool:
    """Named in the election's committee (people from outside the authority, e.g. NGO delegates)."""
    if election is None or not is_active_person(user) or not hasattr(election, "committee"):
        return False
    return election.committee.filter(pk=user.pk).exists()


@rules.predicate
def represents_an_eligible_organisation(user, election) -> bool:
    """Holds, in an eligible organisation, the role the election lets nominate and vote."""
    if election is None or not is_active_person(user):
        return False
    from ngo_platform.elections.selectors import acting_organisations

    return acting_organisations(user=user, election=election).exists()


@rules.predicate
def is_authority_officer(user, authority) -> bool:
    return is_authority_member(user, authority)


may_run = is_officer_of_council_authority | is_platform_admin

rules.add_perm("elections.create_council", is_authority_officer | is_platform_admin)
rules.add_perm("elections.manage_election", may_run)
rules.add_perm("elections.act_as_committee", may_run | is_committee_member)
rules.add_perm("elections.act_for_organisation", represents_an_eligible_organisation)
