"""The consultation's course, declared once (`core.workflow`): draft → scheduled → open → closed → answered (the
report published) → archived; a scheduled one may go back to a draft before it opens. The clock opens and closes
(`services.consultations_advance`); officers of the authority may do it by hand once the time has come."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ngo_platform.consultations.models import Comment, CommentState, Consultation, ConsultationState
from ngo_platform.consultations.selectors import public_changed_on_commit
from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.text import local_time
from ngo_platform.core.workflow import Transition, Workflow

S = ConsultationState
MANAGE = "consultations.manage_consultation"


class ConsultationError(ServiceError):
    """A consultation step that is not allowed now (`core.exceptions.ServiceError`)."""


def local_moment(moment) -> str:
    return local_time(moment, "j E Y, H:i")


def _start_has_come(consultation, now):
    if now < consultation.starts_at:
        return _("The consultation opens on %(date)s.") % {"date": local_moment(consultation.starts_at)}
    return None


def _end_has_passed(consultation, now):
    if now <= consultation.ends_at:
        return _("The consultation is open until %(date)s: it cannot be closed earlier.") % {
            "date": local_moment(consultation.ends_at)
        }
    return None


def _every_comment_answered(consultation, now):
    unanswered = consultation.comments.filter(state=CommentState.SUBMITTED, answer_position="").count()
    if unanswered:
        return _("The report cannot be published: %(count)s comment(s) still have no answer.") % {"count": unanswered}
    return None


CONSULTATION = Workflow(
    model=Consultation,
    audit="consultations.consultation_{target}",
    changed_at="state_changed_at",
    error=ConsultationError,
    on_change=public_changed_on_commit,  # the home page shows them
    refusal=gettext_lazy("This cannot be done now: the consultation is %(state)s."),
    acting_for=lambda actor, consultation: consultation.authority if actor is not None else None,
    transitions=[
        Transition("schedule", S.DRAFT, S.SCHEDULED, gettext_lazy("Publish"), MANAGE),
        Transition("unschedule", S.SCHEDULED, S.DRAFT, gettext_lazy("Withdraw to a draft"), MANAGE),
        Transition(
            "open", S.SCHEDULED, S.OPEN, gettext_lazy("Open"), MANAGE, guard=_start_has_come, timestamp="opened_at"
        ),
        Transition(
            "close", S.OPEN, S.CLOSED, gettext_lazy("Close"), MANAGE, guard=_end_has_passed, timestamp="closed_at"
        ),
        Transition(
            "publish_report",
            S.CLOSED,
            S.ANSWERED,
            gettext_lazy("Publish the report"),
            MANAGE,
            guard=_every_comment_answered,
            timestamp="report_published_at",
            refusal=gettext_lazy("The report is published after the consultation closes, once."),
            confirm=gettext_lazy("A published report and its answers cannot be withdrawn or changed."),
        ),
        Transition("archive", S.ANSWERED, S.ARCHIVED, gettext_lazy("Archive"), MANAGE),
    ],
)

# A comment: submitted while the consultation is open, withdrawn by its author before the end (the service checks
# who and when: `_editable_comment`).
COMMENT = Workflow(
    model=Comment,
    audit="consultations.comment_{name}",
    also_save=("updated_at",),
    error=ConsultationError,
    acting_for=lambda actor, comment: comment.organisation,
    details=lambda comment: {"consultation": comment.consultation_id},
    transitions=[
        Transition(
            "withdraw",
            CommentState.SUBMITTED,
            CommentState.WITHDRAWN,
            gettext_lazy("Withdraw"),
            timestamp="withdrawn_at",
        ),
    ],
)
