"""Every write of the forum: starting a thread, replying (with a quote), editing within the window (the replaced
text kept as a `PostVersion`), reporting, the moderators' steps (`workflows.POST`, with the reason e-mailed to the
author and to whoever reported the post), locking and pinning threads, each moderation act audited.

The spam rule (`spam`): an account is new for `settings.NGO_FORUM_NEW_ACCOUNT_DAYS` after it was created, unless
it holds a role (a platform administrator, an officer, a moderator); a new account writes at most
`settings.NGO_FORUM_NEW_ACCOUNT_POSTS_PER_HOUR` posts an hour, and its posts with a link wait for a moderator."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.accounts.rules import is_any_officer, is_organisation_member, is_platform_admin
from ngo_platform.core.bounds import too_long
from ngo_platform.core.services import audit_log, email_notify
from ngo_platform.core.workflow import perform
from ngo_platform.forum.models import Category, Post, PostReport, PostState, PostVersion, Thread
from ngo_platform.forum.rules import moderated
from ngo_platform.forum.selectors import FORUM_VERSION
from ngo_platform.forum.workflows import POST, ForumError
from ngo_platform.notifications.services import follow_automatically

# A web address, a "www." name or a bare domain of a common top-level domain: what a spammer needs a reader to see.
LINK = re.compile(
    r"(?i)(https?://|www\.|\]\(|\b[a-z0-9-]+\.(?:pl|com|net|org|eu|info|biz|io|ru|xyz|online|site|shop|top)\b)"
)


def is_new_account(user, now) -> bool:
    if is_platform_admin(user) or is_any_officer(user) or moderated(user):
        return False
    return user.date_joined > now - timedelta(days=settings.NGO_FORUM_NEW_ACCOUNT_DAYS)


def spam(user, body: str, now) -> str:
    """The state a new post starts in; refuses a new account's post over its hourly limit."""
    if not is_new_account(user, now):
        return PostState.VISIBLE
    limit = settings.NGO_FORUM_NEW_ACCOUNT_POSTS_PER_HOUR
    if Post.objects.filter(author=user, created_at__gte=now - timedelta(hours=1)).count() >= limit:
        raise ForumError(
            _("A new account may write at most %(limit)s posts an hour: please wait a while before the next one.")
            % {"limit": limit},
            "body",
        )
    return PostState.PENDING if LINK.search(body) else PostState.VISIBLE


def _body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ForumError(_("Write the text of the post."), "body")
    if problem := too_long(Post, body=body):
        raise ForumError(problem[1], "body")
    return body


def _check_on_behalf(actor, organisation) -> None:
    if organisation is not None and not is_organisation_member(actor, organisation):
        raise PermissionDenied


def thread_refresh(thread_id: int) -> None:
    """The thread's public flag, its number of visible replies and its latest visible post, from its posts."""
    visible = Post.objects.filter(state=PostState.VISIBLE)
    opening_visible = visible.filter(thread=thread_id, is_opening=True).exists()
    in_thread = visible.filter(thread=OuterRef("pk")).order_by().values("thread")
    replies = Subquery(in_thread.filter(is_opening=False).annotate(n=Count("pk")).values("n")[:1])
    last = Subquery(in_thread.annotate(last=Max("created_at")).values("last")[:1])
    Thread.objects.filter(pk=thread_id).update(
        is_public=opening_visible, replies=Coalesce(replies, 0), last_post_at=last
    )
    FORUM_VERSION.bump_on_commit()


def thread_start(*, actor, category: Category, title: str, body: str, organisation=None) -> Thread:
    if not actor.has_perm("forum.start_thread", category):
        raise PermissionDenied
    _check_on_behalf(actor, organisation)
    title, body, now = (title or "").strip(), _body(body), timezone.now()
    if not title:
        raise ForumError(_("Give the thread a title."), "title")
    with transaction.atomic():
        state = spam(actor, body, now)
        thread = Thread.objects.create(category=category, title=title, author=actor, organisation=organisation)
        Post.objects.create(
            thread=thread, is_opening=True, author=actor, organisation=organisation, body=body, state=state
        )
        thread_refresh(thread.pk)
        follow_automatically(user=actor, target=thread)
    thread.refresh_from_db()
    return thread


def reply(*, actor, thread: Thread, body: str, quote: Post | None = None, organisation=None) -> Post:
    _check_on_behalf(actor, organisation)
    body, now = _body(body), timezone.now()
    with transaction.atomic():
        thread = Thread.objects.select_for_update().select_related("category").get(pk=thread.pk)
        if not actor.has_perm("forum.reply", thread):
            if thread.locked:
                raise ForumError(_("The thread is locked: no more replies."))
            raise PermissionDenied
        if quote is not None and (quote.thread_id != thread.pk or quote.state != PostState.VISIBLE):
            raise ForumError(_("This post cannot be quoted."), "quote")
        post = Post.objects.create(
            thread=thread, author=actor, organisation=organisation, body=body, quote=quote, state=spam(actor, body, now)
        )
        thread_refresh(thread.pk)
        follow_automatically(user=actor, target=thread)
    return post


def post_edit(*, actor, post: Post, body: str) -> Post:
    """The new text; the replaced one kept for the moderators. A new account's edit that adds a link holds the
    post for a moderator again."""
    body, now = _body(body), timezone.now()
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("thread", "thread__category").get(pk=post.pk)
        if not actor.has_perm("forum.edit_post", post):
            raise ForumError(
                _("This post can no longer be edited: posts are edited within %(minutes)s minutes of writing.")
                % {"minutes": settings.NGO_FORUM_EDIT_MINUTES}
            )
        if body == post.body:
            return post
        PostVersion.objects.create(post=post, body=post.body, written_at=post.edited_at or post.created_at)
        held = post.state == PostState.VISIBLE and spam(actor, body, now) == PostState.PENDING
        post.body, post.edited_at = body, now
        post.save(update_fields=["body", "edited_at"])
        if held:
            perform(POST, post, "hold", actor=None, details={"rule": "new account's edit added a link"})
            thread_refresh(post.thread_id)
        FORUM_VERSION.bump_on_commit()
    return post


def post_report(*, actor, post: Post, reason: str, comment: str = "") -> bool:
    """False when the person had already reported the post."""
    if not actor.has_perm("forum.report_post", post):
        raise PermissionDenied
    if problem := too_long(PostReport, comment=comment or ""):
        raise ForumError(problem[1], "comment")
    try:
        with transaction.atomic():
            PostReport.objects.create(post=post, reporter=actor, reason=reason, comment=(comment or "").strip())
    except IntegrityError:
        return False
    return True


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ForumError(_("Give the reason: the author (and whoever reported the post) will read it."), "reason")
    if problem := too_long(Post, moderation_reason=reason):
        raise ForumError(problem[1], "reason")
    return reason


def _settle_reports(post: Post, *, outcome: str, reason: str, now) -> None:
    reports = list(post.reports.filter(settled_at__isnull=True).select_related("reporter"))
    PostReport.objects.filter(pk__in=[report.pk for report in reports]).update(settled_at=now)
    for report in reports:
        email_notify(
            to=[report.reporter.email],
            template="forum/email/report_settled",
            context={"post": post, "report": report, "outcome": outcome, "reason": reason},
        )


def post_moderate(*, actor, post: Post, step: str, reason: str = "") -> Post:
    """Approve, hide or restore the post (hiding and restoring with a reason), tell its author and settle the
    reports on it, telling each reporter the outcome."""
    transition = POST[step]
    if transition.name == "hold":
        raise PermissionDenied
    reason = _reason(reason, required=transition.name != "approve")
    now = timezone.now()
    with transaction.atomic():
        post = perform(
            POST,
            post,
            transition.name,
            actor=actor,
            now=now,
            details={"reason": reason},
            values={"moderation_reason": reason},
        )
        thread_refresh(post.thread_id)
        _settle_reports(post, outcome=transition.name, reason=reason, now=now)
        email_notify(
            to=[post.author.email],
            template="forum/email/post_moderated",
            context={"post": post, "step": transition.name, "reason": reason},
        )
    return post


def reports_dismiss(*, actor, post: Post, reason: str) -> None:
    """The moderator keeps the reported post as it is; the reporters are told why."""
    if not actor.has_perm("forum.moderate", post):
        raise PermissionDenied
    reason, now = _reason(reason, required=True), timezone.now()
    with transaction.atomic():
        _settle_reports(post, outcome="keep", reason=reason, now=now)
        audit_log(actor=actor, action="forum.reports_dismiss", target=post, details={"reason": reason})


def thread_set(*, actor, thread: Thread, locked: bool | None = None, pinned: bool | None = None) -> Thread:
    """Lock or unlock, pin or unpin the thread; each change audited."""
    if not actor.has_perm("forum.moderate", thread):
        raise PermissionDenied
    with transaction.atomic():
        thread = Thread.objects.select_for_update().select_related("category").get(pk=thread.pk)
        for field, value, on, off in (("locked", locked, "lock", "unlock"), ("pinned", pinned, "pin", "unpin")):
            if value is None or getattr(thread, field) == value:
                continue
            setattr(thread, field, value)
            thread.save(update_fields=[field])
            audit_log(actor=actor, action=f"forum.thread_{on if value else off}", target=thread)
        FORUM_VERSION.bump_on_commit()
    return thread
