from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from ngo_platform.notifications.models import Follow, NotificationPreference


def follows_of(user) -> list[Follow]:
    """What the person follows: subjects first, then items (each item read once per kind)."""
    follows = Follow.objects.filter(user=user).select_related("authority", "unit", "sphere", "target_type")
    return list(follows.prefetch_related("target"))


def subject_follows_of(user) -> list[Follow]:
    """The authorities, territories and spheres the person follows (no single items)."""
    follows = Follow.objects.filter(user=user, target_type__isnull=True)
    return list(follows.select_related("authority", "unit", "sphere"))


def follow_of(user, target) -> Follow | None:
    """The person's follow of one item, or None (also for an anonymous visitor)."""
    if not user.is_authenticated:
        return None
    target_type = ContentType.objects.get_for_model(target)
    return Follow.objects.filter(user=user, target_type=target_type, target_id=target.pk).first()


def settings_of(user) -> dict:
    """How the person gets the e-mails about what they follow, and how many things they follow."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return {
        "email_enabled": preference.email_enabled if preference else True,
        "daily_digest": preference.daily_digest if preference else False,
        "follow_count": Follow.objects.filter(user=user).count(),
    }
