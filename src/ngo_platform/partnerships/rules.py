"""Who may write partnership announcements and see the suggestions of partners.

An announcement is written on behalf of an organisation (by its representatives) or an authority (by its
officers); each of them changes it, takes its steps and sees the partners suggested for it. A published or
archived announcement is public; a draft is seen only by those who may change it. The suggestions for an
organisation are for its representatives."""

import rules

from ngo_platform.accounts.rules import (
    is_active_person,
    is_any_officer,
    is_any_organisation_member,
    is_organisation_member,
    is_platform_admin,
)
from ngo_platform.community.rules import is_public, writes_for_party

rules.add_perm("partnerships.write_announcement", is_any_organisation_member | is_any_officer)
rules.add_perm("partnerships.change_announcement", writes_for_party)
rules.add_perm("partnerships.view_announcement", is_public | writes_for_party)
rules.add_perm("partnerships.see_suggestions", writes_for_party)  # object: the announcement
rules.add_perm("partnerships.see_organisation_suggestions", is_organisation_member)  # object: the organisation


# Conversations and partnerships ------------------------------------------------------------------------------
# A conversation has two sides: the announcement's party (`writes_for_party` of the announcement) and the interested
# organisation (its representatives). Both read and write it; nobody else does, the platform's administrators
# included (they read a message only when it is reported to them).


def _organisations_of(user) -> set[int]:
    from ngo_platform.accounts import memberships

    if not is_active_person(user):
        return set()
    known = memberships.roles(user) or memberships.read(user)
    return set(known.organisations)


@rules.predicate
def represents_another_organisation(user, announcement) -> bool:
    """A representative of an organisation other than the announcing one, for a current announcement."""
    if announcement is None or not announcement.is_current:
        return False
    return bool(_organisations_of(user) - {announcement.organisation_id})


@rules.predicate
def on_announcer_side(user, conversation) -> bool:
    return conversation is not None and writes_for_party(user, conversation.announcement)


@rules.predicate
def on_interested_side(user, conversation) -> bool:
    return conversation is not None and is_organisation_member(user, conversation.organisation_id)


@rules.predicate
def takes_part_in_message(user, message) -> bool:
    return message is not None and (
        on_announcer_side(user, message.conversation) or on_interested_side(user, message.conversation)
    )


@rules.predicate
def on_receiving_side(user, partnership) -> bool:
    """On the side that did not propose the partnership."""
    if partnership is None:
        return False
    side = on_interested_side if partnership.proposed_by_announcer else on_announcer_side
    return side(user, partnership.conversation)


@rules.predicate
def on_proposing_side(user, partnership) -> bool:
    if partnership is None:
        return False
    side = on_announcer_side if partnership.proposed_by_announcer else on_interested_side
    return side(user, partnership.conversation)


@rules.predicate
def leads_a_joint_offer(user, partnership) -> bool:
    """A representative of the leading organisation of a confirmed partnership of two organisations, before its
    joint offer is started."""
    if partnership is None or partnership.state != "confirmed" or partnership.offer_id:
        return False
    announcement = partnership.conversation.announcement
    if announcement.organisation_id is None:
        return False  # an authority does not make offers in its own competitions
    leader = (
        announcement.organisation_id if partnership.leader == "announcer" else partnership.conversation.organisation_id
    )
    return is_organisation_member(user, leader)


takes_part = on_announcer_side | on_interested_side
rules.add_perm("partnerships.contact_author", represents_another_organisation)  # object: the announcement
rules.add_perm("partnerships.view_conversation", takes_part)
rules.add_perm("partnerships.write_message", takes_part)
rules.add_perm("partnerships.report_message", takes_part_in_message)
rules.add_perm("partnerships.propose_partnership", takes_part)
rules.add_perm("partnerships.confirm_partnership", on_receiving_side)
rules.add_perm("partnerships.withdraw_partnership", on_proposing_side)
rules.add_perm("partnerships.start_joint_offer", leads_a_joint_offer)
rules.add_perm("partnerships.review_reports", is_platform_admin)


@rules.predicate
def owns_saved_search(user, saved) -> bool:
    return saved is not None and is_active_person(user) and saved.user_id == user.pk


rules.add_perm("partnerships.follow_saved_search", owns_saved_search)
