"""Writes of the consultations app: the consultation's state machine, its draft units, comments,
answers, the report, the adopted text and follows. Each write is one transaction and is audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.consultations import units as unitlib
from ngo_platform.consultations.models import (
    DEFAULT_MINIMUM_DAYS_OTHER,
    DEFAULT_MINIMUM_DAYS_VOIVODESHIP,
    AnswerPosition,
    Attachment,
    AuthorityConsultationSettings,
    AuthorType,
    Comment,
    CommentState,
    Consultation,
    ConsultationState,
    DraftUnit,
    Follow,
    Meeting,
    NotificationPreference,
)
from ngo_platform.consultations.workflows import COMMENT, CONSULTATION, ConsultationError, local_moment
from ngo_platform.core.services import audit_log
from ngo_platform.core.workflow import perform
from ngo_platform.territory.models import AuthorityKind

S = ConsultationState
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
)


def now():
    """The server's clock (aware, UTC); every deadline is checked against it."""
    return timezone.now()


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


def _check_officer(actor, consultation_or_authority, perm="consultations.manage_consultation") -> None:
    if actor is not None and not actor.has_perm(perm, consultation_or_authority):
        raise PermissionDenied


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().select_related("authority").get(pk=consultation.pk)


def _transition(consultation: Consultation, name: str, *, actor, details: dict | None = None) -> Consultation:
    """Take the step `name` of the consultation's course (`workflows.CONSULTATION`) by the server's clock."""
    return perform(CONSULTATION, consultation, name, actor=actor, now=now(), details=details)


def _check_times(consultation: Consultation) -> None:
    days = minimum_days(consultation.authority)
    if consultation.ends_at <= consultation.starts_at:
        raise ConsultationError(_("The end must be after the start."), field="ends_at")
    if consultation.ends_at - consultation.starts_at < timedelta(days=days):
        raise ConsultationError(
            _("The consultation must last at least %(days)s days (the rule of %(authority)s).")
            % {"days": days, "authority": consultation.authority.name},
            field="ends_at",
        )


# --- The consultation ------------------------------------------------------------------------


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
    _check_officer(actor, authority, "consultations.add_consultation")
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
    _check_officer(actor, consultation)
    with transaction.atomic():
        consultation = _locked(consultation)
        if not consultation.before_opening:
            raise ConsultationError(_("The consultation is already open: its terms can no longer be changed."))
        changes = _apply(consultation, data)
        if consultation.state == S.SCHEDULED and consultation.starts_at < now():
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
    _check_officer(actor, consultation)
    with transaction.atomic():
        consultation = _locked(consultation)
        if not consultation.units.exists():
            raise ConsultationError(_("Import the text of the draft before publishing the consultation."))
        moment = now()
        details = {}
        if consultation.starts_at < moment:
            details["start_moved_from"] = consultation.starts_at.isoformat()
            consultation.starts_at = moment
            consultation.save(update_fields=["starts_at"])
        _check_times(consultation)
        _transition(consultation, "schedule", actor=actor, details=details)
        if consultation.starts_at <= now():
            _transition(consultation, "open", actor=actor)
    return consultation


def consultation_unschedule(*, actor, consultation: Consultation) -> Consultation:
    """Withdraw a scheduled consultation back to a draft before it opens."""
    return _transition(consultation, "unschedule", actor=actor)


def consultation_open(*, actor, consultation: Consultation) -> Consultation:
    """scheduled → open, once the start has come (the server's clock decides)."""
    return _transition(consultation, "open", actor=actor)


def consultation_close(*, actor, consultation: Consultation) -> Consultation:
    """open → closed, once the end has passed."""
    return _transition(consultation, "close", actor=actor)


def consultation_archive(*, actor, consultation: Consultation) -> Consultation:
    return _transition(consultation, "archive", actor=actor)


def consultations_advance() -> list[tuple[int, str]]:
    """The system opens consultations whose start has come and closes those whose end has passed.

    Run by `consultations_notify` (cron/worker) and safe to run any time: each consultation is locked and
    re-checked. Returns [(consultation id, new state)].
    """
    moment = now()
    due = list(Consultation.objects.filter(state=S.SCHEDULED, starts_at__lte=moment).values_list("pk", flat=True))
    due += list(Consultation.objects.filter(state=S.OPEN, ends_at__lt=moment).values_list("pk", flat=True))
    return [(pk, state) for pk in due if (state := _advance(pk))]


def consultation_advance_due(consultation: Consultation) -> Consultation:
    """Open or close one consultation whose time has come (pages call it, so that the state shown and
    acted on never waits for the cron job); the consultation as it now is."""
    moment = now()
    if (consultation.state == S.SCHEDULED and consultation.starts_at <= moment) or (
        consultation.state == S.OPEN and consultation.ends_at < moment
    ):
        _advance(consultation.pk)
        consultation.refresh_from_db()
    return consultation


def _advance(pk: int) -> str | None:
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().select_related("authority").get(pk=pk)
        if consultation.state == S.SCHEDULED and consultation.starts_at <= now():
            _transition(consultation, "open", actor=None)
            return S.OPEN
        if consultation.state == S.OPEN and consultation.ends_at < now():
            _transition(consultation, "close", actor=None)
            return S.CLOSED
    return None


def meeting_add(*, actor, consultation: Consultation, starts_at, place: str, description: str = "") -> Meeting:
    _check_officer(actor, consultation)
    with transaction.atomic():
        consultation = _locked(consultation)
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
    _check_officer(actor, consultation)
    with transaction.atomic():
        consultation = _locked(consultation)
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
    """Attach a file already checked by its content (`files.check_document`)."""
    _check_officer(actor, consultation)
    with transaction.atomic():
        consultation = _locked(consultation)
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
    _check_officer(actor, consultation)
    with transaction.atomic():
        consultation = _locked(consultation)
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


# --- The draft's units -----------------------------------------------------------------------

OFFSET = 1_000_000  # positions are moved out of the way before renumbering (unique per consultation)


def _editable_draft(consultation: Consultation) -> Consultation:
    consultation = _locked(consultation)
    if not consultation.before_opening:
        raise ConsultationError(_("The draft can be corrected only before the consultation opens."))
    return consultation


def draft_import(*, actor, consultation: Consultation, root, source: str) -> int:
    """Replace the draft's units with the parser's tree (`drafting.Unit`); only before opening."""
    _check_officer(actor, consultation)
    rows = unitlib.flatten(root)
    if not rows:
        raise ConsultationError(_("No text was found in the draft."), field="text")
    with transaction.atomic():
        consultation = _editable_draft(consultation)
        replaced = consultation.units.count()
        consultation.units.all().delete()
        created: list[DraftUnit] = []
        for row in rows:
            created.append(
                DraftUnit(
                    consultation=consultation,
                    position=row.position,
                    depth=row.depth,
                    kind=row.kind,
                    label=row.label[:40],
                    title=row.title[:500],
                    text=row.text,
                    citation=row.citation[:200],
                )
            )
        DraftUnit.objects.bulk_create(created, batch_size=500)
        # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35; the parents follow.
        created = list(consultation.units.order_by("position"))
        for unit, row in zip(created, rows, strict=True):
            unit.parent_id = created[row.parent].pk if row.parent is not None else None
        DraftUnit.objects.bulk_update(created, ["parent"], batch_size=500)
        consultation.draft_source = source[:255]
        consultation.save(update_fields=["draft_source"])
        audit_log(
            actor=actor,
            action="consultations.draft_import",
            target=consultation,
            acting_for=consultation.authority,
            details={"source": source, "units": len(rows), "replaced": replaced},
        )
    return len(rows)


def _load_units(consultation: Consultation) -> list[DraftUnit]:
    return list(consultation.units.order_by("position"))


def _recite(units: list[DraftUnit], start: DraftUnit) -> None:
    """Recompute the citations of `start` and its descendants from their ancestors' kinds and labels."""
    by_id = {unit.pk: unit for unit in units if unit.pk}

    def chain(unit) -> list[tuple[str, str]]:
        out = []
        while unit is not None:
            out.append((unit.kind, unit.label))
            unit = by_id.get(unit.parent_id) if unit.parent_id else None
        return out[::-1]

    index = units.index(start)
    for unit in [start, *_descendants(units, index)]:
        if unit.kind == "text":
            parent = by_id.get(unit.parent_id) if unit.parent_id else None
            unit.citation = parent.citation if parent is not None else ""
        else:
            unit.citation = unitlib.cite(chain(unit))[:200]


def _descendants(units: list[DraftUnit], index: int) -> list[DraftUnit]:
    out = []
    for unit in units[index + 1 :]:
        if unit.depth <= units[index].depth:
            break
        out.append(unit)
    return out


def _save_order(consultation: Consultation, units: list[DraftUnit]) -> None:
    """Store the units in the given order with positions 0…n-1."""
    consultation.units.update(position=F("position") + OFFSET)
    for index, unit in enumerate(units):
        unit.position = index
    DraftUnit.objects.bulk_update(
        units, ["position", "parent", "depth", "label", "title", "text", "citation"], batch_size=500
    )


def unit_merge_previous(*, actor, unit: DraftUnit) -> DraftUnit:
    """Merge a unit into the previous unit at the same level (or, if it is the first there, into its parent).

    Its text is appended to the other's text and its children move under the other.
    """
    consultation = unit.consultation
    _check_officer(actor, consultation)
    with transaction.atomic():
        consultation = _editable_draft(consultation)
        units = _load_units(consultation)
        index = next(i for i, u in enumerate(units) if u.pk == unit.pk)
        unit = units[index]
        target = None
        for candidate in reversed(units[:index]):
            if candidate.depth < unit.depth:
                break
            if candidate.depth == unit.depth and candidate.parent_id == unit.parent_id:
                target = candidate
                break
        into_parent = target is None
        if into_parent:
            target = next((u for u in units if u.pk == unit.parent_id), None)
            if target is None:
                raise ConsultationError(_("This is the first unit of the document: there is nothing to merge it with."))
        children = _descendants(units, index)
        target.text = "\n".join(part for part in (target.text, unit.text) if part)
        if unit.title and not target.title:
            target.title = unit.title
        for child in children:
            if child.parent_id == unit.pk:
                child.parent_id = target.pk
            if into_parent:
                child.depth -= 1
        units.pop(index)
        DraftUnit.objects.filter(parent=unit).update(parent=target)
        unit.delete()
        for child in children:
            if child.parent_id == target.pk:
                _recite(units, child)
        _save_order(consultation, units)
        audit_log(
            actor=actor,
            action="consultations.unit_merge",
            target=consultation,
            acting_for=consultation.authority,
            details={"merged": unit.citation or unit.label, "into": target.citation or target.label, "unit": target.pk},
        )
    return target


def unit_split(*, actor, unit: DraftUnit, at: int, label: str = "") -> DraftUnit:
    """Split a unit's text at character `at`: the rest becomes a new unit of the same kind right after it."""
    consultation = unit.consultation
    _check_officer(actor, consultation)
    with transaction.atomic():
        consultation = _editable_draft(consultation)
        units = _load_units(consultation)
        index = next(i for i, u in enumerate(units) if u.pk == unit.pk)
        unit = units[index]
        head, tail = unit.text[:at].rstrip(), unit.text[at:].strip()
        if at <= 0 or at >= len(unit.text) or not head or not tail:
            raise ConsultationError(
                _("Choose a place inside the unit's text: both parts must keep some text."), field="at"
            )
        unit.text = head
        new = DraftUnit(
            consultation=consultation,
            position=OFFSET * 2 + len(units),
            parent_id=unit.parent_id,
            depth=unit.depth,
            kind=unit.kind,
            label=label.strip()[:40],
            text=tail,
        )
        new.save()
        after = index + 1 + len(_descendants(units, index))
        units.insert(after, new)
        _recite(units, new)
        _save_order(consultation, units)
        audit_log(
            actor=actor,
            action="consultations.unit_split",
            target=consultation,
            acting_for=consultation.authority,
            details={"unit": unit.pk, "new": new.pk, "at": at, "citation": unit.citation, "new_citation": new.citation},
        )
    return new


def unit_relabel(*, actor, unit: DraftUnit, label: str, title: str | None = None, text: str | None = None) -> DraftUnit:
    """Correct a unit's label (and heading or text); the citations of it and its descendants follow."""
    consultation = unit.consultation
    _check_officer(actor, consultation)
    with transaction.atomic():
        consultation = _editable_draft(consultation)
        units = _load_units(consultation)
        index = next(i for i, u in enumerate(units) if u.pk == unit.pk)
        unit = units[index]
        before = {"label": unit.label, "title": unit.title, "citation": unit.citation}
        unit.label = label.strip()[:40]
        if title is not None:
            unit.title = title.strip()[:500]
        if text is not None:
            unit.text = text.strip()
        _recite(units, unit)
        changed = [unit, *_descendants(units, index)]
        DraftUnit.objects.bulk_update(changed, ["label", "title", "text", "citation"], batch_size=500)
        audit_log(
            actor=actor,
            action="consultations.unit_relabel",
            target=consultation,
            acting_for=consultation.authority,
            details={
                "unit": unit.pk,
                "before": before,
                "after": {"label": unit.label, "title": unit.title, "citation": unit.citation},
            },
        )
    return unit


# --- Comments --------------------------------------------------------------------------------


def _check_open_for_comments(consultation: Consultation) -> None:
    """Inside the transaction, with the consultation locked: the server's clock decides."""
    moment = now()
    if consultation.state == S.SCHEDULED and consultation.starts_at <= moment <= consultation.ends_at:
        _transition(consultation, "open", actor=None)  # its start has come; the cron job has not run yet
    if consultation.state == S.OPEN and consultation.starts_at <= moment <= consultation.ends_at:
        return
    if moment > consultation.ends_at or consultation.state not in (S.DRAFT, S.SCHEDULED, S.OPEN):
        raise ConsultationError(
            _(
                "The consultation closed on %(date)s: comments can no longer be submitted, changed or withdrawn. Nothing was saved."
            )
            % {"date": local_moment(consultation.ends_at)}
        )
    raise ConsultationError(
        _("The consultation is not open yet: comments can be submitted from %(date)s.")
        % {"date": local_moment(consultation.starts_at)}
    )


def unit_wording(unit: DraftUnit) -> str:
    """The current wording of a unit with its descendants (fills the comment form)."""
    following = list(
        DraftUnit.objects.filter(consultation_id=unit.consultation_id, position__gte=unit.position)
        .order_by("position")
        .only("depth", "kind", "label", "title", "text")[:500]
    )
    return unitlib.subtree_text(following, 0)


def _check_author(actor, consultation: Consultation, organisation) -> str:
    if not actor.is_authenticated:
        raise PermissionDenied
    if organisation is not None:
        if not actor.has_perm("consultations.comment_for_organisation", organisation):
            raise ConsultationError(
                _("You do not represent this organisation: you cannot comment on its behalf."), field="on_behalf"
            )
        return AuthorType.ORGANISATION
    if not actor.has_perm("consultations.comment_as_resident", consultation):
        raise ConsultationError(
            _("In this consultation only organisations may comment: choose the organisation you represent."),
            field="on_behalf",
        )
    return AuthorType.RESIDENT


def comment_submit(
    *,
    actor,
    consultation: Consultation,
    unit: DraftUnit | None,
    organisation=None,
    current_wording: str = "",
    proposed_wording: str = "",
    justification: str,
) -> Comment:
    """Submit a comment on a unit (or the whole document) on behalf of an organisation or as a resident."""
    author_type = _check_author(actor, consultation, organisation)
    if unit is not None and unit.consultation_id != consultation.pk:
        raise ConsultationError(_("Choose a unit of this draft."), field="unit")
    if not justification.strip():
        raise ConsultationError(_("Give the justification of the comment."), field="justification")
    with transaction.atomic():
        consultation = _locked(consultation)
        _check_open_for_comments(consultation)
        if unit is not None and not current_wording.strip():
            current_wording = unit_wording(unit)
        comment = Comment.objects.create(
            consultation=consultation,
            unit=unit,
            unit_citation=(unit.citation or unit.label) if unit else "",
            author=actor,
            author_type=author_type,
            organisation=organisation,
            current_wording=current_wording.strip(),
            proposed_wording=proposed_wording.strip(),
            justification=justification.strip(),
        )
        audit_log(
            actor=actor,
            action="consultations.comment_submit",
            target=comment,
            acting_for=organisation,
            details={"consultation": consultation.pk, "unit": comment.unit_citation or "całość"},
        )
    return comment


def _editable_comment(actor, comment: Comment) -> tuple[Comment, Consultation]:
    if not actor.has_perm("consultations.change_comment", comment):
        raise PermissionDenied
    consultation = _locked(comment.consultation)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    _check_open_for_comments(consultation)
    if comment.state != CommentState.SUBMITTED:
        raise ConsultationError(_("This comment has been withdrawn."))
    return comment, consultation


def comment_update(
    *, actor, comment: Comment, current_wording: str, proposed_wording: str, justification: str
) -> Comment:
    """The author (or another representative of the organisation) changes a comment until the deadline."""
    if not justification.strip():
        raise ConsultationError(_("Give the justification of the comment."), field="justification")
    with transaction.atomic():
        comment, consultation = _editable_comment(actor, comment)
        before = {
            "current": comment.current_wording,
            "proposed": comment.proposed_wording,
            "justification": comment.justification,
        }
        comment.current_wording, comment.proposed_wording, comment.justification = (
            current_wording.strip(),
            proposed_wording.strip(),
            justification.strip(),
        )
        comment.save(update_fields=["current_wording", "proposed_wording", "justification", "updated_at"])
        audit_log(
            actor=actor,
            action="consultations.comment_update",
            target=comment,
            acting_for=comment.organisation,
            details={"consultation": consultation.pk, "before": before},
        )
    return comment


def comment_withdraw(*, actor, comment: Comment) -> Comment:
    with transaction.atomic():
        comment, consultation = _editable_comment(actor, comment)
        perform(COMMENT, comment, "withdraw", actor=actor, now=now())
    return comment


# --- Answers and the report ------------------------------------------------------------------


def comments_answer(
    *, actor, consultation: Consultation, comment_ids: Sequence[int], position: str, justification: str
) -> int:
    """Answer one comment, or several identical ones together, after the consultation closed."""
    _check_officer(actor, consultation)
    if position not in AnswerPosition.values:
        raise ConsultationError(_("Choose the position of the authority."), field="position")
    justification = justification.strip()
    if position != AnswerPosition.ACCEPTED and not justification:
        raise ConsultationError(
            _("Give the reason: it is required unless the comment is accepted."), field="justification"
        )
    if not comment_ids:
        raise ConsultationError(_("Choose at least one comment to answer."), field="comments")
    with transaction.atomic():
        consultation = _locked(consultation)
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
        moment = now()
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
    from ngo_platform.consultations.tasks import consultation_report_render

    with transaction.atomic():
        consultation = _locked(consultation)
        comments = consultation.comments.filter(state=CommentState.SUBMITTED).count()
        _transition(consultation, "publish_report", actor=actor, details={"comments": comments})
        pk = consultation.pk
        transaction.on_commit(lambda: consultation_report_render.enqueue(pk))
    return consultation


def report_render(*, consultation_id: int) -> bool:
    """Render and store the report files of a published consultation, once. The answers cannot change
    after publication, so rendering needs no lock; if two workers render at once, the first to store
    wins and the other removes its files. True when this call stored the files."""
    from ngo_platform.consultations import reports

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


def final_version_attach(*, actor, consultation: Consultation, root, text: str, note: str = "") -> Consultation:
    """Attach the adopted text (parsed like the draft) after the consultation closed."""
    _check_officer(actor, consultation)
    rows = unitlib.flatten(root)
    if not rows:
        raise ConsultationError(_("No text was found in the adopted act."), field="text")
    with transaction.atomic():
        consultation = _locked(consultation)
        if consultation.state not in (S.CLOSED, S.ANSWERED, S.ARCHIVED):
            raise ConsultationError(_("The adopted text is attached after the consultation closes."))
        consultation.final_text = text
        consultation.final_units = [
            {
                "citation": r.citation,
                "kind": r.kind,
                "label": r.label,
                "title": r.title,
                "text": r.text,
                "depth": r.depth,
            }
            for r in rows
        ]
        consultation.final_note = note.strip()[:300]
        consultation.final_attached_at = now()
        consultation.save(update_fields=["final_text", "final_units", "final_note", "final_attached_at"])
        audit_log(
            actor=actor,
            action="consultations.final_version_attach",
            target=consultation,
            acting_for=consultation.authority,
            details={"units": len(rows), "note": consultation.final_note},
        )
    return consultation


# --- Following and notifications -------------------------------------------------------------


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
