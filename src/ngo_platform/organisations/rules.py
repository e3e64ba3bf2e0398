"""Who may do what with organisations."""

import rules

from ngo_platform.accounts.rules import (
    is_active_person,
    is_authority_member,
    is_organisation_admin,
    is_organisation_member,
    is_platform_admin,
)


@rules.predicate
def is_officer_of_seat(user, organisation) -> bool:
    """An officer of the authority governing the organisation's seat (its gmina, or the city with
    powiat rights that contains it)."""
    if organisation is None or not is_active_person(user):
        return False
    from ngo_platform.territory.selectors import authority_governing

    return is_authority_member(user, authority_governing(unit=organisation.seat))


rules.add_perm("organisations.change_organisation", is_organisation_member | is_platform_admin)
rules.add_perm("organisations.verify_organisation", is_officer_of_seat | is_platform_admin)
rules.add_perm("organisations.invite_member", is_organisation_admin | is_platform_admin)
rules.add_perm("organisations.import_organisations", is_platform_admin)
