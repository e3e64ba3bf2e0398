"""Every write of the library: a document added by an officer with its first file, a new revision, its
description changed, and a working group's accepted version published (its units written as DOCX and PDF). Each
write refreshes the document's search entry and the version of the cached public pages."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from ngo_platform.core import drafting
from ngo_platform.core.documents import docx_bytes, new_docx, render_pdf
from ngo_platform.core.drafting import units as unitlib
from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.permissions import check_permission
from ngo_platform.core.search import entry_values
from ngo_platform.core.services import audit_log
from ngo_platform.core.text import slugify_pl
from ngo_platform.library.models import REVISION_LIMITS, LibraryDocument, Revision, SearchEntry, Tag
from ngo_platform.library.selectors import LIBRARY_VERSION

FIELDS = ("title", "kind", "sphere", "year", "description", "adopted_as", "adopted_url", "consultation")


class LibraryError(ServiceError):
    """A library write that cannot be done (`core.exceptions.ServiceError`)."""


def file_text(content: bytes, file_type: str) -> str:
    """The text of a PDF, DOCX or ODT file, for search and the page (empty when a PDF has no text layer)."""
    if file_type == "pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(content))
            return "\n".join(page.extract_text() or "" for page in reader.pages)[: REVISION_LIMITS["text"]]
        except (PdfReadError, ValueError, KeyError):
            return ""
    try:
        return drafting.extract_text(f"plik.{file_type}", content)[: REVISION_LIMITS["text"]]
    except drafting.DraftFileError:
        return ""


def _pdf_of(document: LibraryDocument, text: str) -> bytes:
    return render_pdf("library/documents/text.html", {"document": document, "lines": text.splitlines()})


def _set_tags(document: LibraryDocument, names: list[str]) -> None:
    tags = []
    for name in dict.fromkeys(name.strip()[:60] for name in names if name.strip()):
        tag, _created = Tag.objects.get_or_create(name=name.lower())
        tags.append(tag)
    document.tags.set(tags)


def index_document(document: LibraryDocument) -> None:
    """Write the document's search entry: its title; and the description, kind, authority, sphere, tags and the
    current revision's text."""
    current = document.current
    body = " ".join(
        filter(
            None,
            [
                document.description,
                document.get_kind_display(),
                document.authority.name,
                document.sphere.name if document.sphere_id else "",
                " ".join(document.tags.values_list("name", flat=True)),
                document.adopted_as,
                current.text if current else "",
            ],
        )
    )
    values = entry_values(document.title, body, folded_limit=SearchEntry._meta.get_field("name_folded").max_length)
    SearchEntry.objects.update_or_create(document=document, defaults=values)


def _revision(
    actor, document: LibraryDocument, *, name: str, content: bytes, file_type: str, text: str, note: str, version=None
):
    number = (document.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
    stem = get_valid_filename(slugify_pl(document.title)[:80] or "dokument")
    revision = Revision(
        document=document, number=number, original_type=file_type, text=text, note=note[: REVISION_LIMITS["note"]]
    )
    revision.created_by, revision.group_version = actor, version
    revision.original.save(f"{stem}-{number}.{file_type}", ContentFile(content), save=False)
    pdf = content if file_type == "pdf" else _pdf_of(document, text)
    revision.pdf.save(f"{stem}-{number}.pdf", ContentFile(pdf), save=False)
    revision.save()
    document.current = revision
    document.save(update_fields=["current", "updated_at"])
    index_document(document)
    audit_log(
        actor=actor,
        action="library.revision_add",
        target=document,
        acting_for=document.authority,
        details={"number": number, "file": name, "type": file_type},
    )
    LIBRARY_VERSION.bump_on_commit()
    return revision


def document_add(*, actor, authority, data: dict[str, Any], upload, file_type: str) -> LibraryDocument:
    """An officer of the authority publishes a document with its first file (its type told by its content)."""
    check_permission(actor, "library.add_document", authority)
    content = upload.read()
    with transaction.atomic():
        document = LibraryDocument(authority=authority, created_by=actor, published_at=timezone.now())
        for field in FIELDS:
            if field in data:
                setattr(document, field, data[field])
        document.save()
        _set_tags(document, data.get("tags", []))
        audit_log(actor=actor, action="library.document_add", target=document, acting_for=authority)
        _revision(
            actor, document, name=upload.name, content=content, file_type=file_type,
            text=file_text(content, file_type), note="",
        )  # fmt: skip
    return document


def document_update(*, actor, document: LibraryDocument, data: dict[str, Any]) -> LibraryDocument:
    check_permission(actor, "library.change_document", document)
    with transaction.atomic():
        document = LibraryDocument.objects.select_for_update().get(pk=document.pk)
        for field in FIELDS:
            if field in data:
                setattr(document, field, data[field])
        document.save()
        if "tags" in data:
            _set_tags(document, data["tags"])
        index_document(document)
        audit_log(actor=actor, action="library.document_update", target=document, acting_for=document.authority)
        LIBRARY_VERSION.bump_on_commit()
    return document


def revision_add(*, actor, document: LibraryDocument, upload, file_type: str, note: str = "") -> Revision:
    """A new version of the document from a file; it becomes the current one."""
    check_permission(actor, "library.change_document", document)
    content = upload.read()
    with transaction.atomic():
        document = (
            LibraryDocument.objects.select_for_update(of=("self",))
            .select_related("authority", "sphere")
            .get(pk=document.pk)
        )
        return _revision(
            actor, document, name=upload.name, content=content, file_type=file_type,
            text=file_text(content, file_type), note=note,
        )  # fmt: skip


def _version_docx(title: str, units) -> bytes:
    """The version's units as a DOCX: a heading per systematising unit, a paragraph per other unit."""
    document = new_docx(title)
    for unit in units:
        head, text = unitlib.heading(unit), unit.text
        if unit.kind in unitlib.SYSTEMATISING or unit.kind == "zalacznik":
            document.add_heading(head, level=2)
            if text:
                document.add_paragraph(text)
        else:
            document.add_paragraph(" ".join(part for part in (head, text) if part))
    return docx_bytes(document)


def publish_version(*, actor, version, data: dict[str, Any]) -> LibraryDocument:
    """An officer publishes a working group's accepted version in the library: the first time as a new document
    (with `data`: kind, year…), then as the next revision of the same document."""
    from ngo_platform.workgroups.models import VersionState

    group_document = version.document
    group = group_document.group
    check_permission(actor, "library.add_document", group.authority)
    if version.state != VersionState.ACCEPTED:
        raise LibraryError(_("Only an accepted version can be published in the library."))
    units = list(version.units.order_by("position"))
    text = "\n".join(unitlib.line(unit) for unit in units)
    with transaction.atomic():
        document = LibraryDocument.objects.select_for_update().filter(group_document=group_document).first()
        if document is None:
            document = LibraryDocument(
                authority=group.authority,
                created_by=actor,
                published_at=timezone.now(),
                group_document=group_document,
                title=group_document.title,
                consultation=version.consultation,
                **{field: data[field] for field in ("kind", "year", "sphere", "description") if field in data},
            )
            document.save()
            _set_tags(document, data.get("tags", []))
            audit_log(actor=actor, action="library.document_add", target=document, acting_for=group.authority)
        elif document.revisions.filter(group_version=version).exists():
            raise LibraryError(_("This version is already in the library."))
        note = _("Version %(number)s of the working group “%(group)s”.") % {
            "number": version.number,
            "group": group.name,
        }
        _revision(
            actor, document, name=f"{group_document.title}.docx", content=_version_docx(group_document.title, units),
            file_type="docx", text=text, note=note, version=version,
        )  # fmt: skip
    return document
