"""Following an authority, a unit or a sphere, and the e-mail preferences of the notifications."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ngo_platform.consultations.models import Follow, NotificationPreference
from ngo_platform.core.services import audit_log


def follow_add(*, actor, authority=None, unit=None, sphere=None) -> Follow:
    if not actor.is_authenticated:
        raise PermissionDenied
    with transaction.atomic():
        follow, created = Follow.objects.get_or_create(user=actor, authority=authority, unit=unit, sphere=sphere)
        if created:
            audit_log(actor=actor, action="consultations.follow_add", target=follow, details={"subject": str(follow)})
    return follow


def follow_remove(*, actor, follow: Follow) -> None:
    if follow.user_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        audit_log(actor=actor, action="consultations.follow_remove", target=follow, details={"subject": str(follow)})
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
                action="consultations.preference_set",
                target=preference,
                details={"email_enabled": email_enabled, "daily_digest": daily_digest},
            )
    return preference
