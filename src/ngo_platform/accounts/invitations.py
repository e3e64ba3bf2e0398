"""An invitation by e-mail to join something (an organisation's representatives, a working group): the fields
every invitation has, and the checks its acceptance makes, so that every kind is accepted the same way — once,
in time, by the person who holds the invited address (verified)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ngo_platform.core.exceptions import ServiceError


def invitation_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationFields(models.Model):
    email = models.EmailField(gettext_lazy("e-mail address"))
    token = models.CharField(max_length=64, unique=True, default=invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("invited by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(gettext_lazy("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(gettext_lazy("expires"))
    accepted_at = models.DateTimeField(gettext_lazy("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


def check_acceptable(actor, invitation: InvitationFields, *, error: type[ServiceError], expired: str) -> None:
    """Refuse (with `error`) an invitation used already, expired (saying `expired`: whom to ask for a new one) or
    sent to an address the actor has not verified. The caller holds the invitation locked."""
    from allauth.account.models import EmailAddress

    if invitation.accepted_at is not None:
        raise error(_("This invitation has already been used."))
    if invitation.expires_at < timezone.now():
        raise error(expired)
    if not EmailAddress.objects.filter(user=actor, email__iexact=invitation.email, verified=True).exists():
        raise error(
            _(
                "This invitation was sent to another e-mail address. Sign in with that address, or add and verify it in your account."
            )
        )
