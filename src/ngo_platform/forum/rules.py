"""Who reads, writes, edits, reports and moderates in the forum.

A public category is read by anyone and written in by anyone signed in; a members' category only by the
representatives of verified organisations, officers, the platform's administrators and its moderators. A thread
is seen once its opening post is visible (before that, by its author and the moderators); a post waiting for a
moderator or hidden by one is seen only by its author and the moderators. The author edits a post within
`settings.NGO_FORUM_EDIT_MINUTES` of writing it, unless it is hidden or the thread locked. Anyone signed in reports
someone else's visible post. The platform's administrators moderate every category, a category's moderators
their own: approve, hide and restore posts, lock and pin threads, read the earlier versions of an edited post.
"""

from datetime import timedelta

import rules
from django.conf import settings
from django.utils import timezone

from ngo_platform.accounts import memberships
from ngo_platform.accounts.rules import is_active_person, is_any_officer, is_platform_admin, is_signed_in


def moderated(user) -> frozenset[int]:
    """The ids of the categories the person moderates, read once per request (`accounts.memberships.remembered`)."""
    if not is_active_person(user):
        return frozenset()
    read = lambda: frozenset(user.moderated_forum_categories.values_list("pk", flat=True))  # noqa: E731
    return memberships.remembered(("forum.moderates", user.pk), read)


def verified_member(user) -> bool:
    """Represents a verified organisation (no query for a person who represents none)."""
    from ngo_platform.organisations.models import Organisation

    if not is_active_person(user):
        return False
    known = memberships.roles(user) or memberships.read(user)
    if not known.organisations:
        return False
    ids = list(known.organisations)
    read = lambda: Organisation.objects.filter(pk__in=ids, verified_at__isnull=False).exists()  # noqa: E731
    return memberships.remembered(("forum.verified", user.pk), read)


def _category(obj):
    """The category of a category, a thread or a post."""
    if hasattr(obj, "thread"):
        obj = obj.thread
    return getattr(obj, "category", obj)


@rules.predicate
def moderates(user, obj) -> bool:
    if obj is None or not is_active_person(user):
        return False
    return is_platform_admin(user) or _category(obj).pk in moderated(user)


@rules.predicate
def reads_category(user, obj) -> bool:
    if obj is None:
        return False
    if _category(obj).audience == "public":
        return True
    return is_active_person(user) and (
        is_platform_admin(user) or is_any_officer(user) or verified_member(user) or moderates(user, obj)
    )


@rules.predicate
def is_author(user, obj) -> bool:
    return obj is not None and is_active_person(user) and obj.author_id == user.pk


@rules.predicate
def thread_is_public(user, thread) -> bool:
    return thread is not None and thread.is_public


@rules.predicate
def thread_open(user, thread) -> bool:
    return thread is not None and not thread.locked


@rules.predicate
def post_visible(user, post) -> bool:
    return post is not None and post.state == "visible"


def edit_window() -> timedelta:
    return timedelta(minutes=settings.NGO_FORUM_EDIT_MINUTES)


@rules.predicate
def editable_now(user, post) -> bool:
    """Not hidden, in an unlocked thread, and written less than the edit window ago."""
    return (
        post is not None
        and post.state != "hidden"
        and not post.thread.locked
        and timezone.now() - post.created_at <= edit_window()
    )


rules.add_perm("forum.view_category", reads_category)
rules.add_perm("forum.start_thread", is_signed_in & reads_category)
rules.add_perm("forum.view_thread", reads_category & (thread_is_public | is_author | moderates))
rules.add_perm("forum.reply", is_signed_in & reads_category & thread_is_public & (thread_open | moderates))
rules.add_perm("forum.view_post", reads_category & (post_visible | is_author | moderates))
rules.add_perm("forum.edit_post", is_author & editable_now)
rules.add_perm("forum.report_post", is_signed_in & reads_category & post_visible & ~is_author)
rules.add_perm("forum.moderate", moderates)
