"""News from organisations, authorities and the platform (see the package's docstring)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ngo_platform.core.bounds import LONG_TEXT, TITLE, length_check


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
