"""The course of a forum post, declared once (`core.workflow`): pending → visible ↔ hidden.

A moderator (`forum.moderate`: the platform's administrators, the category's moderators) approves a pending post,
hides a pending or visible one and restores a hidden one, each with the reason the author is told; the spam rule
(`services.spam`, actor None) holds a new account's visible post for a moderator when an edit adds a link."""

from django.utils.translation import gettext_lazy

from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.workflow import Transition, Workflow
from ngo_platform.forum.models import Post, PostState
from ngo_platform.forum.selectors import FORUM_VERSION

S = PostState
MODERATE = "forum.moderate"


class ForumError(ServiceError):
    """A forum step that is not allowed now (`core.exceptions.ServiceError`)."""


POST = Workflow(
    model=Post,
    audit="forum.post_{name}",
    changed_at="state_changed_at",
    error=ForumError,
    on_change=FORUM_VERSION.bump_on_commit,
    refusal=gettext_lazy("This cannot be done now: the post is “%(state)s”."),
    details=lambda post: {"thread": post.thread_id},
    transitions=[
        Transition("approve", S.PENDING, S.VISIBLE, gettext_lazy("Approve"), MODERATE),
        Transition("hide", (S.PENDING, S.VISIBLE), S.HIDDEN, gettext_lazy("Hide"), MODERATE),
        Transition("restore", S.HIDDEN, S.VISIBLE, gettext_lazy("Restore"), MODERATE),
        Transition("hold", S.VISIBLE, S.PENDING, gettext_lazy("Hold for a moderator")),
    ],
)
