"""What waits on the desk (`core.desk`) in the forum: for the platform's administrators (every category) and a
category's moderators (theirs), the posts waiting for approval and the reported ones, the longest waiting first.
One query for the categories a person moderates (none for an administrator), one for the posts."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ngo_platform.core.desk import DeskItem, Person
from ngo_platform.forum.rules import moderated
from ngo_platform.forum.selectors import moderation_queue


def _detail(post) -> str:
    if post.state == "pending":
        return _("Waiting for approval")
    return ngettext("Reported once", "Reported %(count)s times", post.open_reports) % {"count": post.open_reports}


def items(person: Person) -> list[DeskItem]:
    if person.is_staff:
        categories = None
    else:
        categories = sorted(moderated(person.user))
        if not categories:
            return []
    return [
        DeskItem(
            code="forum.moderation",
            kind=_("Post to moderate"),
            title=post.thread.title,
            url=reverse("forum:post_moderate", kwargs={"pk": post.pk}),
            detail=f"{post.thread.category.name}: {_detail(post)}",
        )
        for post in moderation_queue(categories=categories)[:20]
    ]
