"""Writes of the core app. Every state change of the platform calls `audit_log` here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.template.loader import render_to_string

from ngo_platform.core.models import AuditEntry
from ngo_platform.core.tasks import email_enqueue


def audit_log(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    acting_for: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry. Call it inside the transaction of the change it records.

    `actor` is the user who acted (None for the system); `acting_for` the organisation or
    authority on whose behalf; `action` a dotted name such as "accounts.membership_grant".
    """
    from ngo_platform.organisations.models import Organisation
    from ngo_platform.territory.models import Authority

    if acting_for is not None and not isinstance(acting_for, (Organisation, Authority)):
        raise TypeError("acting_for must be an Organisation or an Authority")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        acting_for_organisation=acting_for if isinstance(acting_for, Organisation) else None,
        acting_for_authority=acting_for if isinstance(acting_for, Authority) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:250] if target is not None else "",
        details=details or {},
    )


def site_context() -> dict:
    """What every e-mail of the platform may use: its name and address (the shared footer needs both)."""
    return {"site_name": settings.NGO_SITE_NAME, "site_url": settings.NGO_SITE_URL}


def email_notify(*, to: list[str], template: str, context: dict[str, Any]) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` and queue the e-mail.

    Queued in the caller's transaction (database task backend): a change that rolls back sends nothing.
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    context = {**site_context(), **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_body.txt", context)
    email_enqueue(
        EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients)
    )
