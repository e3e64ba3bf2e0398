"""The audit log: append-only entries written by services."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _


class _PrivateStorage(LazyObject):
    """STORAGES["private"], looked up when first used and again after the setting changes (as Django's
    default_storage is): a FileField keeps the instance its storage callable returned at import."""

    def _setup(self):
        from django.core.files.storage import storages

        self._wrapped = storages["private"]


_private_storage = _PrivateStorage()


@receiver(setting_changed)
def _private_storage_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _private_storage._wrapped = empty


def private_storage():
    """Storage for files only the platform hands out, after a permission check (never under MEDIA_URL):
    the filesystem under NGO_VAR_DIR/private, or the bucket's "private/" prefix (settings.py)."""
    return _private_storage


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("Audit entries cannot be changed.")

    def delete(self):
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """Who did what, when, on behalf of whom, to which object.

    Written only by `core.services.audit_log` from inside the service that makes the change,
    in the same transaction. The database refuses UPDATE (and DELETE on PostgreSQL) with a
    trigger as well (migration 0002).
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for actions of the system itself (imports, scheduled jobs)."),
    )
    acting_for_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("on behalf of organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acting_for_authority = models.ForeignKey(
        "territory.Authority",
        verbose_name=_("on behalf of authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=250, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="auditentry_target_idx")]
        constraints = [
            models.CheckConstraint(
                name="auditentry_acts_for_at_most_one_party",
                condition=models.Q(acting_for_organisation__isnull=True) | models.Q(acting_for_authority__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")

    @property
    def acting_for(self):
        return self.acting_for_organisation or self.acting_for_authority
