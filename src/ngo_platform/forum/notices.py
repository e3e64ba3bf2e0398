"""What the forum tells followers (a source of `notifications.engine`): new replies in a thread a person follows
(its starter and whoever replied follow it on their own), once they are visible in a thread that is (its opening post
not hidden), only to those who may read them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from ngo_platform.forum.models import Post, PostState
from ngo_platform.notifications.engine import NEWS_FOR, Notice


def due(now: datetime) -> Iterator[Notice]:
    since = now - NEWS_FOR
    visible = Post.objects.filter(state=PostState.VISIBLE, is_opening=False, thread__is_public=True)
    query = visible.filter(Q(created_at__gte=since) | Q(state_changed_at__gte=since))
    for post in query.select_related("thread__category", "author", "organisation"):
        yield Notice(
            item=f"forum.post:{post.pk}",
            event="reply",
            kind=_("new reply in a thread you follow"),
            title=post.thread.title,
            url=post.get_absolute_url(),
            happened_at=max(post.created_at, post.state_changed_at or post.created_at),
            detail=str(post.organisation or post.author.display_name),
            target=("forum.thread", post.thread_id),
            exclude=frozenset({post.author_id}),
            perm="forum.view_post",
            obj=post,
        )
