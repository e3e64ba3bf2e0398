"""Every write of the working groups, by subject: `groups` (the group, invitations, members, meetings) and
`versions` (documents, versions, comments, sending to consultation)."""

from ngo_platform.workgroups.services.groups import (
    group_create,
    group_update,
    invitation_accept,
    invitation_send,
    meeting_add,
    member_remove,
    minutes_attach,
)
from ngo_platform.workgroups.services.versions import (
    comment_submit,
    document_create,
    send_to_consultation,
    unit_edit,
    version_from,
    version_from_text,
    version_step,
)
from ngo_platform.workgroups.workflows import GroupError

__all__ = [
    "GroupError",
    "comment_submit",
    "document_create",
    "group_create",
    "group_update",
    "invitation_accept",
    "invitation_send",
    "meeting_add",
    "member_remove",
    "minutes_attach",
    "send_to_consultation",
    "unit_edit",
    "version_from",
    "version_from_text",
    "version_step",
]
