"""What people follow, how they want to be told, and what they have been told (see `engine`)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    """A person follows exactly one subject: an authority, a territorial unit (and everything in it), a sphere of
    public tasks, or one item (a forum thread, an idea: `target`, of a kind registered in `followable`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="follows"
    )
    authority = models.ForeignKey(
        "territory.Authority",
        verbose_name=_("authority"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    unit = models.ForeignKey(
        "territory.TerritorialUnit",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    sphere = models.ForeignKey(
        "territory.Sphere",
        verbose_name=_("sphere of public tasks"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("followed subject")
        verbose_name_plural = _("followed subjects")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="follows_one_subject",
                condition=(
                    models.Q(authority__isnull=False, unit__isnull=True, sphere__isnull=True, target_type__isnull=True)
                    | models.Q(
                        authority__isnull=True, unit__isnull=False, sphere__isnull=True, target_type__isnull=True
                    )
                    | models.Q(
                        authority__isnull=True, unit__isnull=True, sphere__isnull=False, target_type__isnull=True
                    )
                    | models.Q(
                        authority__isnull=True,
                        unit__isnull=True,
                        sphere__isnull=True,
                        target_type__isnull=False,
                        target_id__isnull=False,
                    )
                ),
            ),
            models.UniqueConstraint(fields=["user", "authority"], name="follows_unique_authority"),
            models.UniqueConstraint(fields=["user", "unit"], name="follows_unique_unit"),
            models.UniqueConstraint(fields=["user", "sphere"], name="follows_unique_sphere"),
            models.UniqueConstraint(fields=["user", "target_type", "target_id"], name="follows_unique_target"),
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="follows_target")]

    def __str__(self) -> str:
        return str(self.authority or self.unit or self.sphere or self.target)

    @property
    def target_kind(self) -> str:
        """The followed item's kind in the person's words ("thread"), or "" for a subject."""
        return str(self.target_type.model_class()._meta.verbose_name) if self.target_type_id else ""


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(_("send me e-mails about what I follow"), default=True)
    daily_digest = models.BooleanField(_("one daily digest instead of separate e-mails"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class NotificationSent(models.Model):
    """What was e-mailed to whom: `item` names what a notice is about ("forum.post:12"), `event` what happened to
    it ("reply"); the engine never sends the same (person, item, event) twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.CharField(max_length=80)
    event = models.CharField(max_length=40)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification sent")
        verbose_name_plural = _("notifications sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "item", "event"], name="notice_sent_once"),
        ]
        indexes = [models.Index(fields=["item"], name="notice_sent_item")]

    def __str__(self) -> str:
        return f"{self.item} {self.event}"
