"""The consultation itself: its terms (with the authority's minimum duration) and its course — published,
withdrawn to a draft, opened, closed, archived, and advanced by the clock (`workflows.CONSULTATION`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.consultations import selectors
from ngo_platform.consultations.models import (
    DEFAULT_MINIMUM_DAYS_OTHER,
    DEFAULT_MINIMUM_DAYS_VOIVODESHIP,
    AuthorityConsultationSettings,
    Consultation,
)
from ngo_platform.consultations.services import clock
from ngo_platform.consultations.services.common import S, check_officer, lock_consultation, transition
from ngo_platform.consultations.workflows import ConsultationError
from ngo_platform.core.services import audit_log
from ngo_platform.territory.models import AuthorityKind

# Fields of the consultation a form may set.
SCALAR_FIELDS = (
    "title",
    "subject",
    "kind",
    "legal_basis",
    "responsible_person",
    "contact",
    "open_to_residents",
    "open_to_council",
    "mode",
    "starts_at",
    "ends_at",
    "comment_visibility",
    "prepared_by",
    "prepared_by_url",
)


def minimum_days(authority) -> int:
    """The shortest consultation the authority allows: its own setting, else 14 days for the voivodeship, 7 for others."""
    try:
        return authority.consultation_settings.minimum_days
    except AuthorityConsultationSettings.DoesNotExist:
        return (
            DEFAULT_MINIMUM_DAYS_VOIVODESHIP
            if authority.kind == AuthorityKind.VOIVODESHIP
            else DEFAULT_MINIMUM_DAYS_OTHER
        )


def _check_times(consultation: Consultation) -> None:
    days = minimum_days(consultation.authority)
    if consultation.ends_at <= consultation.starts_at:
        raise ConsultationError(_("The end must be after the start."), field="ends_at")
    # Calendar days, in local time: a change of the clocks inside the period neither adds nor takes an hour.
    duration = timezone.localtime(consultation.ends_at).replace(tzinfo=None) - timezone.localtime(
        consultation.starts_at
    ).replace(tzinfo=None)
    if duration < timedelta(days=days):
        raise ConsultationError(
            _("The consultation must last at least %(days)s days (the rule of %(authority)s).")
            % {"days": days, "authority": consultation.authority.name},
            field="ends_at",
        )


def _apply(consultation: Consultation, data: dict[str, Any]) -> dict[str, list]:
    changes = {}
    for field in SCALAR_FIELDS:
        if field in data:
            old, new = getattr(consultation, field), data[field]
            if old != new:
                changes[field] = [str(old), str(new)]
                setattr(consultation, field, new)
    return changes


def consultation_create(*, actor, authority, data: dict[str, Any]) -> Consultation:
    """An officer of the authority creates a consultation as a draft (not public yet)."""
    check_officer(actor, authority, "consultations.add_consultation")
    with transaction.atomic():
        consultation = Consultation(authority=authority, created_by=actor)
        _apply(consultation, data)
        _check_times(consultation)
        consultation.save()
        if "spheres" in data:
            consultation.spheres.set(data["spheres"])
        audit_log(
            actor=actor,
            action="consultations.consultation_create",
            target=consultation,
            acting_for=authority,
            details={"title": consultation.title, "kind": consultation.kind},
        )
    return consultation


def consultation_update(*, actor, consultation: Consultation, data: dict[str, Any]) -> Consultation:
    """Change the consultation's data; only before it opens."""
    check_officer(actor, consultation)
    with transaction.atomic():
        consultation = lock_consultation(consultation)
        if not consultation.before_opening:
            raise ConsultationError(_("The consultation is already open: its terms can no longer be changed."))
        changes = _apply(consultation, data)
        if consultation.state == S.SCHEDULED and consultation.starts_at < clock.now():
            # Published already: a start moved into the past would open it at once with days of the
            # minimum duration gone (a draft's past start is moved to now when it is published).
            raise ConsultationError(
                _("The consultation is published: its start cannot be moved into the past."), field="starts_at"
            )
        _check_times(consultation)
        consultation.save()
        if "spheres" in data:
            old = set(consultation.spheres.values_list("pk", flat=True))
            new = {sphere.pk for sphere in data["spheres"]}
            if old != new:
                consultation.spheres.set(new)
                changes["spheres"] = [sorted(old), sorted(new)]
        if changes:
            selectors.public_changed_on_commit()
            audit_log(
                actor=actor,
                action="consultations.consultation_update",
                target=consultation,
                acting_for=consultation.authority,
                details={"changes": changes},
            )
    return consultation


def consultation_schedule(*, actor, consultation: Consultation) -> Consultation:
    """Publish the consultation: draft → scheduled, and → open at once if its start has come.

    A start in the past is moved to now, so that nobody loses a day of the minimum duration.
    """
    check_officer(actor, consultation)
    with transaction.atomic():
        consultation = lock_consultation(consultation)
        if not consultation.units.exists():
            raise ConsultationError(_("Import the text of the draft before publishing the consultation."))
        moment = clock.now()
        details = {}
        if consultation.starts_at < moment:
            details["start_moved_from"] = consultation.starts_at.isoformat()
            consultation.starts_at = moment
            consultation.save(update_fields=["starts_at"])
        _check_times(consultation)
        transition(consultation, "schedule", actor=actor, details=details)
        if consultation.starts_at <= clock.now():
            transition(consultation, "open", actor=actor)
    return consultation


def consultation_unschedule(*, actor, consultation: Consultation) -> Consultation:
    """Withdraw a scheduled consultation back to a draft before it opens."""
    return transition(consultation, "unschedule", actor=actor)


def consultation_open(*, actor, consultation: Consultation) -> Consultation:
    """scheduled → open, once the start has come (the server's clock decides)."""
    return transition(consultation, "open", actor=actor)


def consultation_close(*, actor, consultation: Consultation) -> Consultation:
    """open → closed, once the end has passed."""
    return transition(consultation, "close", actor=actor)


def consultation_archive(*, actor, consultation: Consultation) -> Consultation:
    return transition(consultation, "archive", actor=actor)


def consultations_advance() -> list[tuple[int, str]]:
    """The system opens consultations whose start has come and closes those whose end has passed.

    Run by `notify` (cron) first and safe to run any time: each consultation is locked and
    re-checked. Returns [(consultation id, new state)].
    """
    moment = clock.now()
    due = list(Consultation.objects.filter(state=S.SCHEDULED, starts_at__lte=moment).values_list("pk", flat=True))
    due += list(Consultation.objects.filter(state=S.OPEN, ends_at__lt=moment).values_list("pk", flat=True))
    return [(pk, state) for pk in due if (state := _advance(pk))]


def consultation_advance_due(consultation: Consultation) -> Consultation:
    """Open or close one consultation whose time has come (pages call it, so that the state shown and
    acted on never waits for the cron job); the consultation as it now is."""
    moment = clock.now()
    if (consultation.state == S.SCHEDULED and consultation.starts_at <= moment) or (
        consultation.state == S.OPEN and consultation.ends_at < moment
    ):
        _advance(consultation.pk)
        consultation.refresh_from_db()
    return consultation


def _advance(pk: int) -> str | None:
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().select_related("authority").get(pk=pk)
        if consultation.state == S.SCHEDULED and consultation.starts_at <= clock.now():
            transition(consultation, "open", actor=None)
            return S.OPEN
        if consultation.state == S.OPEN and consultation.ends_at < clock.now():
            transition(consultation, "close", actor=None)
            return S.CLOSED
    return None
