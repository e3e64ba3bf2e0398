"""The library (/biblioteka/) of jointly developed documents: standards, models, programmes, reports, templates,
minutes. Each document has its kind, authority, sphere, year and tags, numbered revisions (the current one is the
latest) with the original file and a PDF, and what it was adopted as (a resolution, a consultation, a link).

An authority's officers add documents and their revisions; a working group's accepted version is published here
in one step (`services.publish_version`), its text becoming the revision's DOCX and PDF. Search over titles and
text is the platform's full-text machinery (`core.search`: Polish lemmas, no diacritics) on `SearchEntry`.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ngo_platform.core.bounds import LONG_TEXT, REASON, TITLE, length_checks
from ngo_platform.core.drafting.models import DRAFT_TEXT_LIMIT


class DocumentKind(models.TextChoices):
    STANDARD = "standard", _("standard")
    MODEL = "model", _("model")
    PROGRAMME = "programme", _("programme")
    REPORT = "report", _("report")
    TEMPLATE = "template", _("template")
    MINUTES = "minutes", _("minutes")
    OTHER = "other", _("other document")


class Tag(models.Model):
    name = models.CharField(_("tag"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


DOCUMENT_LIMITS = {"description": LONG_TEXT}


class LibraryDocument(models.Model):
    title = models.CharField(_("title"), max_length=TITLE)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    authority = models.ForeignKey(
        "territory.Authority", verbose_name=_("authority"), on_delete=models.PROTECT, related_name="library_documents"
    )
    sphere = models.ForeignKey(
        "territory.Sphere",
        verbose_name=_("sphere of public tasks"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="documents")
    description = models.TextField(_("description"), max_length=DOCUMENT_LIMITS["description"], blank=True)
    adopted_as = models.CharField(
        _("adopted as"), max_length=TITLE, blank=True, help_text=_("For example: Uchwała nr XII/123/2026.")
    )
    adopted_url = models.URLField(_("link to the adopted act"), max_length=500, blank=True)
    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("consulted in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The working group's document it comes from, if any (its next accepted version is a new revision here).
    group_document = models.OneToOneField(
        "workgroups.GroupDocument",
        verbose_name=_("prepared by the working group as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_document",
    )
    current = models.ForeignKey(
        "Revision",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), db_index=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")
        ordering = ["-published_at", "id"]
        indexes = [models.Index(fields=["kind", "year"], name="librarydocument_kind_year_idx")]
        constraints = length_checks("librarydocument", DOCUMENT_LIMITS)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:detail", kwargs={"pk": self.pk})


class FileType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    ODT = "odt", "ODT"


REVISION_LIMITS = {"text": DRAFT_TEXT_LIMIT, "note": REASON}


class Revision(models.Model):
    """A numbered version of a library document: the original file, its PDF (the original when it is one, else
    drawn from the text) and its text (what search reads and the page shows)."""

    document = models.ForeignKey(
        LibraryDocument, verbose_name=_("document"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("number"))
    original = models.FileField(_("original file"), upload_to="library/%Y/")
    original_type = models.CharField(_("format"), max_length=5, choices=FileType.choices)
    pdf = models.FileField(_("PDF"), upload_to="library/%Y/", blank=True)
    text = models.TextField(_("text"), max_length=REVISION_LIMITS["text"], blank=True)
    note = models.TextField(_("what changed"), max_length=REVISION_LIMITS["note"], blank=True)
    # The working group's version it publishes, if any (each is published once).
    group_version = models.OneToOneField(
        "workgroups.DocumentVersion",
        verbose_name=_("version of the working group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_revision",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("version of a library document")
        verbose_name_plural = _("versions of library documents")
        ordering = ["document", "-number"]
        constraints = [
            *length_checks("revision", REVISION_LIMITS),
            models.UniqueConstraint(fields=["document", "number"], name="revision_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.document} – {self.number}"


class SearchEntry(models.Model):
    """What search matches, per document (`core.search`): its title's terms, and in its body the description,
    the kind, authority, sphere, tags and the current text; the database's index is migration 0002's."""

    document = models.OneToOneField(LibraryDocument, on_delete=models.CASCADE, related_name="search_entry")
    name_terms = models.TextField()
    body_terms = models.TextField(blank=True)
    name_folded = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
