"""The group itself: set up by an officer, its members invited by e-mail and accepting, its meetings and their
minutes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.accounts.invitations import check_acceptable
from ngo_platform.accounts.rules import is_organisation_member
from ngo_platform.core.bounds import too_long
from ngo_platform.core.permissions import check_permission
from ngo_platform.core.services import audit_log, email_notify
from ngo_platform.workgroups.models import GroupInvitation, GroupMeeting, GroupMember, WorkingGroup
from ngo_platform.workgroups.workflows import GroupError

INVITATION_DAYS = 14
GROUP_FIELDS = ("name", "purpose", "term_starts", "term_ends", "public_work")


def _check_term(data: dict[str, Any]) -> None:
    if data.get("term_ends") and data["term_ends"] < data["term_starts"]:
        raise GroupError(_("The term cannot end before it starts."), field="term_ends")
    if problem := too_long(WorkingGroup, purpose=data.get("purpose", "")):
        raise GroupError(problem[1], field=problem[0])


def group_create(*, actor, authority, coordinator, data: dict[str, Any]) -> WorkingGroup:
    """An officer of the authority sets a group up; its coordinator is its first member."""
    check_permission(actor, "workgroups.add_group", authority)
    _check_term(data)
    with transaction.atomic():
        group = WorkingGroup.objects.create(
            authority=authority,
            coordinator=coordinator,
            created_by=actor,
            **{field: data[field] for field in GROUP_FIELDS if field in data},
        )
        GroupMember.objects.create(group=group, user=coordinator)
        audit_log(
            actor=actor,
            action="workgroups.group_create",
            target=group,
            acting_for=authority,
            details={"name": group.name, "coordinator": coordinator.pk},
        )
    return group


def group_update(*, actor, group: WorkingGroup, data: dict[str, Any]) -> WorkingGroup:
    """The coordinator or an officer changes the group's terms (and whether its work is public)."""
    check_permission(actor, "workgroups.manage_group", group)
    _check_term({**{field: getattr(group, field) for field in GROUP_FIELDS}, **data})
    with transaction.atomic():
        group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
        changes = {}
        for field in GROUP_FIELDS:
            if field in data and getattr(group, field) != data[field]:
                changes[field] = [str(getattr(group, field)), str(data[field])]
                setattr(group, field, data[field])
        if changes:
            group.save(update_fields=list(changes))
            audit_log(
                actor=actor,
                action="workgroups.group_update",
                target=group,
                acting_for=group.authority,
                details={"changes": changes},
            )
    return group


def invitation_send(*, actor, group: WorkingGroup, email: str, organisation=None) -> GroupInvitation:
    """The coordinator or an officer invites a person, as an official or on behalf of `organisation`."""
    check_permission(actor, "workgroups.manage_group", group)
    email = email.strip().lower()
    if group.members.filter(user__email__iexact=email).exists():
        raise GroupError(_("This person is already a member of the group."), field="email")
    with transaction.atomic():
        invitation = GroupInvitation.objects.create(
            group=group,
            email=email,
            organisation=organisation,
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        audit_log(
            actor=actor,
            action="workgroups.invitation_send",
            target=invitation,
            acting_for=group.authority,
            details={"email": email, "organisation": organisation.pk if organisation else None},
        )
        email_notify(
            to=[email],
            template="workgroups/email/invitation",
            context={"invitation": invitation, "group": group, "days": INVITATION_DAYS},
        )
    return invitation


def invitation_accept(*, actor, invitation: GroupInvitation) -> GroupMember:
    """The invited person, signed in with the invited (verified) address, joins; on behalf of the organisation
    named in the invitation only while they represent it."""
    with transaction.atomic():
        invitation = (
            GroupInvitation.objects.select_for_update().select_related("group__authority").get(pk=invitation.pk)
        )
        check_acceptable(
            actor,
            invitation,
            error=GroupError,
            expired=_("This invitation has expired. Ask the group's coordinator for a new one."),
        )
        if invitation.organisation_id and not is_organisation_member(actor, invitation.organisation_id):
            raise GroupError(
                _(
                    "The invitation is on behalf of %(name)s, which you do not represent on the platform. Ask the "
                    "organisation's administrator to add you first."
                )
                % {"name": invitation.organisation.name}
            )
        invitation.accepted_at, invitation.accepted_by = timezone.now(), actor
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        member, _created = GroupMember.objects.update_or_create(
            group=invitation.group, user=actor, defaults={"organisation_id": invitation.organisation_id}
        )
        audit_log(
            actor=actor,
            action="workgroups.invitation_accept",
            target=invitation,
            acting_for=invitation.organisation,
            details={"group": invitation.group_id},
        )
        email_notify(
            to=[invitation.invited_by.email],
            template="workgroups/email/invitation_accepted",
            context={"invitation": invitation, "group": invitation.group, "person": actor},
        )
    return member


def member_remove(*, actor, member: GroupMember) -> None:
    """The coordinator or an officer removes a member; a member may leave. The coordinator stays."""
    group = member.group
    if actor.pk != member.user_id:
        check_permission(actor, "workgroups.manage_group", group)
    if member.user_id == group.coordinator_id:
        raise GroupError(_("The coordinator cannot leave the group; an officer may appoint another one first."))
    with transaction.atomic():
        audit_log(
            actor=actor,
            action="workgroups.member_remove",
            target=group,
            acting_for=group.authority,
            details={"user": member.user_id},
        )
        member.delete()


def meeting_add(*, actor, group: WorkingGroup, data: dict[str, Any]) -> GroupMeeting:
    check_permission(actor, "workgroups.manage_group", group)
    if not data.get("place") and not data.get("online_url"):
        raise GroupError(_("Give the place of the meeting or the link to it online."), field="place")
    if problem := too_long(GroupMeeting, agenda=data.get("agenda", "")):
        raise GroupError(problem[1], field=problem[0])
    with transaction.atomic():
        meeting = GroupMeeting.objects.create(
            group=group,
            **{field: data.get(field, "") for field in ("place", "online_url", "agenda")},
            starts_at=data["starts_at"],
        )
        audit_log(
            actor=actor,
            action="workgroups.meeting_add",
            target=meeting,
            acting_for=group.authority,
            details={"starts_at": meeting.starts_at.isoformat()},
        )
    return meeting


def minutes_attach(*, actor, meeting: GroupMeeting, upload, file_type: str) -> GroupMeeting:
    """The minutes of a meeting that took place (a PDF, DOCX or ODT told by its content: the form's check)."""
    check_permission(actor, "workgroups.manage_group", meeting.group)
    if meeting.starts_at > timezone.now():
        raise GroupError(_("Minutes can be attached once the meeting has taken place."), field="file")
    with transaction.atomic():
        meeting = GroupMeeting.objects.select_for_update().get(pk=meeting.pk)
        meeting.minutes.save(upload.name, upload, save=False)
        meeting.minutes_type, meeting.minutes_added_at = file_type, timezone.now()
        meeting.save(update_fields=["minutes", "minutes_type", "minutes_added_at"])
        audit_log(
            actor=actor,
            action="workgroups.minutes_attach",
            target=meeting,
            acting_for=meeting.group.authority,
            details={"file": upload.name},
        )
    return meeting
