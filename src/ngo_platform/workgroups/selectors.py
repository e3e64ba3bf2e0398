"""Reads of the working groups: the list, a group's page, its documents and versions, a version's units with their
comments, and the comparison of two versions (`core.drafting.units.compare`)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from ngo_platform.accounts import memberships
from ngo_platform.core.drafting import units as unitlib
from ngo_platform.workgroups.models import (
    DocumentVersion,
    GroupDocument,
    GroupInvitation,
    GroupMeeting,
    GroupMember,
    VersionComment,
    VersionState,
    VersionUnit,
    WorkingGroup,
)


def member_ids(group: WorkingGroup) -> frozenset[int]:
    """The ids of the group's members (read once per request)."""
    return memberships.remembered(
        ("workgroups.members", group.pk),
        lambda: frozenset(GroupMember.objects.filter(group_id=group.pk).values_list("user_id", flat=True)),
    )


def groups() -> QuerySet[WorkingGroup]:
    """Every group, newest term first, with its authority and how many members it has."""
    return (
        WorkingGroup.objects.select_related("authority", "coordinator")
        .annotate(member_count=Count("members"))
        .order_by("-term_starts", "name", "id")
    )


def group_page(pk: int) -> WorkingGroup:
    return WorkingGroup.objects.select_related("authority", "coordinator").get(pk=pk)


def members_of(group: WorkingGroup) -> list[GroupMember]:
    return list(group.members.select_related("user", "organisation").order_by("joined_at", "id"))


def meetings_of(group: WorkingGroup) -> list[GroupMeeting]:
    return list(group.meetings.order_by("starts_at", "id"))


def pending_invitations(group: WorkingGroup) -> list[GroupInvitation]:
    return list(group.invitations.filter(accepted_at__isnull=True).select_related("organisation"))


def documents_of(group: WorkingGroup) -> list[GroupDocument]:
    """The group's documents with their current versions and how many versions are proposed."""
    return list(
        group.documents.select_related("current")
        .annotate(proposed_count=Count("versions", filter=Q(versions__state=VersionState.PROPOSED)))
        .order_by("title", "id")
    )


def document_page(pk: int) -> GroupDocument:
    return GroupDocument.objects.select_related("group__authority", "group__coordinator", "current").get(pk=pk)


def versions_of(document: GroupDocument, user) -> list[DocumentVersion]:
    """The numbered versions, newest first, and the person's own drafts of the document."""
    own_drafts = Q(state=VersionState.DRAFT, author_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    return list(
        document.versions.filter(~Q(state=VersionState.DRAFT) | own_drafts)
        .select_related("author", "consultation")
        .annotate(comment_count=Count("comments"))
        .order_by("-number", "-id")
    )


def version_page(pk: int) -> DocumentVersion:
    return DocumentVersion.objects.select_related(
        "document__group__authority",
        "document__group__coordinator",
        "author",
        "base",
        "consultation",
        "library_revision",
    ).get(pk=pk)


def units_with_comments(version: DocumentVersion) -> tuple[list[VersionUnit], list[VersionComment]]:
    """The version's units in order, each with its comments (`unit.thread`), and the comments on the whole."""
    comments = list(version.comments.select_related("author", "organisation").order_by("created_at", "id"))
    by_unit: dict[int, list[VersionComment]] = {}
    whole = []
    for comment in comments:
        if comment.unit_id is None:
            whole.append(comment)
        else:
            by_unit.setdefault(comment.unit_id, []).append(comment)
    units = list(version.units.order_by("position"))
    for unit in units:
        unit.heading = unitlib.heading(unit)
        unit.thread = by_unit.get(unit.pk, [])
    return units, whole


def comparable_versions(document: GroupDocument) -> list[DocumentVersion]:
    """The numbered versions (proposed, accepted, not accepted), in order."""
    return list(
        DocumentVersion.objects.filter(document_id=document.pk)
        .exclude(state=VersionState.DRAFT)
        .only("id", "number", "state")
        .order_by("number")
    )


def comparison(old: DocumentVersion, new: DocumentVersion) -> list[dict]:
    """Per unit, what `new` changed of `old` (two queries)."""

    def units(version):
        fields = ("kind", "label", "title", "text", "citation", "depth")
        return list(VersionUnit.objects.filter(version_id=version.pk).only(*fields).order_by("position"))

    return unitlib.compare(units(old), units(new))
