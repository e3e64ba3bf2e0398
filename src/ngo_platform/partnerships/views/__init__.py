"""The partnership pages, by subject: announcements (the list, a page with its suggestions, writing one, its steps,
the suggestions for an organisation) and conversations (contact, messages, reports, the partnership and its joint
offer)."""

from ngo_platform.partnerships.views.announcements import (
    announcement_create,
    announcement_detail,
    announcement_edit,
    announcement_list,
    announcement_step,
    organisation_suggestions,
    search_delete,
    search_save,
    searches,
)
from ngo_platform.partnerships.views.conversations import (
    conversation_detail,
    conversation_invite,
    conversation_list,
    conversation_start,
    joint_offer,
    message_attachment,
    message_report,
    partnership_propose,
    partnership_step,
    reports,
)

__all__ = [
    "announcement_create",
    "announcement_detail",
    "announcement_edit",
    "announcement_list",
    "announcement_step",
    "conversation_detail",
    "conversation_invite",
    "conversation_list",
    "conversation_start",
    "joint_offer",
    "message_attachment",
    "message_report",
    "organisation_suggestions",
    "partnership_propose",
    "partnership_step",
    "reports",
    "search_delete",
    "search_save",
    "searches",
]
