"""The forum: categories set by the platform's administrators, threads, posts and their moderation.

A thread is its opening post and the replies, in one category. A post is written by a person, as themselves or on
behalf of an organisation they represent; its course (`workflows.POST`) is pending (a new account's post with a
link, waiting for a moderator) → visible ↔ hidden, each step a moderator's, audited, with the reason told to the
author (and, for a hidden post, to whoever reported it). Its author may edit it for a while
(`settings.NGO_FORUM_EDIT_MINUTES`); each edit keeps the text it replaced (`PostVersion`), shown to moderators
only. A quote refers to the quoted post and shows its text as it is now, to whoever may see that post: a hidden
post leaves no copy behind in the replies that quoted it.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ngo_platform.core.bounds import LONG_TEXT, REASON, TITLE, length_check


class Audience(models.TextChoices):
    PUBLIC = "public", _("anyone reads, anyone signed in writes")
    MEMBERS = "members", _("only representatives of verified organisations, officers and administrators")


class Category(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    audience = models.CharField(_("who takes part"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderators"),
        blank=True,
        related_name="moderated_forum_categories",
        help_text=_("Besides the platform's administrators, who moderate every category."),
    )

    class Meta:
        verbose_name = _("forum category")
        verbose_name_plural = _("forum categories")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(name="category_audience_valid", condition=models.Q(audience__in=Audience.values))
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:category", kwargs={"slug": self.slug})


class Thread(models.Model):
    """A conversation in a category. `is_public`, `replies` and `last_post_at` follow its visible posts (kept by
    the services with every post's step), so lists neither count nor filter the posts."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(_("title"), max_length=TITLE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="forum_threads"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_threads",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    is_public = models.BooleanField(_("its opening post is visible"), default=False)
    replies = models.PositiveIntegerField(_("visible replies"), default=0)
    last_post_at = models.DateTimeField(_("last post"), null=True, blank=True)
    locked = models.BooleanField(_("locked"), default=False)
    pinned = models.BooleanField(_("pinned"), default=False)

    # Its followers' follows go with it (see notifications.followable).
    follows = GenericRelation("notifications.Follow", content_type_field="target_type", object_id_field="target_id")

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [models.Index(fields=["category", "is_public", "-pinned", "-last_post_at"], name="thread_listing")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:thread", kwargs={"pk": self.pk})


class PostState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("post state", "waiting for a moderator")
    VISIBLE = "visible", pgettext_lazy("post state", "visible")
    HIDDEN = "hidden", pgettext_lazy("post state", "hidden by a moderator")


class Post(models.Model):
    thread = models.ForeignKey(Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts")
    is_opening = models.BooleanField(_("opens the thread"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="forum_posts"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_posts",
    )
    body = models.TextField(_("text"), max_length=LONG_TEXT)
    quote = models.ForeignKey(
        "self", verbose_name=_("quotes"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=PostState.choices, default=PostState.VISIBLE)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.TextField(_("reason of the moderator"), max_length=REASON, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "created_at", "id"], name="post_in_thread"),
            models.Index(fields=["author", "created_at"], name="post_by_author"),
            models.Index(fields=["state"], name="post_pending", condition=models.Q(state="pending")),
            # the recent ones, for the followers' notices (forum.notices)
            models.Index(fields=["created_at"], name="post_recent"),
            models.Index(fields=["state_changed_at"], name="post_recently_moderated"),
        ]
        constraints = [
            models.CheckConstraint(name="post_state_valid", condition=models.Q(state__in=PostState.values)),
            length_check("post", "body", LONG_TEXT),
            length_check("post", "moderation_reason", REASON),
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("forum:post", kwargs={"pk": self.pk})


class PostVersion(models.Model):
    """The text an edit replaced, and when that text had been written: for moderators only."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="versions")
    body = models.TextField(_("text"), max_length=LONG_TEXT)
    written_at = models.DateTimeField(_("written"))
    replaced_at = models.DateTimeField(_("replaced"), auto_now_add=True)

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["-written_at", "-id"]
        constraints = [length_check("postversion", "body", LONG_TEXT)]

    def __str__(self) -> str:
        return f"{self.post} ({self.written_at:%Y-%m-%d %H:%M})"


class ReportReason(models.TextChoices):
    SPAM = "spam", _("spam or advertising")
    ABUSE = "abuse", _("offensive, hateful or unlawful")
    PRIVACY = "privacy", _("discloses someone's personal data")
    OFF_TOPIC = "off_topic", _("off the topic of the category")
    OTHER = "other", _("something else")


class PostReport(models.Model):
    """Someone asks the moderators to look at a post: once per person and post; settled when a moderator hides,
    restores or keeps the post."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=ReportReason.choices)
    comment = models.TextField(_("what is wrong"), max_length=REASON, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post"], name="report_open", condition=models.Q(settled_at__isnull=True))]
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="report_once_per_person"),
            models.CheckConstraint(name="report_reason_valid", condition=models.Q(reason__in=ReportReason.values)),
            length_check("postreport", "comment", REASON),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.post}"
