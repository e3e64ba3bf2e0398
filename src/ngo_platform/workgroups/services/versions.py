"""A group's documents and their versions: a document set up by the coordinator, a version started by a member
(from a version, or read from a file or a pasted text by the consultations' parser), edited unit by unit while a
draft, proposed, decided on by the coordinator (`workflows.VERSION`); comments in the standard form; and an
accepted version sent to a public consultation in one step."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.core.bounds import too_long
from ngo_platform.core.drafting import units as unitlib
from ngo_platform.core.drafting.models import rows_of, store_rows
from ngo_platform.core.permissions import check_permission
from ngo_platform.core.services import audit_log
from ngo_platform.core.workflow import perform
from ngo_platform.workgroups.models import (
    DocumentVersion,
    GroupDocument,
    GroupMember,
    VersionComment,
    VersionUnit,
)
from ngo_platform.workgroups.workflows import VERSION, GroupError


def document_create(*, actor, group, title: str) -> GroupDocument:
    check_permission(actor, "workgroups.manage_group", group)
    with transaction.atomic():
        document = GroupDocument.objects.create(group=group, title=title, created_by=actor)
        audit_log(
            actor=actor,
            action="workgroups.document_create",
            target=document,
            acting_for=group.authority,
            details={"title": title},
        )
    return document


def _new_version(actor, document: GroupDocument, *, rows, base=None, note="", upload=None) -> DocumentVersion:
    if not rows:
        raise GroupError(_("No text was found in the document."), field="text")
    if problem := too_long(DocumentVersion, note=note):
        raise GroupError(problem[1], field=problem[0])
    version = DocumentVersion(document=document, author=actor, base=base, note=note)
    if upload is not None:
        version.source.save(upload.name, upload, save=False)
        version.source_name = upload.name[:255]
    version.save()
    store_rows(rows, partial(VersionUnit, version=version), version.units)
    audit_log(
        actor=actor,
        action="workgroups.version_start",
        target=version,
        acting_for=document.group.authority,
        details={"base": base.number if base else None, "units": len(rows), "file": version.source_name},
    )
    return version


def version_from_text(*, actor, document: GroupDocument, root, note: str = "", upload=None) -> DocumentVersion:
    """A member's draft read from a file (`upload`, kept as the original) or a pasted text: the parser's tree."""
    check_permission(actor, "workgroups.take_part", document)
    with transaction.atomic():
        return _new_version(actor, document, rows=unitlib.flatten(root), note=note, upload=upload)


def version_from(*, actor, base: DocumentVersion, note: str = "") -> DocumentVersion:
    """A member's draft starting as a copy of `base` (a numbered version), to be edited unit by unit."""
    check_permission(actor, "workgroups.take_part", base.document)
    check_permission(actor, "workgroups.view_version", base)
    if base.is_draft:
        raise GroupError(_("A new version starts from a proposed or accepted one."))
    with transaction.atomic():
        rows = rows_of(list(base.units.order_by("position")))
        return _new_version(actor, base.document, rows=rows, base=base, note=note)


def unit_edit(*, actor, unit: VersionUnit, title: str, text: str) -> VersionUnit:
    """Change a unit's heading and text in the author's draft (its label and place stay, so citations hold)."""
    version = unit.version
    check_permission(actor, "workgroups.edit_version", version)
    if problem := too_long(VersionUnit, text=text):
        raise GroupError(problem[1], field=problem[0])
    limit = VersionUnit._meta.get_field("title").max_length
    if len(title) > limit:
        raise GroupError(_("At most %(limit)s characters.") % {"limit": limit}, field="title")
    with transaction.atomic():
        locked = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        if not locked.is_draft:
            raise GroupError(_("Only a draft can be edited: this version is already proposed."))
        old = unitlib.line(unit)
        unit.title, unit.text = title.strip(), text.strip()
        unit.save(update_fields=["title", "text"])
        audit_log(
            actor=actor,
            action="workgroups.unit_edit",
            target=version,
            acting_for=version.document.group.authority,
            details={"citation": unit.citation, "old": old[:2000], "new": unitlib.line(unit)[:2000]},
        )
    return unit


def version_step(*, actor, version: DocumentVersion, name: str, note: str = "") -> DocumentVersion:
    """Propose a draft (its author), or accept or reject a proposed version (the coordinator, with a note)."""
    if problem := too_long(DocumentVersion, decision_note=note):
        raise GroupError(problem[1], field=problem[0])
    with transaction.atomic():
        version = perform(VERSION, version, name, actor=actor)
        if note and name in ("accept", "reject"):
            version.decision_note = note
            version.save(update_fields=["decision_note"])
    return version


def comment_submit(*, actor, version: DocumentVersion, unit: VersionUnit | None, data: dict) -> VersionComment:
    """A member's comment in the standard form on a unit of a proposed or accepted version (or on all of it), on
    behalf of the organisation the member sits in the group for, if any."""
    check_permission(actor, "workgroups.comment_version", version)
    if unit is not None and unit.version_id != version.pk:
        raise GroupError(_("This unit is not part of the version."))
    member = GroupMember.objects.filter(group_id=version.document.group_id, user=actor).first()
    organisation = member.organisation if member else None
    texts = {field: data.get(field, "").strip() for field in ("current_wording", "proposed_wording", "justification")}
    if problem := too_long(VersionComment, **texts):
        raise GroupError(problem[1], field=problem[0])
    if not texts["justification"]:
        raise GroupError(_("Say why: the justification is required."), field="justification")
    with transaction.atomic():
        comment = VersionComment.objects.create(
            version=version,
            unit=unit,
            unit_citation=unit.citation if unit else "",
            author=actor,
            organisation=organisation,
            **texts,
        )
        audit_log(
            actor=actor,
            action="workgroups.comment_submit",
            target=comment,
            acting_for=organisation,
            details={"version": version.pk, "unit": comment.unit_citation},
        )
    return comment


def send_to_consultation(*, actor, version: DocumentVersion):
    """An officer opens a public consultation (as a draft, to be scheduled) with exactly this accepted version's
    units and citations; the consultation names the group that prepared it, and the version links to it."""
    from ngo_platform.consultations.models import ConsultationKind, DraftUnit
    from ngo_platform.consultations.services import consultation_create, minimum_days

    check_permission(actor, "workgroups.send_to_consultation", version)
    group = version.document.group
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        if version.consultation_id is not None:
            raise GroupError(_("This version has already been sent to consultation."))
        start = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time(0, 0)))
        consultation = consultation_create(
            actor=actor,
            authority=group.authority,
            data={
                "title": version.document.title[:300],
                "subject": _("The document prepared by the working group “%(group)s”, version %(number)s.")
                % {"group": group.name, "number": version.number},
                "kind": ConsultationKind.OTHER,
                "responsible_person": (actor.display_name or actor.email)[:200],
                "contact": actor.email[:300],
                "starts_at": start,
                "ends_at": start + timedelta(days=minimum_days(group.authority)),
                "prepared_by": group.name[:300],
                "prepared_by_url": group.get_absolute_url(),
            },
        )
        rows = rows_of(list(version.units.order_by("position")))
        store_rows(rows, partial(DraftUnit, consultation=consultation), consultation.units)
        source = _("working group: %(group)s, version %(number)s") % {"group": group.name, "number": version.number}
        consultation.draft_source = source[:255]
        consultation.save(update_fields=["draft_source"])
        version.consultation = consultation
        version.save(update_fields=["consultation"])
        audit_log(
            actor=actor,
            action="workgroups.send_to_consultation",
            target=version,
            acting_for=group.authority,
            details={"consultation": consultation.pk, "units": len(rows)},
        )
    return consultation
