"""Reads of the forum: the categories with their activity, a category's threads, a thread's posts as the person
may see them (one page at a time), where a post stands, and the moderators' queue."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from ngo_platform.core.page_cache import DataVersion
from ngo_platform.forum.models import Category, Post, PostReport, PostState, PostVersion, Thread

FORUM_VERSION = DataVersion("forum.posts")
THREADS_PER_PAGE = 30


def categories() -> list[Category]:
    """Every category with the number of its public threads and its latest post."""
    return list(
        Category.objects.annotate(
            thread_count=Count("threads", filter=Q(threads__is_public=True)),
            last_post_at=Max("threads__last_post_at", filter=Q(threads__is_public=True)),
        ).order_by("position", "name")
    )


def category_by_slug(slug: str) -> Category:
    return Category.objects.get(slug=slug)


def threads_in(category: Category):
    """The category's threads whose opening post is visible: pinned first, then by the latest post."""
    return (
        Thread.objects.filter(category=category, is_public=True)
        .select_related("author", "organisation")
        .order_by("-pinned", "-last_post_at", "-pk")
    )


def thread_page(pk: int) -> Thread:
    return Thread.objects.select_related("category", "author", "organisation").get(pk=pk)


def posts_seen_by(thread: Thread, user, *, moderator: bool):
    """The thread's posts the person sees: a moderator every one (with its earlier versions); anyone else the
    visible and hidden ones (a hidden one shown as a mere mark, `templates/forum/_post.html`) and their own
    waiting for a moderator."""
    posts = thread.posts.select_related("author", "organisation", "quote", "quote__author", "quote__organisation")
    if moderator:
        versions = PostVersion.objects.order_by("-written_at", "-id")
        open_reports = PostReport.objects.filter(settled_at__isnull=True).select_related("reporter")
        return posts.prefetch_related(
            Prefetch("versions", queryset=versions), Prefetch("reports", queryset=open_reports, to_attr="open_reports")
        )
    seen = Q(state__in=[PostState.VISIBLE, PostState.HIDDEN])
    if user.is_authenticated:
        seen |= Q(author=user)
    return posts.filter(seen)


def page_of(post: Post, user, *, moderator: bool) -> int:
    """The page of the thread on which the person finds the post."""
    before = posts_seen_by(post.thread, user, moderator=moderator).filter(
        Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk)
    )
    return before.count() // settings.NGO_FORUM_POSTS_PER_PAGE + 1


def moderation_queue(*, categories: list[int] | None):
    """Posts waiting for a moderator and posts with open reports, in the given categories (None: every one),
    the longest waiting first."""
    first_report = Subquery(
        PostReport.objects.filter(post=OuterRef("pk"), settled_at__isnull=True)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    open_reports = Count("reports", filter=Q(reports__settled_at__isnull=True))
    posts = (
        Post.objects.annotate(open_reports=open_reports, waiting_since=Coalesce(first_report, "created_at"))
        .filter(Q(state=PostState.PENDING) | Q(open_reports__gt=0))
        .select_related("thread", "thread__category", "author")
        .order_by("waiting_since", "pk")
    )
    if categories is not None:
        posts = posts.filter(thread__category__in=categories)
    return posts
