"""The authority's answers to the comments and the report: published, then rendered as PDF and DOCX by the worker."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from ngo_platform.consultations import reports
from ngo_platform.consultations.models import AnswerPosition, Comment, CommentState, Consultation
from ngo_platform.consultations.services import clock
from ngo_platform.consultations.services.common import S, check_officer, lock_consultation, transition
from ngo_platform.consultations.tasks import consultation_report_render
from ngo_platform.consultations.workflows import ConsultationError
from ngo_platform.core.bounds import too_long
from ngo_platform.core.services import audit_log


def comments_answer(
    *, actor, consultation: Consultation, comment_ids: Sequence[int], position: str, justification: str
) -> int:
    """Answer one comment, or several identical ones together, after the consultation closed."""
    check_officer(actor, consultation)
    if position not in AnswerPosition.values:
        raise ConsultationError(_("Choose the position of the authority."), field="position")
    justification = justification.strip()
    if position != AnswerPosition.ACCEPTED and not justification:
        raise ConsultationError(
            _("Give the reason: it is required unless the comment is accepted."), field="justification"
        )
    if (refusal := too_long(Comment, answer_justification=justification)) is not None:
        raise ConsultationError(refusal[1], field="justification")
    if not comment_ids:
        raise ConsultationError(_("Choose at least one comment to answer."), field="comments")
    with transaction.atomic():
        consultation = lock_consultation(consultation)
        if consultation.state != S.CLOSED:
            raise ConsultationError(
                _("Comments are answered after the consultation closes and before the report is published.")
            )
        comments = list(
            Comment.objects.select_for_update().filter(
                consultation=consultation, pk__in=list(comment_ids), state=CommentState.SUBMITTED
            )
        )
        if len(comments) != len(set(comment_ids)):
            raise ConsultationError(
                _("Some of the chosen comments are not comments of this consultation."), field="comments"
            )
        moment = clock.now()
        for comment in comments:
            comment.answer_position, comment.answer_justification = position, justification
            comment.answered_by, comment.answered_at = actor, moment
        Comment.objects.bulk_update(
            comments, ["answer_position", "answer_justification", "answered_by", "answered_at"], batch_size=500
        )
        audit_log(
            actor=actor,
            action="consultations.comments_answer",
            target=consultation,
            acting_for=consultation.authority,
            details={"comments": sorted(c.pk for c in comments), "position": position, "justification": justification},
        )
    return len(comments)


def report_publish(*, actor, consultation: Consultation) -> Consultation:
    """Publish the report: closed → answered. Every comment must have its answer. The PDF and DOCX are
    rendered by the worker right after (`report_render`); the page says so until they are there."""
    with transaction.atomic():
        consultation = lock_consultation(consultation)
        comments = consultation.comments.filter(state=CommentState.SUBMITTED).count()
        transition(consultation, "publish_report", actor=actor, details={"comments": comments})
        pk = consultation.pk
        transaction.on_commit(lambda: consultation_report_render.enqueue(pk))
    return consultation


def report_render(*, consultation_id: int) -> bool:
    """Render and store the report files of a published consultation, once. The answers cannot change
    after publication, so rendering needs no lock; if two workers render at once, the first to store
    wins and the other removes its files. True when this call stored the files."""
    consultation = Consultation.objects.select_related("authority").get(pk=consultation_id)
    if not consultation.report_published_at or consultation.report_pdf:
        return False
    data = reports.report_data(consultation)
    stem = f"raport-konsultacji-{consultation.pk}"
    pdf_name = consultation.report_pdf.storage.save(
        consultation.report_pdf.field.generate_filename(consultation, f"{stem}.pdf"),
        ContentFile(reports.report_pdf(data)),
    )
    docx_name = consultation.report_docx.storage.save(
        consultation.report_docx.field.generate_filename(consultation, f"{stem}.docx"),
        ContentFile(reports.report_docx(data)),
    )
    stored = Consultation.objects.filter(pk=consultation.pk, report_pdf="").update(
        report_pdf=pdf_name, report_docx=docx_name
    )
    if not stored:
        consultation.report_pdf.storage.delete(pdf_name)
        consultation.report_docx.storage.delete(docx_name)
    return bool(stored)
