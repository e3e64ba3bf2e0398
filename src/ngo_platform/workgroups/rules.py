"""Who may do what in working groups.

The group (name, purpose, term, members, meetings' dates) is public. Its work — documents, versions, comments,
minutes — is public when the coordinator says so, else seen by its members, its coordinator and the officers of
its authority only (`view_work`). A draft version is its author's alone until proposed. Officers of the authority
set groups up and send an accepted version to consultation; the coordinator (or an officer) runs the group:
invitations, meetings, documents; the coordinator alone decides on each proposed version. Members propose versions and comment
on proposed and accepted ones.
"""

import rules

from ngo_platform.accounts.rules import is_active_person, is_authority_member
from ngo_platform.workgroups.models import DocumentVersion, WorkingGroup
from ngo_platform.workgroups.selectors import member_ids


def _group(obj) -> WorkingGroup | None:
    """The group of a group, a version, or what belongs to a group (a document, a meeting, an invitation)."""
    if obj is None or isinstance(obj, WorkingGroup):
        return obj
    if isinstance(obj, DocumentVersion):
        return obj.document.group
    return obj.group


@rules.predicate
def is_group_officer(user, obj) -> bool:
    """An officer of the authority the group works for."""
    group = _group(obj)
    return group is not None and is_authority_member(user, group.authority_id)


@rules.predicate
def is_coordinator(user, obj) -> bool:
    group = _group(obj)
    return group is not None and is_active_person(user) and group.coordinator_id == user.pk


@rules.predicate
def is_member(user, obj) -> bool:
    """A member of the group (the coordinator is one too)."""
    group = _group(obj)
    if group is None or not is_active_person(user):
        return False
    if group.coordinator_id == user.pk:
        return True
    return user.pk in member_ids(group)


@rules.predicate
def work_is_public(user, obj) -> bool:
    group = _group(obj)
    return group is not None and group.public_work


@rules.predicate
def is_version_author(user, version) -> bool:
    return version is not None and is_active_person(user) and version.author_id == user.pk


@rules.predicate
def is_draft(user, version) -> bool:
    return version is not None and version.state == "draft"


@rules.predicate
def is_open_to_comments(user, version) -> bool:
    """Proposed or accepted: a draft is its author's, a version not accepted is closed."""
    return version is not None and version.state in ("proposed", "accepted")


@rules.predicate
def is_accepted(user, version) -> bool:
    return version is not None and version.state == "accepted"


may_see_work = work_is_public | is_member | is_group_officer
runs_group = is_coordinator | is_group_officer

rules.add_perm("workgroups.add_group", is_authority_member)  # object: the authority
rules.add_perm("workgroups.manage_group", runs_group)
rules.add_perm("workgroups.view_work", may_see_work)
rules.add_perm("workgroups.take_part", is_member)
rules.add_perm("workgroups.view_version", may_see_work & (~is_draft | is_version_author))
rules.add_perm("workgroups.edit_version", is_version_author & is_draft & is_member)
rules.add_perm("workgroups.propose_version", is_version_author & is_draft & is_member)
rules.add_perm("workgroups.decide_version", is_coordinator)
rules.add_perm("workgroups.comment_version", is_member & is_open_to_comments)
rules.add_perm("workgroups.send_to_consultation", is_group_officer & is_accepted)
