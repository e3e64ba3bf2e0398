"""Following subjects and items, and how a person wants to be told (see `engine`)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction

from ngo_platform.core.services import audit_log
from ngo_platform.notifications import followable
from ngo_platform.notifications.models import Follow, NotificationPreference


def follow_add(*, actor, authority=None, unit=None, sphere=None, target=None) -> Follow:
    """Follow one subject, or one `target` item of a registered kind the person may see."""
    if not actor.is_authenticated:
        raise PermissionDenied
    subject = {"authority": authority, "unit": unit, "sphere": sphere}
    if target is not None:
        perm = followable.perm_of(followable.label_of(target))
        if perm is None or not actor.has_perm(perm, target):
            raise PermissionDenied
        subject = {"target_type": ContentType.objects.get_for_model(target), "target_id": target.pk}
    with transaction.atomic():
        follow, created = Follow.objects.get_or_create(user=actor, **subject)
        if created:
            audit_log(actor=actor, action="notifications.follow_add", target=follow, details={"subject": str(follow)})
    return follow


def follow_automatically(*, user, target) -> None:
    """What a person writes in, they follow (a thread they started or replied to); no audit entry, as nobody
    chose it; they stop following it like anything else."""
    target_type = ContentType.objects.get_for_model(target)
    Follow.objects.get_or_create(user=user, target_type=target_type, target_id=target.pk)


def follow_remove(*, actor, follow: Follow) -> None:
    if follow.user_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        audit_log(actor=actor, action="notifications.follow_remove", target=follow, details={"subject": str(follow)})
        follow.delete()


def preference_set(*, actor, email_enabled: bool, daily_digest: bool) -> NotificationPreference:
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=actor)
        before = [preference.email_enabled, preference.daily_digest]
        preference.email_enabled, preference.daily_digest = email_enabled, daily_digest
        preference.save()
        if before != [email_enabled, daily_digest]:
            audit_log(
                actor=actor,
                action="notifications.preference_set",
                target=preference,
                details={"email_enabled": email_enabled, "daily_digest": daily_digest},
            )
    return preference
