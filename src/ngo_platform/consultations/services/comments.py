"""Comments: submitted on a unit or the whole draft (for an organisation or as a resident), changed and
withdrawn until the end; the server's clock decides whether the consultation is open for them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ngo_platform.consultations.models import AuthorType, Comment, CommentState, Consultation, DraftUnit
from ngo_platform.consultations.services import clock
from ngo_platform.consultations.services.common import S, lock_consultation, transition
from ngo_platform.consultations.workflows import COMMENT, ConsultationError, local_moment
from ngo_platform.core.arrival import lateness
from ngo_platform.core.bounds import limit_of, too_long
from ngo_platform.core.drafting.models import unit_wording as drafted_wording
from ngo_platform.core.services import audit_log
from ngo_platform.core.workflow import perform


def open_for_comments(consultation: Consultation, moment=None) -> bool:
    """Whether the consultation takes comments at `moment` (the server's clock by default): open, or scheduled
    with its start come (the first comment opens it), and not past its end, to the second. The rules
    (`consultations.comment`, `comment_as_resident`, `change_comment`) ask this very function, so a page offers
    exactly what the services accept."""
    moment = clock.now() if moment is None else moment
    return consultation.state in (S.SCHEDULED, S.OPEN) and consultation.starts_at <= moment <= consultation.ends_at


def comments_refusal(consultation: Consultation, moment=None) -> ConsultationError | None:
    """Why the consultation does not take comments at `moment` (None when it does): closed, or not open yet."""
    moment = clock.now() if moment is None else moment
    if open_for_comments(consultation, moment):
        return None
    if moment > consultation.ends_at or consultation.state not in (S.DRAFT, S.SCHEDULED, S.OPEN):
        return ConsultationError(
            _(
                "The consultation closed on %(date)s: comments can no longer be submitted, changed or withdrawn. Nothing was saved."
            )
            % {"date": local_moment(consultation.ends_at)}
        )
    return ConsultationError(
        _("The consultation is not open yet: comments can be submitted from %(date)s.")
        % {"date": local_moment(consultation.starts_at)}
    )


def _check_open_for_comments(consultation: Consultation) -> None:
    """Inside the transaction, with the consultation locked: when the request arrived decides (core.arrival)."""
    moment = clock.now()
    if (refusal := comments_refusal(consultation, moment)) is not None:
        if moment > consultation.ends_at:  # when it closed and when this arrived, to the second
            raise ConsultationError(f"{refusal.message} {lateness(consultation.ends_at, moment)}")
        raise refusal
    if consultation.state == S.SCHEDULED:
        transition(consultation, "open", actor=None)  # its start has come; the cron job has not run yet


def unit_wording(unit: DraftUnit) -> str:
    """The current wording of a unit with its descendants (fills the comment form)."""
    return drafted_wording(unit, DraftUnit.objects.filter(consultation_id=unit.consultation_id))


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


def _check_lengths(**texts: str) -> None:
    if (refusal := too_long(Comment, **{name: text.strip() for name, text in texts.items()})) is not None:
        raise ConsultationError(refusal[1], field=refusal[0])


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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
    """Submit a comment on a unit (or the whole document) on behalf of an organisation or as a resident.

    The phase is checked first (with its message), then who may comment: the rules need the phase too."""
    if not actor.is_authenticated:
        raise PermissionDenied
    if unit is not None and unit.consultation_id != consultation.pk:
        raise ConsultationError(_("Choose a unit of this draft."), field="unit")
    if not justification.strip():
        raise ConsultationError(_("Give the justification of the comment."), field="justification")
    _check_lengths(current_wording=current_wording, proposed_wording=proposed_wording, justification=justification)
    with transaction.atomic():
        consultation = lock_consultation(consultation)
        _check_open_for_comments(consultation)
        author_type = _check_author(actor, consultation, organisation)
        if unit is not None and not current_wording.strip():
            # A long unit is cited from its beginning: the author may shorten it to the part they comment on.
            current_wording = _cut(unit_wording(unit), limit_of(Comment, "current_wording"))
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
    """Whose the comment is (`own_comment`), then the phase and the comment's state with their messages; the
    combined rule (`change_comment`) then agrees."""
    if not actor.has_perm("consultations.own_comment", comment):
        raise PermissionDenied
    consultation = lock_consultation(comment.consultation)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.consultation = consultation
    _check_open_for_comments(consultation)
    if comment.state != CommentState.SUBMITTED:
        raise ConsultationError(_("This comment has been withdrawn."))
    if not actor.has_perm("consultations.change_comment", comment):
        raise PermissionDenied
    return comment, consultation


def comment_update(
    *, actor, comment: Comment, current_wording: str, proposed_wording: str, justification: str
) -> Comment:
    """The author (or another representative of the organisation) changes a comment until the deadline."""
    if not justification.strip():
        raise ConsultationError(_("Give the justification of the comment."), field="justification")
    _check_lengths(current_wording=current_wording, proposed_wording=proposed_wording, justification=justification)
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
        perform(COMMENT, comment, "withdraw", actor=actor, now=clock.now())
    return comment
