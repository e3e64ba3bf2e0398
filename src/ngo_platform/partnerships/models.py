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

from ngo_platform.core.bounds import LONG_TEXT, TEXT, TITLE, length_checks


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
