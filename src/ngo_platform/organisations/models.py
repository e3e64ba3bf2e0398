"""The registry of organisations (NGOs and art. 3 ust. 3 UDPP entities), their verification,
invitations of members, and the search index the services keep current."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ngo_platform.accounts.invitations import InvitationFields, invitation_token  # noqa: F401 (migration 0002)
from ngo_platform.core.bounds import LONG_TEXT, REASON, length_check, length_checks
from ngo_platform.core.models import private_storage


class LegalForm(models.TextChoices):
    FOUNDATION = "fundacja", _("foundation")
    ASSOCIATION = "stowarzyszenie", _("association")
    ASSOCIATION_BRANCH = "jednostka_terenowa_stowarzyszenia", _("branch of an association")
    UNION_OF_ASSOCIATIONS = "zwiazek_stowarzyszen", _("union of associations")
    ORDINARY_ASSOCIATION = "stowarzyszenie_zwykle", _("ordinary association")
    STUDENT_SPORTS_CLUB = "uks", _("student sports club")
    SPORTS_CLUB = "klub_sportowy", _("sports club")
    SPORTS_UNION = "zwiazek_sportowy", _("sports union")
    VOLUNTEER_FIRE_BRIGADE = "osp", _("volunteer fire brigade")
    RURAL_HOUSEWIVES_CIRCLE = "kgw", _("rural housewives' circle")
    CHURCH_LEGAL_PERSON = "koscielna_osoba_prawna", _("church legal person")
    ASSOCIATION_OF_LOCAL_GOVERNMENTS = "stowarzyszenie_jst", _("association of local government units")
    SOCIAL_COOPERATIVE = "spoldzielnia_socjalna", _("social cooperative")
    NON_PROFIT_COMPANY = "spolka_non_profit", _("non-profit company")
    OTHER = "inny_podmiot", _("other entity of art. 3 ust. 3")


class InstitutionType(models.TextChoices):
    """What an institution of the directory is, when it is not a non-governmental organisation (art. 3 UDPP): it
    seeks and offers partnerships, but makes no offers in open competitions."""

    SCHOOL = "school", _("school or kindergarten")
    LIBRARY = "library", _("library")
    CULTURE = "culture", _("cultural institution")
    UNIVERSITY = "university", _("university")
    COMPANY = "company", _("company")
    PUBLIC = "public", _("other public institution")
    OTHER = "other", _("other institution")


class Register(models.TextChoices):
    """Where the organisation is registered (domain.md §E)."""

    KRS = "krs", _("National Court Register (KRS)")
    STAROSTA = "starosta", _("register kept by the starosta")
    OTHER = "inny", _("other register")


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    IN_LIQUIDATION = "in_liquidation", _("in liquidation")
    STRUCK_OFF = "struck_off", _("struck off the register")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    slug = models.SlugField(_("address"), max_length=160, unique=True)
    legal_form = models.CharField(
        _("legal form"), max_length=40, choices=LegalForm.choices, default=LegalForm.ASSOCIATION, blank=True
    )
    # Empty for a non-governmental organisation or another entity of art. 3 ust. 3 UDPP.
    institution_type = models.CharField(
        _("institution"),
        max_length=12,
        choices=InstitutionType.choices,
        blank=True,
        help_text=_("Only for a school, a library, a company or another institution that is not an NGO."),
    )
    register = models.CharField(_("register"), max_length=10, choices=Register.choices, default=Register.KRS)
    # Number in a register other than KRS (e.g. ewidencja starosty), and who keeps it.
    registry_number = models.CharField(_("number in the register"), max_length=50, blank=True)
    registry_authority = models.CharField(_("authority keeping the register"), max_length=200, blank=True)
    krs = models.CharField(_("KRS number"), max_length=10, null=True, blank=True, unique=True)
    nip = models.CharField(_("NIP"), max_length=10, null=True, blank=True, unique=True)
    regon = models.CharField(_("REGON"), max_length=14, null=True, blank=True, unique=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    seat = models.ForeignKey(
        "territory.TerritorialUnit",
        verbose_name=_("seat (gmina)"),
        on_delete=models.PROTECT,
        # Empty only for an organisation imported from a register that did not say it (see `to_complete`).
        null=True,
        blank=True,
        related_name="seated_organisations",
        limit_choices_to={"level": "gmina"},
    )
    areas = models.ManyToManyField(
        "territory.TerritorialUnit",
        verbose_name=_("areas of activity"),
        blank=True,
        related_name="active_organisations",
    )
    spheres = models.ManyToManyField(
        "territory.Sphere", verbose_name=_("spheres of public tasks"), blank=True, related_name="organisations"
    )
    # Organizacja pożytku publicznego: may receive 1.5% of PIT (art. 27 UDPP; domain.md §A7).
    is_opp = models.BooleanField(_("public benefit organisation (OPP)"), default=False)
    opp_since = models.DateField(_("OPP status since"), null=True, blank=True)
    description_short = models.CharField(_("short description"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=LONG_TEXT)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/%Y/", blank=True)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OrganisationStatus.choices, default=OrganisationStatus.ACTIVE
    )
    # False while a newly registered organisation waits for verification: it is not listed publicly.
    is_listed = models.BooleanField(_("listed in the directory"), default=True)
    # Set when a platform admin or an officer of the seat's authority verified a representative.
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    # What an import could not determine, to be completed by the organisation or an administrator:
    # {"seat": "Nie znaleziono gminy „X”…", "legal_form": "…"}, in Polish. A key goes when its field gets a value.
    to_complete = models.JSONField(_("to complete"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"], name="organisation_name_idx"),
            models.Index(fields=["status", "name"], name="organisation_status_name_idx"),
            models.Index(fields=["legal_form"], name="organisation_legal_form_idx"),
            models.Index(fields=["register"], name="organisation_register_idx"),
            models.Index(fields=["is_opp"], name="organisation_opp_idx"),
        ]
        constraints = [
            length_check("organisation", "description", LONG_TEXT),
            models.CheckConstraint(
                name="organisation_krs_is_10_digits",
                condition=models.Q(krs__regex=r"^[0-9]{10}$") | models.Q(krs__isnull=True),
            ),
            models.CheckConstraint(
                name="organisation_nip_is_10_digits",
                condition=models.Q(nip__regex=r"^[0-9]{10}$") | models.Q(nip__isnull=True),
            ),
            models.CheckConstraint(
                name="organisation_regon_is_9_or_14_digits",
                condition=models.Q(regon__regex=r"^([0-9]{9}|[0-9]{14})$") | models.Q(regon__isnull=True),
            ),
            models.CheckConstraint(
                name="organisation_opp_since_only_for_opp",
                condition=models.Q(is_opp=True) | models.Q(opp_since__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    def forget_completed(self) -> bool:
        """Drop the reasons in `to_complete` of the fields that now have a value; whether any went."""
        left = {
            field: reason
            for field, reason in self.to_complete.items()
            if not getattr(self, self._meta.get_field(field).attname)
        }
        changed = left != self.to_complete
        self.to_complete = left
        return changed

    @property
    def is_institution(self) -> bool:
        return bool(self.institution_type)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class VerificationKind(models.TextChoices):
    REGISTRATION = "registration", _("registration of a new organisation")
    CLAIM = "claim", _("claim to represent an existing organisation")


class VerificationState(models.TextChoices):
    PENDING = "pending", _("waiting for verification")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")


class VerificationRequest(models.Model):
    """A person asks to represent an organisation (new or existing), with evidence.

    Transitions (declared once in `workflows.VERIFICATION`): pending → verified | rejected.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="verification_requests"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=VerificationKind.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=VerificationState.choices, default=VerificationState.PENDING
    )
    evidence = models.FileField(
        _("KRS extract or other evidence"), upload_to="evidence/%Y/", storage=private_storage, blank=True
    )
    note = models.TextField(_("note"), blank=True, max_length=REASON)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=REASON)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("verification request")
        verbose_name_plural = _("verification requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "applicant"],
                condition=models.Q(state="pending"),
                name="verification_one_pending_per_person_and_organisation",
            ),
            models.CheckConstraint(
                name="verification_rejection_has_reason",
                condition=~models.Q(state="rejected") | ~models.Q(reason=""),
            ),
            *length_checks("verificationrequest", {"note": REASON, "reason": REASON}),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.applicant} ({self.get_state_display()})"


class Invitation(InvitationFields):
    """An organisation admin invites a person (by e-mail) to become a member with a role."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=10)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


class SearchEntry(models.Model):
    """What search matches, per organisation: lemmatised, diacritics-folded terms.

    Written by `organisations.search.index_organisations` from the services on every write.
    The database derives its own index from these columns: an FTS5 table kept by triggers on
    SQLite, a weighted tsvector kept by a trigger (plus a trigram index on `name_folded`) on
    PostgreSQL (migration 0003).
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="search_entry")
    name_terms = models.TextField()
    body_terms = models.TextField(blank=True)
    name_folded = models.CharField(max_length=300)
    identifiers = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")


class SearchWord(models.Model):
    """The vocabulary of the index: every term `SearchEntry` holds, with a written form to show. Typo tolerance
    corrects a query's words against it, the same way on every database (`organisations.search.corrected`).
    Written with the entries; never pruned (a word of a deleted organisation only costs a suggestion nothing
    matches, and the directory then shows the partial matches)."""

    word = models.CharField(max_length=60, unique=True)
    shown = models.CharField(max_length=60)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")


class ImportState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed: nothing was imported")


class ImportRun(models.Model):
    """One import of a CSV/XLSX file of organisations, with a per-row report: the sound rows are written and the
    refused ones kept to be downloaded as CSV; `strict`: all or nothing."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="imports/%Y/", storage=private_storage, blank=True)
    dry_run = models.BooleanField(_("dry run (check only, save nothing)"), default=False)
    strict = models.BooleanField(_("all or nothing (any error: save nothing)"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    # [{"row": 7, "column": "nip", "reason": "…"}], in Polish.
    report = models.JSONField(_("report"), default=list, blank=True)
    # The refused rows as the file had them, with the reasons: {"headers": [...], "rows": [[number, [cells], reason]]}.
    refused = models.JSONField(_("refused rows"), default=dict, blank=True)
    refused_count = models.PositiveIntegerField(_("refused"), default=0)
    to_complete_count = models.PositiveIntegerField(_("to complete"), default=0)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import of organisations")
        verbose_name_plural = _("imports of organisations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.get_state_display()})"


class ExportState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being prepared")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class DirectoryExport(models.Model):
    """An XLSX file of a filtered directory too large to build while the person waits.

    Keyed by the filters and the directory's data version: everyone asking for the same data while it
    is current shares one file; a write to the directory makes the next request build a new one.
    """

    key = models.CharField(max_length=64, unique=True)
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ExportState.choices, default=ExportState.QUEUED)
    file = models.FileField(_("file"), upload_to="exports/%Y/", storage=private_storage, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("directory export")
        verbose_name_plural = _("directory exports")

    def __str__(self):
        return f"{self.key[:12]} ({self.state})"
