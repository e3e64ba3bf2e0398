"""Writes of the consultations app, by subject: the consultation's terms and course, its meetings and
attachments, the draft's units and the adopted text, comments, answers and the report, follows. Each write is one
transaction and is audited; the course itself is declared in `workflows`.

The names are re-exported here, so callers keep `services.X`. `services.now` is the services' one clock
(`clock.now`): reading it reads that attribute and setting it (a test freezing time with monkeypatch) sets it,
so every service sees the frozen moment."""

import sys
from types import ModuleType

from ngo_platform.consultations.services import clock
from ngo_platform.consultations.services.answers import comments_answer, report_publish, report_render
from ngo_platform.consultations.services.comments import (
    comment_submit,
    comment_update,
    comment_withdraw,
    comments_refusal,
    open_for_comments,
    unit_wording,
)
from ngo_platform.consultations.services.consultations import (
    SCALAR_FIELDS,
    consultation_advance_due,
    consultation_archive,
    consultation_close,
    consultation_create,
    consultation_open,
    consultation_schedule,
    consultation_unschedule,
    consultation_update,
    consultations_advance,
    minimum_days,
)
from ngo_platform.consultations.services.draft import (
    draft_import,
    final_version_attach,
    unit_merge_previous,
    unit_relabel,
    unit_split,
)
from ngo_platform.consultations.services.materials import attachment_add, attachment_remove, meeting_add, meeting_remove
from ngo_platform.consultations.workflows import ConsultationError

__all__ = [
    "SCALAR_FIELDS",
    "ConsultationError",
    "attachment_add",
    "attachment_remove",
    "comment_submit",
    "comment_update",
    "comment_withdraw",
    "comments_answer",
    "comments_refusal",
    "consultation_advance_due",
    "consultation_archive",
    "consultation_close",
    "consultation_create",
    "consultation_open",
    "consultation_schedule",
    "consultation_unschedule",
    "consultation_update",
    "consultations_advance",
    "draft_import",
    "final_version_attach",
    "meeting_add",
    "meeting_remove",
    "minimum_days",
    "now",
    "open_for_comments",
    "report_publish",
    "report_render",
    "unit_merge_previous",
    "unit_relabel",
    "unit_split",
    "unit_wording",
]


class _Services(ModuleType):
    """This package as a module whose `now` is `clock.now`, read and written (Python's documented way of
    customising a module's attribute setting: assigning a `ModuleType` subclass to its `__class__`)."""

    @property
    def now(self):
        return clock.now

    @now.setter
    def now(self, value) -> None:
        clock.now = value


sys.modules[__name__].__class__ = _Services
