"""Events and their registrations (see the package's docstring)."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ngo_platform.core.bounds import SHORT_TEXT, TEXT, TITLE, length_check


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
