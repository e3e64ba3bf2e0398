"""Who may write and publish news and events, who may read a draft, and who may register for an event.

An organisation's news is written by its representatives (admins and editors alike), an authority's by its
officers, the platform's by its administrators; each may change, publish and archive what was written on behalf of
the same party, whoever of them wrote it. Published and archived news is public; a draft is seen only by those
who may change it. Events are organised by an organisation or an authority (not the platform), under the same rule;
anyone signed in registers for a published event that takes registrations here, until it ends. Anyone signed in
proposes and supports ideas and needs; only the officers of the authority an idea is addressed to (the platform's
administrators for one addressed to the platform) answer it.
"""

import rules

from ngo_platform.accounts.rules import (
    is_active_person,
    is_any_officer,
    is_any_organisation_member,
    is_authority_member,
    is_organisation_member,
    is_platform_admin,
    is_signed_in,
)


@rules.predicate
def writes_for_party(user, item) -> bool:
    """A representative of the item's organisation, an officer of its authority, or (the platform's news) a
    platform administrator."""
    if item is None or not is_active_person(user):
        return False
    if item.organisation_id:
        return is_organisation_member(user, item.organisation_id)
    if item.authority_id:
        return is_authority_member(user, item.authority_id)
    return is_platform_admin(user)


@rules.predicate
def is_public(user, item) -> bool:
    return item is not None and item.is_public


@rules.predicate
def takes_registrations_now(user, event) -> bool:
    """Published, registering here, and not yet over (by the server's clock)."""
    from django.utils import timezone

    return (
        event is not None
        and event.state == "published"
        and event.registration == "platform"
        and timezone.now() < event.ends_at
    )


rules.add_perm("community.write_news", is_any_organisation_member | is_any_officer | is_platform_admin)
rules.add_perm("community.change_news", writes_for_party)
rules.add_perm("community.view_news", is_public | writes_for_party)
rules.add_perm("community.write_events", is_any_organisation_member | is_any_officer)
rules.add_perm("community.change_event", writes_for_party)
rules.add_perm("community.view_event", is_public | writes_for_party)
rules.add_perm("community.register_for_event", is_signed_in & takes_registrations_now)


@rules.predicate
def answers_for_addressee(user, idea) -> bool:
    """An officer of the authority the idea is addressed to; for an idea addressed to the platform, its
    administrators."""
    if idea is None or not is_active_person(user):
        return False
    if idea.authority_id:
        return is_authority_member(user, idea.authority_id)
    return is_platform_admin(user)


@rules.predicate
def idea_still_open(user, idea) -> bool:
    """Not rejected and not yet done: support still counts."""
    return idea is not None and idea.state in ("submitted", "considering", "accepted")


rules.add_perm("community.propose_idea", is_signed_in)
rules.add_perm("community.support_idea", is_signed_in & idea_still_open)
rules.add_perm("community.answer_idea", answers_for_addressee)
rules.add_perm("community.follow_idea", is_signed_in)
