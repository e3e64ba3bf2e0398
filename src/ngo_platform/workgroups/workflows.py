"""A version's course, declared once (`core.workflow`): its author's draft → proposed (numbered then) → accepted
(the document's current version) or not accepted, each decided by the group's coordinator."""

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.workflow import Transition, Workflow
from ngo_platform.workgroups.models import DocumentVersion, GroupDocument, VersionState


class GroupError(ServiceError):
    """A working group's step that is not allowed now (`core.exceptions.ServiceError`)."""


S = VersionState


def _has_units(version, now):
    if not version.units.exists():
        return _("The version has no text yet.")
    return None


def _numbered(version, now):
    """The next number of the document, with the document locked (two proposals never share one)."""
    document = GroupDocument.objects.select_for_update().get(pk=version.document_id)
    last = document.versions.aggregate(last=Max("number"))["last"] or 0
    version.number = last + 1
    return ["number"]


def _made_current(version, now):
    GroupDocument.objects.filter(pk=version.document_id).update(current=version)
    return []


DECIDE = "workgroups.decide_version"
VERSION = Workflow(
    model=DocumentVersion,
    audit="workgroups.version_{name}",
    changed_at="state_changed_at",
    error=GroupError,
    refusal=gettext_lazy("This cannot be done now: the version is “%(state)s”."),
    acting_for=lambda actor, version: version.document.group.authority if actor is not None else None,
    details=lambda version: {"number": version.number},
    permission_object=lambda version: version,
    transitions=[
        Transition(
            "propose",
            S.DRAFT,
            S.PROPOSED,
            gettext_lazy("Propose to the group"),
            "workgroups.propose_version",
            guard=_has_units,
            timestamp="proposed_at",
            effect=_numbered,
        ),
        Transition(
            "accept",
            S.PROPOSED,
            S.ACCEPTED,
            gettext_lazy("Accept this version"),
            DECIDE,
            timestamp="decided_at",
            effect=_made_current,
        ),
        Transition("reject", S.PROPOSED, S.REJECTED, gettext_lazy("Do not accept"), DECIDE, timestamp="decided_at"),
    ],
)
