"""The forum's pages: the categories, a category's threads, a thread with its posts (one page at a time), a new
thread, a reply (with a quote), an edit, a report, and the moderators' pages (a post's decision with its earlier
versions and reports, a thread's lock and pin, the queue)."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.accounts.rules import is_platform_admin
from ngo_platform.accounts.selectors import represented_organisations
from ngo_platform.core.markdown import render_markdown
from ngo_platform.core.page_cache import cache_anonymous_page
from ngo_platform.core.permissions import refusal
from ngo_platform.forum import selectors, services
from ngo_platform.forum.forms import (
    DismissForm,
    ModerationForm,
    PostEditForm,
    ReplyForm,
    ReportForm,
    ThreadForm,
    ThreadModerationForm,
)
from ngo_platform.forum.models import Category, Post, PostState, Thread
from ngo_platform.forum.rules import edit_window, moderated
from ngo_platform.forum.workflows import POST, ForumError
from ngo_platform.notifications.selectors import follow_of


@cache_anonymous_page(selectors.FORUM_VERSION)
def index(request):
    return render(request, "forum/index.html", {"categories": selectors.categories()})


def _category(slug) -> Category:
    try:
        return selectors.category_by_slug(slug)
    except Category.DoesNotExist:
        raise Http404 from None


def _readable(request, obj, perm):
    """None when the person may see `obj`; else the login page for an anonymous visitor, 404 for anyone else
    (a post or a thread not visible is not said to exist)."""
    if request.user.has_perm(perm, obj):
        return None
    if not request.user.is_authenticated:
        return refusal(request)
    raise Http404


@cache_anonymous_page(selectors.FORUM_VERSION)
def category(request, slug):
    category = _category(slug)
    if (response := _readable(request, category, "forum.view_category")) is not None:
        return response
    page = Paginator(selectors.threads_in(category), selectors.THREADS_PER_PAGE).get_page(request.GET.get("strona"))
    return render(request, "forum/category.html", {"category": category, "page": page})


def thread_new(request, slug):
    category = _category(slug)
    if (response := refusal(request, "forum.start_thread", category)) is not None:
        return response
    form = ThreadForm(request.POST or None, organisations=represented_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = services.thread_start(
                actor=request.user,
                category=category,
                title=data["title"],
                body=data["body"],
                organisation=data["organisation"],
            )
        except ForumError as error:
            error.attach_to(form)
        else:
            _say_posted(request, thread.posts.get(is_opening=True))
            return redirect(thread)
    return render(request, "forum/thread_new.html", {"category": category, "form": form}, status=_status(form))


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _say_posted(request, post: Post) -> None:
    if post.state == PostState.PENDING:
        messages.warning(
            request,
            _("Your post waits for a moderator: posts with links from new accounts are approved before they appear."),
        )
    else:
        messages.success(request, _("Your post has been published."))


def _thread(pk) -> Thread:
    try:
        return selectors.thread_page(pk)
    except Thread.DoesNotExist:
        raise Http404 from None


def _decorate(posts, user, *, moderator: bool) -> None:
    """What the person sees of each post, and may do with it (the rules answer from memory, no query)."""
    for post in posts:
        own = user.is_authenticated and post.author_id == user.pk
        post.shown = post.state != PostState.HIDDEN or own or moderator
        post.html = render_markdown(post.body) if post.shown else ""
        quote = post.quote
        if quote is not None:
            quote.thread = post.thread  # a quote is of the same thread (`services.reply`): the rule reads no row
        post.quote_shown = quote is not None and user.has_perm("forum.view_post", quote)
        post.quote_html = render_markdown(quote.body) if post.quote_shown else ""
        post.can_edit = own and user.has_perm("forum.edit_post", post)
        post.can_report = user.has_perm("forum.report_post", post)


def thread(request, pk):
    thread = _thread(pk)
    if (response := _readable(request, thread, "forum.view_thread")) is not None:
        return response
    return _thread_page(request, thread)


def _thread_page(request, thread, *, form=None, status=200):
    user = request.user
    moderator = user.has_perm("forum.moderate", thread)
    posts = selectors.posts_seen_by(thread, user, moderator=moderator)
    page = Paginator(posts, settings.NGO_FORUM_POSTS_PER_PAGE).get_page(request.GET.get("strona"))
    _decorate(page.object_list, user, moderator=moderator)
    can_reply = user.has_perm("forum.reply", thread)
    if form is None and can_reply:
        form = ReplyForm(organisations=represented_organisations(user))
    context = {
        "thread": thread,
        "category": thread.category,
        "page": page,
        "moderator": moderator,
        "form": form if can_reply else None,
        "thread_form": ThreadModerationForm(initial={"locked": thread.locked, "pinned": thread.pinned})
        if moderator
        else None,
        "edit_minutes": int(edit_window().total_seconds() // 60),
        "following": follow_of(user, thread) is not None,
    }
    return render(request, "forum/thread.html", context, status=status)


def reply(request, pk):
    """GET: the reply form with the quoted post (`?cytat=`); POST: the reply."""
    thread = _thread(pk)
    if (response := refusal(request, "forum.view_thread", thread)) is not None:
        return response
    if not request.user.has_perm("forum.reply", thread):
        messages.error(request, _("The thread is locked: no more replies."))
        return redirect(thread)
    organisations = represented_organisations(request.user)
    quote_id = request.POST.get("quote") or request.GET.get("cytat")
    form = ReplyForm(request.POST or None, organisations=organisations, initial={"quote": quote_id})
    quote = _quotable(request.user, thread, quote_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.reply(
                actor=request.user, thread=thread, body=data["body"], quote=quote, organisation=data["organisation"]
            )
        except ForumError as error:
            error.attach_to(form)
        else:
            _say_posted(request, post)
            return redirect(post)
    context = {"thread": thread, "category": thread.category, "form": form, "quote": quote}
    if quote is not None:
        context["quote_html"] = render_markdown(quote.body)
    return render(request, "forum/reply.html", context, status=_status(form))


def _quotable(user, thread, quote_id):
    if not str(quote_id or "").isdigit():
        return None
    quote = Post.objects.filter(pk=int(quote_id), thread=thread).select_related("author", "organisation").first()
    return quote if quote is not None and quote.state == PostState.VISIBLE else None


def _post(pk) -> Post:
    try:
        return Post.objects.select_related("thread", "thread__category", "author", "organisation").get(pk=pk)
    except Post.DoesNotExist:
        raise Http404 from None


def post(request, pk):
    """The post's place in its thread: the page it is on, scrolled to it."""
    post = _post(pk)
    if (response := _readable(request, post, "forum.view_post")) is not None:
        return response
    moderator = request.user.has_perm("forum.moderate", post)
    page = selectors.page_of(post, request.user, moderator=moderator)
    url = reverse("forum:thread", kwargs={"pk": post.thread_id})
    return redirect(f"{url}{f'?strona={page}' if page > 1 else ''}#wpis-{post.pk}")


def post_edit(request, pk):
    post = _post(pk)
    if (response := refusal(request, "forum.view_post", post)) is not None:
        return response
    if not request.user.has_perm("forum.edit_post", post):
        messages.error(request, _("This post can no longer be edited."))
        return redirect(post)
    form = PostEditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_edit(actor=request.user, post=post, body=form.cleaned_data["body"])
        except ForumError as error:
            error.attach_to(form)
        else:
            if post.state == PostState.PENDING:
                _say_posted(request, post)
            else:
                messages.success(request, _("The post has been changed; it is marked as edited."))
            return redirect(post)
    context = {"post": post, "thread": post.thread, "category": post.thread.category, "form": form}
    return render(request, "forum/post_edit.html", context, status=_status(form))


def post_report(request, pk):
    post = _post(pk)
    if (response := refusal(request, "forum.report_post", post)) is not None:
        return response
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.post_report(
                actor=request.user, post=post, reason=form.cleaned_data["reason"], comment=form.cleaned_data["comment"]
            )
        except ForumError as error:
            error.attach_to(form)
        else:
            messages.success(
                request,
                _("Thank you: the moderators will look at the post and you will get an e-mail with their decision.")
                if new
                else _("You have already reported this post; the moderators will look at it."),
            )
            return redirect(post)
    context = {"post": post, "thread": post.thread, "category": post.thread.category, "form": form}
    return render(request, "forum/post_report.html", context, status=_status(form))


def post_moderate(request, pk):
    """The moderator's page of a post: the post, its earlier versions, the open reports; the decision."""
    post = _post(pk)
    if (response := refusal(request, "forum.moderate", post)) is not None:
        return response
    steps = [step for step in POST.available(post, request.user) if step.name != "hold"]
    form = ModerationForm(request.POST or None, steps=steps)
    dismiss = DismissForm(request.POST if "dismiss" in request.POST else None, prefix="keep")
    if request.method == "POST" and "dismiss" in request.POST:
        if dismiss.is_valid():
            services.reports_dismiss(actor=request.user, post=post, reason=dismiss.cleaned_data["reason"])
            messages.success(request, _("The post stays; whoever reported it has been told why."))
            return redirect("forum:queue")
    elif request.method == "POST" and form.is_valid():
        try:
            services.post_moderate(
                actor=request.user, post=post, step=form.cleaned_data["step"], reason=form.cleaned_data["reason"]
            )
        except ForumError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("Done: the author and whoever reported the post have been told."))
            return redirect("forum:queue")
    context = {
        "post": post,
        "thread": post.thread,
        "category": post.thread.category,
        "html": render_markdown(post.body),
        "versions": [(version, render_markdown(version.body)) for version in post.versions.all()],
        "reports": list(post.reports.filter(settled_at__isnull=True).select_related("reporter")),
        "form": form if steps else None,
        "dismiss": dismiss,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "forum/post_moderate.html", context, status=status)


@require_POST
def thread_moderate(request, pk):
    thread = _thread(pk)
    if (response := refusal(request, "forum.moderate", thread)) is not None:
        return response
    form = ThreadModerationForm(request.POST)
    if form.is_valid():
        services.thread_set(
            actor=request.user, thread=thread, locked=form.cleaned_data["locked"], pinned=form.cleaned_data["pinned"]
        )
        messages.success(request, _("The thread's settings have been saved."))
    return redirect(thread)


def queue(request):
    """The posts waiting for a moderator and the reported ones, in the categories the person moderates."""
    if (response := refusal(request)) is not None:
        return response
    user = request.user
    categories = None if is_platform_admin(user) else sorted(moderated(user))
    if categories == []:
        raise Http404
    page = Paginator(selectors.moderation_queue(categories=categories), 50).get_page(request.GET.get("strona"))
    return render(request, "forum/queue.html", {"page": page})
