"""Reads of the core app."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from ngo_platform.core.models import AuditEntry


def audit_entries(
    *,
    action: str = "",
    actor=None,
    acting_for: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related(
        "actor", "acting_for_organisation", "acting_for_authority", "target_type"
    )
    if action:
        entries = entries.filter(action__icontains=action)
    if actor is not None:
        entries = entries.filter(actor=actor)
    if acting_for:
        entries = entries.filter(
            Q(acting_for_organisation__name__icontains=acting_for) | Q(acting_for_authority__name__icontains=acting_for)
        )
    tz = timezone.get_current_timezone()
    if date_from:
        entries = entries.filter(created_at__gte=datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz))
    if date_to:
        end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        entries = entries.filter(created_at__lt=end)
    return entries


def parameters_in_force(model, *, authority, on: datetime.date | None = None):
    """The version of a versioned-parameters model (the law's numbers as data: fields `authority`, empty
    for nationwide, and `effective_from`) in force on `on` (today): the authority's own newest version,
    else the nationwide newest, else the model's `documented_defaults()`."""
    on = on or timezone.localdate()
    rows = model.objects.filter(effective_from__lte=on).filter(Q(authority=authority) | Q(authority__isnull=True))
    rows = sorted(rows, key=lambda row: (row.authority_id is not None, row.effective_from, row.pk), reverse=True)
    return rows[0] if rows else model.documented_defaults()
