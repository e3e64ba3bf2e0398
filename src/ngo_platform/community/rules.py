"""Who may write and publish news, and who may read a draft.

An organisation's news is written by its representatives (admins and editors alike), an authority's by its
officers, the platform's by its administrators; each may change, publish and archive what was written on behalf of
the same party, whoever of them wrote it. Published and archived news is public; a draft is seen only by those
who may change it.
"""

import rules

from ngo_platform.accounts.rules import (
    is_active_person,
    is_any_officer,
    is_any_organisation_member,
    is_authority_member,
    is_organisation_member,
    is_platform_admin,
)


@rules.predicate
def writes_for_news_party(user, news) -> bool:
    """A representative of the news item's organisation, an officer of its authority, or (platform news) a
    platform administrator."""
    if news is None or not is_active_person(user):
        return False
    if news.organisation_id:
        return is_organisation_member(user, news.organisation_id)
    if news.authority_id:
        return is_authority_member(user, news.authority_id)
    return is_platform_admin(user)


@rules.predicate
def news_is_public(user, news) -> bool:
    return news is not None and news.is_public


rules.add_perm("community.write_news", is_any_organisation_member | is_any_officer | is_platform_admin)
rules.add_perm("community.change_news", writes_for_news_party)
rules.add_perm("community.view_news", news_is_public | writes_for_news_party)
