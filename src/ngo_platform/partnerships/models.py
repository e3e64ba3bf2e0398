"""Partnership matchmaking (/partnerstwa/): announcements "we seek partners" and "we offer cooperation" by an
organisation (an NGO or another institution of the directory) or an authority, with the role the author takes,
the theme, spheres, territory, the programme or competition it aims at, a deadline, what is offered and needed
and a budget range. Published until the deadline, then archived (`notices.archive_expired`, run by `notify`).

Suggestions of partners (`suggestions.py`) rank organisations and announcements by shared spheres, territory,
text (`core.search` over the directory's entries and `SearchEntry` here) and history on the platform.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ngo_platform.core.bounds import LONG_TEXT, REASON, SHORT_TEXT, TEXT, TITLE, length_checks
from ngo_platform.core.models import private_storage


class AnnouncementKind(models.TextChoices):
    SEEKING = "seeking", _("we seek partners")
    OFFERING = "offering", _("we offer cooperation")


class PartnerRole(models.TextChoices):
    LEADER = "leader", _("leader")
    PARTNER = "partner", _("partner")


class AnnouncementState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


ANNOUNCEMENT_LIMITS = {"description": LONG_TEXT, "offered": TEXT, "needed": TEXT}


class Announcement(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=AnnouncementKind.choices)
    role = models.CharField(
        _("our role"), max_length=10, choices=PartnerRole.choices, help_text=_("The role you take in the partnership.")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partnership_announcements",
    )
    authority = models.ForeignKey(
        "territory.Authority",
        verbose_name=_("authority"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partnership_announcements",
    )
    title = models.CharField(_("theme"), max_length=TITLE)
    description = models.TextField(_("what it is about"), max_length=ANNOUNCEMENT_LIMITS["description"])
    spheres = models.ManyToManyField(
        "territory.Sphere", verbose_name=_("spheres of public tasks"), related_name="partnership_announcements"
    )
    territory = models.ManyToManyField(
        "territory.TerritorialUnit",
        verbose_name=_("territory"),
        blank=True,
        related_name="partnership_announcements",
        help_text=_("The gminas, powiats or the voivodeship where the partnership will act."),
    )
    abroad = models.BooleanField(_("also abroad"), default=False)
    programme = models.CharField(
        _("programme or call"),
        max_length=200,
        blank=True,
        help_text=_("For example: Erasmus+, FIO, a foundation's grant programme."),
    )
    competition = models.ForeignKey(
        "competitions.Competition",
        verbose_name=_("competition on the platform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnership_announcements",
    )
    deadline = models.DateField(_("deadline"), help_text=_("The announcement is archived after this day."))
    offered = models.TextField(
        _("what we offer"),
        max_length=ANNOUNCEMENT_LIMITS["offered"],
        blank=True,
        help_text=_("Resources, competences, own contribution."),
    )
    needed = models.TextField(
        _("what we need"),
        max_length=ANNOUNCEMENT_LIMITS["needed"],
        blank=True,
        help_text=_("Resources, competences, contribution expected of the partner."),
    )
    budget_from = models.PositiveIntegerField(_("budget from (PLN)"), null=True, blank=True)
    budget_to = models.PositiveIntegerField(_("budget to (PLN)"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=AnnouncementState.choices, default=AnnouncementState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    state_changed_at = models.DateTimeField(_("state changed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("partnership announcement")
        verbose_name_plural = _("partnership announcements")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["state", "-published_at"], name="announcement_state_published")]
        constraints = [
            models.CheckConstraint(
                name="announcement_one_author_party",
                condition=(models.Q(organisation__isnull=True) & models.Q(authority__isnull=False))
                | (models.Q(organisation__isnull=False) & models.Q(authority__isnull=True)),
            ),
            models.CheckConstraint(
                name="announcement_budget_in_order",
                condition=models.Q(budget_from__isnull=True)
                | models.Q(budget_to__isnull=True)
                | models.Q(budget_from__lte=models.F("budget_to")),
            ),
            models.CheckConstraint(
                name="announcement_state_valid", condition=models.Q(state__in=AnnouncementState.values)
            ),
            models.CheckConstraint(
                name="announcement_kind_valid", condition=models.Q(kind__in=AnnouncementKind.values)
            ),
            *length_checks("announcement", ANNOUNCEMENT_LIMITS),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", kwargs={"pk": self.pk})

    @property
    def party(self):
        """On whose behalf it is written: the organisation or the authority."""
        return self.organisation or self.authority

    @property
    def is_public(self) -> bool:
        return self.state in (AnnouncementState.PUBLISHED, AnnouncementState.ARCHIVED)

    @property
    def is_current(self) -> bool:
        """Published with the deadline still to come: others may contact its author."""
        from django.utils import timezone

        return self.state == AnnouncementState.PUBLISHED and self.deadline >= timezone.localdate()


class SearchEntry(models.Model):
    """What search and the suggestions' text similarity match, per announcement (`core.search`): the theme's
    terms, and in the body the description, what is offered and needed, the programme and the spheres."""

    announcement = models.OneToOneField(Announcement, on_delete=models.CASCADE, related_name="search_entry")
    name_terms = models.TextField()
    body_terms = models.TextField(blank=True)
    name_folded = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")


class Conversation(models.Model):
    """Between the announcement's party and one interested organisation, through the platform: visible to the
    members of both, never showing anyone's e-mail address; kept when the announcement is archived."""

    announcement = models.ForeignKey(
        Announcement, verbose_name=_("announcement"), on_delete=models.CASCADE, related_name="conversations"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("interested organisation"),
        on_delete=models.CASCADE,
        related_name="partnership_conversations",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["announcement", "organisation"], name="conversation_once_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.announcement} – {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:conversation", kwargs={"pk": self.pk})


MESSAGE_LIMITS = {"text": SHORT_TEXT}


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, verbose_name=_("conversation"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # On whose behalf: the announcement's side or the interested organisation's.
    from_announcer = models.BooleanField(_("from the announcement's author"))
    text = models.TextField(_("message"), max_length=MESSAGE_LIMITS["text"])
    attachment = models.FileField(_("attachment"), upload_to="partnerships/%Y/", storage=private_storage, blank=True)
    attachment_type = models.CharField(_("type of the attachment"), max_length=5, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        constraints = length_checks("message", MESSAGE_LIMITS)

    def __str__(self) -> str:
        return self.text[:60]


REPORT_LIMITS = {"comment": REASON}


class AbuseReport(models.Model):
    """Someone in a conversation asks the platform's administrators to look at a message: once per person."""

    message = models.ForeignKey(Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.CASCADE, related_name="+"
    )
    comment = models.TextField(_("what is wrong"), max_length=REPORT_LIMITS["comment"])
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        verbose_name = _("report of abuse")
        verbose_name_plural = _("reports of abuse")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="abusereport_once_per_person"),
            *length_checks("abusereport", REPORT_LIMITS),
        ]


class PartnershipState(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    CONFIRMED = "confirmed", _("confirmed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Leader(models.TextChoices):
    ANNOUNCER = "announcer", _("the announcement's author")
    INTERESTED = "interested", _("the interested organisation")


PARTNERSHIP_LIMITS = {"scope": SHORT_TEXT}


class Partnership(models.Model):
    """The two sides of a conversation confirm their partnership (who leads, the scope): proposed by one side,
    confirmed by the other (`workflows.PARTNERSHIP`). A confirmed partnership of two organisations starts a joint
    offer in a competition with the partner already filled in (`services.joint_offer_start`)."""

    conversation = models.ForeignKey(
        Conversation, verbose_name=_("conversation"), on_delete=models.CASCADE, related_name="partnerships"
    )
    leader = models.CharField(_("leader"), max_length=10, choices=Leader.choices)
    scope = models.TextField(
        _("scope of the partnership"),
        max_length=PARTNERSHIP_LIMITS["scope"],
        help_text=_("What each side does; it becomes the partner's part of a joint offer."),
    )
    proposed_by_announcer = models.BooleanField(_("proposed by the announcement's author"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=PartnershipState.choices, default=PartnershipState.PROPOSED
    )
    offer = models.OneToOneField(
        "competitions.Offer",
        verbose_name=_("joint offer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnership",
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("state changed"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation"],
                condition=models.Q(state__in=["proposed", "confirmed"]),
                name="partnership_one_standing_per_conversation",
            ),
            models.CheckConstraint(
                name="partnership_state_valid", condition=models.Q(state__in=PartnershipState.values)
            ),
            *length_checks("partnership", PARTNERSHIP_LIMITS),
        ]

    def __str__(self) -> str:
        return str(self.conversation)


class SavedSearch(models.Model):
    """A person's search of the announcements (the list's filters, as its query string), followed: a new
    announcement that matches is e-mailed through the notification engine (at once or in the daily digest)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    query = models.CharField(_("filters"), max_length=1000)
    description = models.CharField(_("search"), max_length=TITLE)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved search of partnership announcements")
        verbose_name_plural = _("saved searches of partnership announcements")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "query"], name="savedsearch_once_per_person")]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("partnerships:list") + "?" + self.query
