"""The consultation's meetings and attachments, added and removed by its officers until it closes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ngo_platform.consultations.models import Attachment, Consultation, Meeting
from ngo_platform.consultations.services.common import S, check_officer, lock_consultation
from ngo_platform.consultations.workflows import ConsultationError
from ngo_platform.core.services import audit_log


def meeting_add(*, actor, consultation: Consultation, starts_at, place: str, description: str = "") -> Meeting:
    check_officer(actor, consultation)
    with transaction.atomic():
        consultation = lock_consultation(consultation)
        if consultation.state not in (S.DRAFT, S.SCHEDULED, S.OPEN):
            raise ConsultationError(_("Meetings can be added only until the consultation closes."))
        meeting = Meeting.objects.create(
            consultation=consultation, starts_at=starts_at, place=place, description=description
        )
        audit_log(
            actor=actor,
            action="consultations.meeting_add",
            target=consultation,
            acting_for=consultation.authority,
            details={"meeting": meeting.pk, "starts_at": starts_at.isoformat(), "place": place},
        )
    return meeting


def meeting_remove(*, actor, meeting: Meeting) -> None:
    consultation = meeting.consultation
    check_officer(actor, consultation)
    with transaction.atomic():
        consultation = lock_consultation(consultation)
        if consultation.state not in (S.DRAFT, S.SCHEDULED, S.OPEN):
            raise ConsultationError(_("Meetings can be removed only until the consultation closes."))
        audit_log(
            actor=actor,
            action="consultations.meeting_remove",
            target=consultation,
            acting_for=consultation.authority,
            details={"meeting": meeting.pk, "starts_at": meeting.starts_at.isoformat(), "place": meeting.place},
        )
        meeting.delete()


def attachment_add(*, actor, consultation: Consultation, title: str, upload, file_type: str) -> Attachment:
    """Attach a file already checked by its content (`core.uploads.check_document`)."""
    check_officer(actor, consultation)
    with transaction.atomic():
        consultation = lock_consultation(consultation)
        if consultation.state not in (S.DRAFT, S.SCHEDULED, S.OPEN):
            raise ConsultationError(_("Attachments can be added only until the consultation closes."))
        attachment = Attachment.objects.create(
            consultation=consultation, title=title, file=upload, file_type=file_type, size=upload.size
        )
        audit_log(
            actor=actor,
            action="consultations.attachment_add",
            target=consultation,
            acting_for=consultation.authority,
            details={"attachment": attachment.pk, "title": title, "type": file_type, "size": upload.size},
        )
    return attachment


def attachment_remove(*, actor, attachment: Attachment) -> None:
    consultation = attachment.consultation
    check_officer(actor, consultation)
    with transaction.atomic():
        consultation = lock_consultation(consultation)
        if not consultation.before_opening:
            raise ConsultationError(_("Attachments of an open consultation cannot be removed."))
        audit_log(
            actor=actor,
            action="consultations.attachment_remove",
            target=consultation,
            acting_for=consultation.authority,
            details={"attachment": attachment.pk, "title": attachment.title},
        )
        attachment.delete()
