"""Views of the consultations app, by subject: thin, asking the rules, calling selectors and services.
The view names are re-exported here, so `consultations.urls` keeps `views.X`."""

from ngo_platform.consultations.views.answers import answers, changes, final_version, report_download, report_publish
from ngo_platform.consultations.views.common import COMMENTS_PAGE_SIZE, PAGE_SIZE
from ngo_platform.consultations.views.detail import (
    attachment_download,
    comment_create,
    comment_edit,
    comment_withdraw,
    comments,
    detail,
)
from ngo_platform.consultations.views.follows import follow_authority
from ngo_platform.consultations.views.management import (
    STATE_ACTIONS,
    create,
    draft,
    edit,
    files,
    officer_home,
    state_change,
    unit_correct,
)
from ngo_platform.consultations.views.public import calendar, consultation_list

__all__ = [
    "COMMENTS_PAGE_SIZE",
    "PAGE_SIZE",
    "STATE_ACTIONS",
    "answers",
    "attachment_download",
    "calendar",
    "changes",
    "comment_create",
    "comment_edit",
    "comment_withdraw",
    "comments",
    "consultation_list",
    "create",
    "detail",
    "draft",
    "edit",
    "files",
    "final_version",
    "follow_authority",
    "officer_home",
    "report_download",
    "report_publish",
    "state_change",
    "unit_correct",
]
