"""Reads of the library: the public list with its search and filters (the platform's full-text search,
`core.search`), a document with its revisions, the choices the filters offer, and the feed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from ngo_platform.core.page_cache import DataVersion
from ngo_platform.core.search import RankedMatches
from ngo_platform.library.models import LibraryDocument, Revision, Tag
from ngo_platform.territory.models import Authority

# Bumped after every committed write of the library: its cached list and feed are never stale.
LIBRARY_VERSION = DataVersion("library.documents")
ENTRY_TABLE = "library_searchentry"


@dataclass(frozen=True)
class LibraryFilters:
    q: str = ""
    kind: str = ""
    authority: str = ""  # the authority's slug
    sphere: str = ""  # a sphere's number
    year: int | None = None
    tag: str = ""

    @property
    def active(self) -> bool:
        return bool(self.q or self.kind or self.authority or self.sphere or self.year or self.tag)


def public_documents(filters: LibraryFilters | None = None) -> QuerySet[LibraryDocument] | RankedMatches:
    """The documents matching the filters: with a query, best match first (a sequence to page through, ranked on
    the search entries alone: `core.search.RankedMatches`); else newest first."""
    filters = filters or LibraryFilters()
    # The current revision's number, not its text (the whole document's, up to DRAFT_TEXT_LIMIT).
    documents = LibraryDocument.objects.select_related("authority", "current", "sphere").defer("current__text")
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.authority:
        documents = documents.filter(authority__slug=filters.authority)
    if filters.sphere:
        documents = documents.filter(sphere__number=filters.sphere)
    if filters.year:
        documents = documents.filter(year=filters.year)
    if filters.tag:
        documents = documents.filter(tags__name=filters.tag)
    if filters.q.strip():
        return RankedMatches(documents, filters.q, entry_table=ENTRY_TABLE)
    return documents.order_by("-published_at", "-id")


# The filters' choices probe each authority and tag on its index (a few dozen of either), rather than reading
# every document: their cost does not grow with the library.
def authorities_with_documents() -> QuerySet[Authority]:
    documents = LibraryDocument.objects.filter(authority=OuterRef("pk"))
    return Authority.objects.filter(Exists(documents)).order_by("name")


def years() -> list[int]:
    return list(LibraryDocument.objects.order_by("-year").values_list("year", flat=True).distinct())


def tags_in_use() -> QuerySet[Tag]:
    tagged = LibraryDocument.tags.through.objects.filter(tag=OuterRef("pk"))
    return Tag.objects.filter(Exists(tagged)).order_by("name")


def document_page(pk: int) -> LibraryDocument:
    return (
        LibraryDocument.objects.select_related(
            "authority", "sphere", "current", "consultation", "group_document__group"
        )
        .prefetch_related("tags")
        .get(pk=pk)
    )


def revisions_of(document: LibraryDocument) -> list[Revision]:
    return list(document.revisions.select_related("created_by", "group_version").defer("text").order_by("-number"))


def revision(pk: int, number: int) -> QuerySet[Revision]:
    return Revision.objects.filter(document_id=pk, number=number).select_related("document")
