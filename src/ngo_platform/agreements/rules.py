"""Who may do what with agreements, updated cost calculations and reports.

- Officers of the competition's authority (and platform admins) prepare, send, sign, terminate the
  agreement and decide on the cost update and the report.
- Admins of the lead organisation fill and submit the cost update and the report (a declaration on the
  organisation's behalf); every member of an organisation of the agreement (lead or partner) sees it.
- The organisation's status page is for its members.
Predicates take an agreement (with `offer__competition` selected) or, for the status page, an organisation.
"""

import rules

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.accounts.rules import (
    is_active_person,
    is_authority_member,
    is_organisation_member,
    is_platform_admin,
    organisation_role,
)


def _offer(obj):
    return getattr(obj, "offer", obj)


@rules.predicate
def is_officer_of_the_authority(user, obj) -> bool:
    """An officer of the authority that ran the competition (obj: an agreement or an offer)."""
    if obj is None or not is_active_person(user):
        return False
    return is_authority_member(user, _offer(obj).competition.authority_id)


@rules.predicate
def is_admin_of_the_lead(user, agreement) -> bool:
    """An admin of the lead organisation of the offer."""
    return (
        agreement is not None and organisation_role(user, _offer(agreement).organisation_id) == OrganisationRole.ADMIN
    )


@rules.predicate
def is_member_of_a_party(user, agreement) -> bool:
    """An admin or editor of the lead organisation or of a partner of the joint offer."""
    if agreement is None or not is_active_person(user):
        return False
    return user.organisation_memberships.filter(organisation__agreement_parties__agreement=agreement).exists() or (
        user.organisation_memberships.filter(organisation_id=_offer(agreement).organisation_id).exists()
    )


@rules.predicate
def is_sent(user, agreement) -> bool:
    """The organisations see the agreement once it has been sent to them (not while a draft)."""
    return agreement is not None and agreement.state != "draft"


may_manage = is_officer_of_the_authority | is_platform_admin

rules.add_perm("agreements.manage_agreement", may_manage)
rules.add_perm("agreements.view_agreement", may_manage | (is_member_of_a_party & is_sent))
rules.add_perm("agreements.fill_agreement", is_admin_of_the_lead & is_sent)
rules.add_perm("agreements.view_organisation", is_organisation_member | is_platform_admin)
