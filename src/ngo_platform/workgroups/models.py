"""Working groups (zespoły robocze) in which officials and people on behalf of organisations draft standards,
models and rules together (the seed's groups on the standard of consulting, models of delivering public tasks,
partnerships, a regional NGO centre, the "społecznik roku" award).

An authority's officers set a group up with a coordinator; members join by an e-mailed invitation. A group's
document has numbered versions: a member starts one (from the current version, or from a file read by the
consultations' parser, `core.drafting`), edits it unit by unit while it is a draft only they see, and proposes it;
members comment on its units in the standard form; the coordinator accepts or rejects it (`workflows.VERSION`).
Any two versions compare word by word per unit (`core.drafting.units.compare`). An accepted version opens a
public consultation with its units in one step.

Whether a group's work (its documents, versions, comments and minutes) is public or for its members only is the
coordinator's choice (`WorkingGroup.public_work`); the group itself (name, purpose, term, members, meeting dates)
is always public.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ngo_platform.accounts.invitations import InvitationFields
from ngo_platform.core.bounds import LONG_TEXT, REASON, TITLE, length_checks
from ngo_platform.core.drafting.models import STANDARD_COMMENT_LIMITS, UNIT_LIMITS, StandardComment, UnitFields
from ngo_platform.core.models import private_storage

GROUP_LIMITS = {"purpose": LONG_TEXT}


class WorkingGroup(models.Model):
    authority = models.ForeignKey(
        "territory.Authority", verbose_name=_("authority"), on_delete=models.PROTECT, related_name="working_groups"
    )
    name = models.CharField(_("name"), max_length=TITLE)
    purpose = models.TextField(_("purpose"), max_length=GROUP_LIMITS["purpose"])
    term_starts = models.DateField(_("term from"))
    term_ends = models.DateField(_("term until"), null=True, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("coordinator"), on_delete=models.PROTECT, related_name="+"
    )
    public_work = models.BooleanField(
        _("the group's work is public"),
        default=True,
        help_text=_("Otherwise its documents, versions, comments and minutes are seen by its members only."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["-term_starts", "name", "id"]
        constraints = [
            *length_checks("workinggroup", GROUP_LIMITS),
            models.CheckConstraint(
                name="workinggroup_term_in_order",
                condition=models.Q(term_ends__isnull=True) | models.Q(term_ends__gte=models.F("term_starts")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workgroups:detail", kwargs={"pk": self.pk})


class GroupMember(models.Model):
    """A member of a group: an official, or a person on behalf of an organisation (`organisation`)."""

    group = models.ForeignKey(WorkingGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="group_memberships"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("member of a working group")
        verbose_name_plural = _("members of working groups")
        ordering = ["joined_at", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="groupmember_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.group}"


class GroupInvitation(InvitationFields):
    """The coordinator (or an officer) invites a person by e-mail, as an official or on behalf of an organisation."""

    group = models.ForeignKey(
        WorkingGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="invitations"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation to a working group")
        verbose_name_plural = _("invitations to working groups")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.group}"


MEETING_LIMITS = {"agenda": LONG_TEXT}


class GroupMeeting(models.Model):
    group = models.ForeignKey(WorkingGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=TITLE, blank=True)
    online_url = models.URLField(_("link to the online meeting"), max_length=500, blank=True)
    agenda = models.TextField(_("agenda"), max_length=MEETING_LIMITS["agenda"])
    minutes = models.FileField(_("minutes"), upload_to="workgroups/minutes/%Y/", storage=private_storage, blank=True)
    minutes_type = models.CharField(_("type of the minutes"), max_length=5, blank=True)
    minutes_added_at = models.DateTimeField(_("minutes attached"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting of a working group")
        verbose_name_plural = _("meetings of working groups")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"], name="groupmeeting_start_idx")]
        constraints = [
            *length_checks("groupmeeting", MEETING_LIMITS),
            models.CheckConstraint(
                name="groupmeeting_has_a_place", condition=~models.Q(place="") | ~models.Q(online_url="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.starts_at:%Y-%m-%d %H:%M}"


class GroupDocument(models.Model):
    """A document the group drafts: a standard, a model, rules…; its text lives in its versions."""

    group = models.ForeignKey(WorkingGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=TITLE)
    # The latest accepted version (None until one is).
    current = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("document of a working group")
        verbose_name_plural = _("documents of working groups")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workgroups:document", kwargs={"pk": self.pk})


class VersionState(models.TextChoices):
    DRAFT = "draft", _("draft of its author")
    PROPOSED = "proposed", pgettext_lazy("version", "proposed")
    ACCEPTED = "accepted", pgettext_lazy("version", "accepted")
    REJECTED = "rejected", pgettext_lazy("version", "not accepted")


VERSION_LIMITS = {"note": REASON, "decision_note": REASON}


class DocumentVersion(models.Model):
    """A numbered version of a group's document; the number is given when it is proposed (a draft has none)."""

    document = models.ForeignKey(
        GroupDocument, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    # The version it was started from (None: read from a file, or the first).
    base = models.ForeignKey(
        "self", verbose_name=_("based on"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("what changes and why"), max_length=VERSION_LIMITS["note"], blank=True)
    source = models.FileField(
        _("original file"), upload_to="workgroups/versions/%Y/", storage=private_storage, blank=True
    )
    source_name = models.CharField(_("name of the original file"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=VersionState.choices, default=VersionState.DRAFT)
    state_changed_at = models.DateTimeField(_("state changed"), auto_now_add=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(
        _("the coordinator's note"), max_length=VERSION_LIMITS["decision_note"], blank=True
    )
    # The public consultation this version was sent to (consultations know nothing of groups).
    consultation = models.OneToOneField(
        "consultations.Consultation",
        verbose_name=_("sent to consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_version",
    )

    class Meta:
        verbose_name = _("version of a document")
        verbose_name_plural = _("versions of documents")
        ordering = ["document", "number", "id"]
        constraints = [
            *length_checks("documentversion", VERSION_LIMITS),
            models.UniqueConstraint(fields=["document", "number"], name="documentversion_unique_number"),
            models.CheckConstraint(
                name="documentversion_numbered_unless_draft",
                condition=models.Q(state="draft", number__isnull=True)
                | (~models.Q(state="draft") & models.Q(number__isnull=False)),
            ),
            models.CheckConstraint(
                name="documentversion_state_valid", condition=models.Q(state__in=VersionState.values)
            ),
        ]

    def __str__(self) -> str:
        if self.number is None:
            return f"{self.document} – {_('draft')}"
        return f"{self.document} – v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("workgroups:version", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.state == VersionState.DRAFT


class VersionUnit(UnitFields):
    """One editorial unit of a version (`core.drafting.models.UnitFields`)."""

    version = models.ForeignKey(
        DocumentVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="units"
    )

    class Meta:
        verbose_name = _("unit of a version")
        verbose_name_plural = _("units of versions")
        ordering = ["version", "position"]
        constraints = [
            *length_checks("versionunit", UNIT_LIMITS),
            models.UniqueConstraint(fields=["version", "position"], name="versionunit_unique_position"),
        ]


class VersionComment(StandardComment):
    """A member's comment on a unit of a proposed or accepted version (or, with no unit, on the whole of it), in
    the standard form (`core.drafting.models.StandardComment`)."""

    version = models.ForeignKey(
        DocumentVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="comments"
    )
    unit = models.ForeignKey(
        VersionUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on a version")
        verbose_name_plural = _("comments on versions")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["version", "created_at"], name="versioncomment_version_idx")]
        constraints = length_checks("versioncomment", STANDARD_COMMENT_LIMITS)

    def __str__(self) -> str:
        return f"{self.unit_citation or _('whole document')} – {self.author}"

    @property
    def author_name(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        return self.author.display_name or str(_("member"))
