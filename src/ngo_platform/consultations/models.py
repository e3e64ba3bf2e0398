"""Public consultations of draft acts (art. 5 ust. 2 pkt 3 and art. 5a UDPP; domain.md §A2–A3, §C).

A consultation follows a course declared once in `workflows.CONSULTATION` (`core.workflow`)
(draft → scheduled → open → closed → answered → archived); only `core.workflow.perform` changes it.
The draft is stored as a flat, ordered list of editorial units (`DraftUnit`) built from the parser's
tree (`drafting`); comments refer to a unit or to the whole document, and each gets the authority's
answer before the report (informacja o wynikach konsultacji) is published.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ngo_platform.core.bounds import REASON, TEXT, length_check, length_checks
from ngo_platform.core.drafting.models import (
    DRAFT_TEXT_LIMIT,
    STANDARD_COMMENT_LIMITS,
    UNIT_LIMITS,
    StandardComment,
    UnitFields,
)

# Minimum duration of a consultation when the authority has not set its own (domain.md §C: 14 days
# in the Opole voivodeship's practice; 7 days is the shortest common local practice).
DEFAULT_MINIMUM_DAYS_VOIVODESHIP = 14
DEFAULT_MINIMUM_DAYS_OTHER = 7


class ConsultationKind(models.TextChoices):
    DRAFT_RESOLUTION = "projekt_uchwaly", _("draft resolution")
    ORDER = "zarzadzenie", _("draft order")
    ANNUAL_PROGRAMME = "program_roczny", _("annual cooperation programme")
    MULTIANNUAL_PROGRAMME = "program_wieloletni", _("multi-year cooperation programme")
    STRATEGY = "strategia", _("strategy")
    OTHER = "inny", _("other document")


class ConsultationMode(models.TextChoices):
    WRITTEN = "pisemny", _("written")
    EXTENDED = "rozszerzony", _("extended (with meetings)")


class ConsultationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled")
    OPEN = "open", _("open for comments")
    CLOSED = "closed", _("closed, answers in preparation")
    ANSWERED = "answered", _("report published")
    ARCHIVED = "archived", _("archived")


# States in which the public sees the consultation.
PUBLIC_STATES = (
    ConsultationState.SCHEDULED,
    ConsultationState.OPEN,
    ConsultationState.CLOSED,
    ConsultationState.ANSWERED,
    ConsultationState.ARCHIVED,
)


class CommentVisibility(models.TextChoices):
    IMMEDIATE = "immediate", _("public once submitted")
    WITH_REPORT = "with_report", _("published with the report")


class AuthorityConsultationSettings(models.Model):
    """An authority's own rules of consulting (art. 5 ust. 5 UDPP: each council adopts its method)."""

    authority = models.OneToOneField(
        "territory.Authority",
        verbose_name=_("authority"),
        on_delete=models.CASCADE,
        related_name="consultation_settings",
    )
    minimum_days = models.PositiveSmallIntegerField(_("minimum duration in days"))

    class Meta:
        verbose_name = _("consultation settings of an authority")
        verbose_name_plural = _("consultation settings of authorities")
        constraints = [
            models.CheckConstraint(
                name="consultation_settings_minimum_days_positive", condition=models.Q(minimum_days__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority}: {self.minimum_days}"


# The longest texts of a consultation (core.bounds): the database refuses longer ones, the forms say the limits.
CONSULTATION_LIMITS = {"subject": TEXT, "legal_basis": REASON, "final_text": DRAFT_TEXT_LIMIT}


class Consultation(models.Model):
    authority = models.ForeignKey(
        "territory.Authority", verbose_name=_("authority"), on_delete=models.PROTECT, related_name="consultations"
    )
    title = models.CharField(_("title of the draft act"), max_length=300)
    subject = models.TextField(_("subject of the consultation"), max_length=CONSULTATION_LIMITS["subject"])
    kind = models.CharField(_("kind of document"), max_length=20, choices=ConsultationKind.choices)
    legal_basis = models.TextField(_("legal basis"), max_length=CONSULTATION_LIMITS["legal_basis"], blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=200)
    contact = models.CharField(_("contact (e-mail, telephone)"), max_length=300)
    # Organisations (NGOs and art. 3 ust. 3 entities) may always take part.
    open_to_residents = models.BooleanField(_("residents may also comment"), default=False)
    open_to_council = models.BooleanField(_("the Public Benefit Council is invited to give its opinion"), default=False)
    mode = models.CharField(
        _("mode"), max_length=20, choices=ConsultationMode.choices, default=ConsultationMode.WRITTEN
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    comment_visibility = models.CharField(
        _("comments are"), max_length=20, choices=CommentVisibility.choices, default=CommentVisibility.IMMEDIATE
    )
    spheres = models.ManyToManyField(
        "territory.Sphere", verbose_name=_("spheres of public tasks"), blank=True, related_name="consultations"
    )
    draft_source = models.CharField(_("draft imported from"), max_length=255, blank=True)
    # Who prepared the draft, when another module did (a working group): its name and the address of its page.
    prepared_by = models.CharField(_("prepared by"), max_length=300, blank=True)
    prepared_by_url = models.CharField(_("page of who prepared it"), max_length=300, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ConsultationState.choices, default=ConsultationState.DRAFT
    )
    state_changed_at = models.DateTimeField(_("state changed"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    report_published_at = models.DateTimeField(_("report published"), null=True, blank=True)
    report_pdf = models.FileField(_("report (PDF)"), upload_to="consultations/reports/%Y/", blank=True)
    report_docx = models.FileField(_("report (DOCX)"), upload_to="consultations/reports/%Y/", blank=True)
    # The adopted act, parsed like the draft: [{"citation", "kind", "label", "title", "text", "depth"}].
    final_text = models.TextField(_("adopted text"), max_length=CONSULTATION_LIMITS["final_text"], blank=True)
    final_units = models.JSONField(_("units of the adopted text"), default=list, blank=True)
    final_attached_at = models.DateTimeField(_("adopted text attached"), null=True, blank=True)
    final_note = models.CharField(_("adopted as"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["ends_at", "id"]
        indexes = [
            models.Index(fields=["state", "ends_at"], name="consultation_state_end_idx"),
            models.Index(fields=["authority", "state"], name="consultation_authority_idx"),
        ]
        constraints = [
            *length_checks("consultation", CONSULTATION_LIMITS),
            models.CheckConstraint(
                name="consultation_ends_after_start", condition=models.Q(ends_at__gt=models.F("starts_at"))
            ),
            models.CheckConstraint(
                name="consultation_state_valid", condition=models.Q(state__in=ConsultationState.values)
            ),
            models.CheckConstraint(
                name="consultation_published_report_has_date",
                condition=~models.Q(state__in=["answered", "archived"]) | models.Q(report_published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    @property
    def before_opening(self) -> bool:
        return self.state in (ConsultationState.DRAFT, ConsultationState.SCHEDULED)

    @property
    def report_published(self) -> bool:
        return self.report_published_at is not None

    @property
    def steps(self) -> list[tuple[str, str, bool]]:
        """The stages for the page's stepper: (value, label, is current)."""
        return [(value, label, value == self.state) for value, label in ConsultationState.choices]


class Meeting(models.Model):
    """A meeting of the extended mode (conference, debate, workshop)."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.place}"


class AttachmentType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    ODT = "odt", "ODT"


class Attachment(models.Model):
    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="consultations/attachments/%Y/")
    file_type = models.CharField(_("type"), max_length=5, choices=AttachmentType.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class DraftUnit(UnitFields):
    """One editorial unit of the draft (`core.drafting.models.UnitFields`), in document order within the
    consultation."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="units"
    )

    class Meta:
        verbose_name = _("editorial unit")
        verbose_name_plural = _("editorial units")
        ordering = ["consultation", "position"]
        constraints = [
            *length_checks("draftunit", UNIT_LIMITS),
            models.UniqueConstraint(fields=["consultation", "position"], name="draftunit_unique_position"),
        ]


class CommentState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("comment", "submitted")
    WITHDRAWN = "withdrawn", _("withdrawn")


class AuthorType(models.TextChoices):
    ORGANISATION = "organisation", _("organisation")
    RESIDENT = "resident", _("resident")


class AnswerPosition(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("answer", "accepted")
    PARTLY = "partly", _("partly accepted")
    REJECTED = "rejected", _("not accepted")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


# The longest texts of a comment (core.bounds): a unit's wording, a proposal and its reasons, not a treatise;
# the report prints them all.
COMMENT_LIMITS = {**STANDARD_COMMENT_LIMITS, "answer_justification": 5_000}


class Comment(StandardComment):
    """A comment in the standard form (`core.drafting.models.StandardComment`; domain.md §C)."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="comments"
    )
    # None: the comment concerns the whole document.
    unit = models.ForeignKey(
        DraftUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="consultation_comments",
    )
    author_type = models.CharField(_("submitted as"), max_length=20, choices=AuthorType.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultation_comments",
    )
    state = models.CharField(_("state"), max_length=20, choices=CommentState.choices, default=CommentState.SUBMITTED)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    answer_position = models.CharField(
        _("position of the authority"), max_length=20, choices=AnswerPosition.choices, blank=True
    )
    answer_justification = models.TextField(
        _("reason for the position"), max_length=COMMENT_LIMITS["answer_justification"], blank=True
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["consultation", "state", "created_at"], name="comment_consultation_idx"),
        ]
        constraints = [
            *(length_check("comment", field, limit) for field, limit in COMMENT_LIMITS.items()),
            models.CheckConstraint(
                name="comment_organisation_iff_organisation_author",
                condition=(
                    models.Q(author_type="organisation", organisation__isnull=False)
                    | models.Q(author_type="resident", organisation__isnull=True)
                ),
            ),
            models.CheckConstraint(
                name="comment_answer_reason_unless_accepted",
                condition=models.Q(answer_position__in=["", "accepted"]) | ~models.Q(answer_justification=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_citation or _('whole document')} – {self.author_name}"

    @property
    def author_name(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        return self.author.display_name or _("resident")

    @property
    def is_answered(self) -> bool:
        return bool(self.answer_position)


class NotificationEvent(models.TextChoices):
    OPENED = "opened", _("opened")
    CLOSING_SOON = "closing_soon", _("closing in two days")
    REPORT_PUBLISHED = "report_published", _("report published")
