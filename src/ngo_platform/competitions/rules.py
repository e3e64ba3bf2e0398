"""Who may do what in competitions for offers."""

import rules

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.accounts.rules import is_authority_member, is_platform_admin


def _authority(obj):
    """The authority of a competition, an offer or an authority itself."""
    competition = getattr(obj, "competition", obj)
    return getattr(competition, "authority", competition)


@rules.predicate
def is_officer_of_the_authority(user, obj) -> bool:
    """An officer of the authority that announces the competition (obj: authority, competition or offer)."""
    if obj is None or not user.is_authenticated:
        return False
    return is_authority_member(user, _authority(obj))


@rules.predicate
def is_member_of_the_applicant(user, offer) -> bool:
    """An admin or editor of the offer's lead organisation."""
    if offer is None or not user.is_authenticated:
        return False
    return user.organisation_memberships.filter(organisation_id=offer.organisation_id).exists()


@rules.predicate
def is_admin_of_the_applicant(user, offer) -> bool:
    """An admin of the lead organisation: submits and withdraws on its behalf."""
    if offer is None or not user.is_authenticated:
        return False
    return user.organisation_memberships.filter(organisation_id=offer.organisation_id, role=OrganisationRole.ADMIN).exists()


@rules.predicate
def is_member_of_a_partner(user, offer) -> bool:
    if offer is None or not user.is_authenticated:
        return False
    return user.organisation_memberships.filter(organisation__competition_partnerships__offer=offer).exists()


@rules.predicate
def is_admin_of_the_partner(user, partner) -> bool:
    """An admin of the partner organisation: confirms its part of a joint offer."""
    if partner is None or not user.is_authenticated:
        return False
    return user.organisation_memberships.filter(organisation_id=partner.organisation_id, role=OrganisationRole.ADMIN).exists()


@rules.predicate
def offer_is_submitted(user, offer) -> bool:
    """Past the draft: the authority sees offers only once they are submitted."""
    return offer is not None and offer.state != "draft"


may_manage = is_officer_of_the_authority | is_platform_admin

rules.add_perm("competitions.manage_competition", may_manage)
rules.add_perm("competitions.edit_offer", is_member_of_the_applicant)
rules.add_perm("competitions.submit_offer", is_admin_of_the_applicant)
rules.add_perm("competitions.view_offer", is_member_of_the_applicant | is_member_of_a_partner | (may_manage & offer_is_submitted))
rules.add_perm("competitions.confirm_partnership", is_admin_of_the_partner)
