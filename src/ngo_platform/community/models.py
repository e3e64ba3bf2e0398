"""The community: news from organisations, authorities and the platform; events with their registrations.

A news item is written on behalf of one party: an organisation (by its representatives), an authority (by its
officers) or the platform (by its administrators), never two; its course is draft → published → archived
(`community.workflows.NEWS`). The body is Markdown, rendered through `core.markdown` (no raw HTML ever reaches a
page); the lead image is re-encoded by `core.images` and always has its alternative text.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ngo_platform.core.bounds import LONG_TEXT, SHORT_TEXT, TEXT, TITLE, length_check


class AuthorKind(models.TextChoices):
    ORGANISATION = "organisation", _("organisation")
    AUTHORITY = "authority", _("local government")
    PLATFORM = "platform", _("platform")


class NewsState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


PUBLIC_NEWS_STATES = (NewsState.PUBLISHED, NewsState.ARCHIVED)


class News(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="news",
    )
    authority = models.ForeignKey(
        "territory.Authority",
        verbose_name=_("authority"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="news",
    )
    title = models.CharField(_("title"), max_length=TITLE)
    lead = models.CharField(
        _("lead"), max_length=500, help_text=_("One or two sentences shown in lists, feeds and on the home page.")
    )
    body = models.TextField(_("text"), max_length=LONG_TEXT)
    image = models.ImageField(
        _("lead image"), upload_to="news/%Y/", blank=True, width_field="image_width", height_field="image_height"
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(_("alternative text of the image"), max_length=TITLE, blank=True)
    spheres = models.ManyToManyField(
        "territory.Sphere", verbose_name=_("spheres of public tasks"), blank=True, related_name="news"
    )
    state = models.CharField(_("state"), max_length=10, choices=NewsState.choices, default=NewsState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    state_changed_at = models.DateTimeField(_("state changed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        indexes = [models.Index(fields=["state", "-published_at"], name="news_state_published")]
        constraints = [
            models.CheckConstraint(
                name="news_one_author_party",
                condition=models.Q(organisation__isnull=True) | models.Q(authority__isnull=True),
            ),
            models.CheckConstraint(
                name="news_image_has_alt_text", condition=models.Q(image="") | ~models.Q(image_alt="")
            ),
            models.CheckConstraint(
                name="news_published_has_date",
                condition=models.Q(state=NewsState.DRAFT) | models.Q(published_at__isnull=False),
            ),
            models.CheckConstraint(name="news_state_valid", condition=models.Q(state__in=NewsState.values)),
            length_check("news", "body", LONG_TEXT),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:news_detail", kwargs={"pk": self.pk})

    @property
    def author_kind(self) -> str:
        if self.organisation_id:
            return AuthorKind.ORGANISATION
        if self.authority_id:
            return AuthorKind.AUTHORITY
        return AuthorKind.PLATFORM

    @property
    def party(self):
        """On whose behalf it is written: the organisation, the authority, or None (the platform)."""
        return self.organisation or self.authority

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_NEWS_STATES


class NewsAttachmentType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    ODT = "odt", "ODT"


class NewsAttachment(models.Model):
    news = models.ForeignKey(News, verbose_name=_("news item"), on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="news/attachments/%Y/")
    file_type = models.CharField(_("type"), max_length=5, choices=NewsAttachmentType.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class EventState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CANCELLED = "cancelled", _("cancelled")


PUBLIC_EVENT_STATES = (EventState.PUBLISHED, EventState.CANCELLED)


class RegistrationMode(models.TextChoices):
    NONE = "none", _("no registration: just come")
    EXTERNAL = "external", _("on the organiser's own page")
    PLATFORM = "platform", _("here, on the platform (with a limit of places and a waiting list)")


class Event(models.Model):
    """An event organised by an organisation or an authority (never both, never neither): from `starts_at` to
    `ends_at` (aware; for an `all_day` event, midnight in Europe/Warsaw of its first day to midnight after its last),
    at a place (an address in a gmina) and/or online; its accessibility for people with disabilities is always
    said. Registration is none, on the organiser's page, or here with `capacity` places and a waiting list."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    authority = models.ForeignKey(
        "territory.Authority",
        verbose_name=_("authority"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    title = models.CharField(_("title"), max_length=TITLE)
    description = models.TextField(_("description"), max_length=TEXT)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    all_day = models.BooleanField(_("all day"), default=False)
    place = models.CharField(_("address of the place"), max_length=TITLE, blank=True)
    gmina = models.ForeignKey(
        "territory.TerritorialUnit",
        verbose_name=_("gmina of the place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "gmina"},
    )
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    accessibility = models.TextField(_("accessibility for people with disabilities"), max_length=SHORT_TEXT)
    registration = models.CharField(
        _("registration"), max_length=10, choices=RegistrationMode.choices, default=RegistrationMode.NONE
    )
    registration_url = models.URLField(_("registration page"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=EventState.choices, default=EventState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    state_changed_at = models.DateTimeField(_("state changed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["state", "starts_at"], name="event_state_start")]
        constraints = [
            models.CheckConstraint(
                name="event_one_organiser",
                condition=models.Q(organisation__isnull=True, authority__isnull=False)
                | models.Q(organisation__isnull=False, authority__isnull=True),
            ),
            models.CheckConstraint(
                name="event_ends_after_start", condition=models.Q(ends_at__gt=models.F("starts_at"))
            ),
            models.CheckConstraint(name="event_has_a_place_or_a_link", condition=~models.Q(place="", online_url="")),
            models.CheckConstraint(
                name="event_place_has_gmina", condition=models.Q(place="") | models.Q(gmina__isnull=False)
            ),
            models.CheckConstraint(
                name="event_platform_registration_has_places",
                condition=~models.Q(registration=RegistrationMode.PLATFORM) | models.Q(capacity__gt=0),
            ),
            models.CheckConstraint(
                name="event_external_registration_has_link",
                condition=~models.Q(registration=RegistrationMode.EXTERNAL) | ~models.Q(registration_url=""),
            ),
            models.CheckConstraint(name="event_state_valid", condition=models.Q(state__in=EventState.values)),
            length_check("event", "description", TEXT),
            length_check("event", "accessibility", SHORT_TEXT),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:event_detail", kwargs={"pk": self.pk})

    @property
    def last_day(self):
        """The last day it lasts, in Europe/Warsaw (an all-day event ends at midnight after it)."""
        return timezone.localtime(self.ends_at - datetime.timedelta(microseconds=1)).date()

    @property
    def days(self) -> int:
        return (self.last_day - timezone.localtime(self.starts_at).date()).days + 1

    @property
    def party(self):
        return self.organisation or self.authority

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_EVENT_STATES


class RegistrationState(models.TextChoices):
    REGISTERED = "registered", _("registered")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


class EventRegistration(models.Model):
    """A person's place at an event, or their place on its waiting list (first come, first served: by
    `created_at`); a cancelled registration stays, for the organiser's record."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="event_registrations"
    )
    state = models.CharField(_("state"), max_length=10, choices=RegistrationState.choices)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~models.Q(state=RegistrationState.CANCELLED),
                name="registration_one_active_per_person",
            ),
            models.CheckConstraint(
                name="registration_state_valid", condition=models.Q(state__in=RegistrationState.values)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.event}"


class IdeaKind(models.TextChoices):
    IDEA = "idea", _("idea")
    NEED = "need", _("need")


class IdeaState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("idea state", "waiting for an answer")
    CONSIDERING = "considering", pgettext_lazy("idea state", "under consideration")
    ACCEPTED = "accepted", pgettext_lazy("idea state", "accepted")
    REJECTED = "rejected", pgettext_lazy("idea state", "rejected")
    DONE = "done", pgettext_lazy("idea state", "done")


class Idea(models.Model):
    """An idea or a need that an organisation or a resident addresses to an authority (or, with none, to the
    platform), with a sphere and a territory; others support it, the addressed authority's officers answer it
    (`IdeaAnswer`, the course in `workflows.IDEA`). `supporters` counts the supports (kept by the services under the
    idea's row lock), so lists sort by it without counting."""

    kind = models.CharField(_("kind"), max_length=10, choices=IdeaKind.choices, default=IdeaKind.IDEA)
    title = models.CharField(_("title"), max_length=TITLE)
    description = models.TextField(_("description"), max_length=TEXT)
    authority = models.ForeignKey(
        "territory.Authority",
        verbose_name=_("addressed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    sphere = models.ForeignKey(
        "territory.Sphere",
        verbose_name=_("sphere of public tasks"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    territory = models.ForeignKey(
        "territory.TerritorialUnit",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="ideas"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    state = models.CharField(_("state"), max_length=12, choices=IdeaState.choices, default=IdeaState.SUBMITTED)
    supporters = models.PositiveIntegerField(_("supports"), default=0)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("state changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("idea or need")
        verbose_name_plural = _("ideas and needs")
        indexes = [
            models.Index(fields=["-supporters", "-id"], name="idea_by_support"),
            models.Index(fields=["-created_at", "-id"], name="idea_newest"),
        ]
        constraints = [
            models.CheckConstraint(name="idea_state_valid", condition=models.Q(state__in=IdeaState.values)),
            models.CheckConstraint(name="idea_kind_valid", condition=models.Q(kind__in=IdeaKind.values)),
            length_check("idea", "description", TEXT),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:idea_detail", kwargs={"pk": self.pk})


class IdeaSupport(models.Model):
    """One support: a person's own (once per person), or on behalf of an organisation by its representative (once
    per organisation)."""

    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="idea_supports"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="idea_supports",
    )
    created_at = models.DateTimeField(_("supported"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "user"], condition=models.Q(organisation__isnull=True), name="support_once_per_person"
            ),
            models.UniqueConstraint(
                fields=["idea", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="support_once_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation or self.user} – {self.idea}"


class IdeaAnswer(models.Model):
    """An official answer of the addressed authority: the state it gave the idea and what it says (the reason of a
    rejection, what will follow an acceptance). Public, audited, e-mailed to the author and the supporters."""

    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="answers")
    state = models.CharField(_("answer"), max_length=12, choices=IdeaState.choices)
    text = models.TextField(_("text of the answer"), max_length=TEXT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.PROTECT, related_name="+"
    )
    authority = models.ForeignKey(
        "territory.Authority",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("official answer")
        verbose_name_plural = _("official answers")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(name="ideaanswer_state_valid", condition=models.Q(state__in=IdeaState.values)),
            length_check("ideaanswer", "text", TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()}: {self.idea}"
