"""The offer in the official template and its rows: actions, results, cost lines, partners of a joint
offer, the frozen submissions and the attached files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ngo_platform.competitions.models.announcement import Competition, OfferTemplate
from ngo_platform.core.bounds import LONG_TEXT, REASON, SHORT_TEXT, SIGNATORIES, TEXT, length_checks
from ngo_platform.core.models import private_storage


class OfferState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", pgettext_lazy("competitions", "submitted")
    WITHDRAWN = "withdrawn", _("withdrawn")
    FORMALLY_CORRECT = "formally_correct", _("formally correct")
    TO_COMPLETE = "to_complete", _("called to complete")
    FORMALLY_REJECTED = "formally_rejected", _("rejected on formal grounds")
    EVALUATED = "evaluated", _("evaluated")
    FUNDED = "funded", _("grant awarded")
    NOT_FUNDED = "not_funded", _("not funded")
    # A small-grant offer published for comments (art. 19a ust. 3 UDPP).
    COMMENTS = "comments", _("published for comments")


class PaidActivity(models.TextChoices):
    FREE = "free", _("free of charge (nieodpłatna działalność pożytku publicznego)")
    PAID = "paid", _("for a fee (odpłatna działalność pożytku publicznego)")
    BOTH = "both", _("partly free of charge, partly for a fee")


class TaxArrears(models.TextChoices):
    NONE = "none", _("has no arrears of taxes or social security contributions")
    DECLARED = "declared", _("has arrears, described below")


# The longest texts of an offer (core.bounds): the template (Dz.U. 2018 poz. 2057, zał. 1) sets none; these
# leave room for a thorough offer and keep its PDF readable.
OFFER_LIMITS = {
    "summary": LONG_TEXT,
    "expected_results": TEXT,
    "previous_activity": TEXT,
    "resources": TEXT,
    "partners_split": SHORT_TEXT,
    "other_info": TEXT,
    "tax_arrears_note": REASON,
    "signatories": SIGNATORIES,
    "formal_reason": REASON,
    "decision_reason": REASON,
}
ACTION_LIMITS = {"description": SHORT_TEXT}
PARTNER_LIMITS = {"scope": SHORT_TEXT}


class Offer(models.Model):
    """An offer in the official template (Dz.U. 2018 poz. 2057, zał. 1), sections I–VII.

    Section I comes from the competition; II from the organisations (frozen into the submission);
    III–VII are the fields and rows below. While a draft, anyone of the lead organisation may edit it;
    the submitted version is the frozen `OfferSubmission.content`.
    """

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.PROTECT, related_name="offers"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("applicant (lead organisation)"),
        on_delete=models.PROTECT,
        related_name="competition_offers",
    )
    template = models.CharField(
        _("template"), max_length=20, choices=OfferTemplate.choices, default=OfferTemplate.ZAL1_2018
    )
    state = models.CharField(_("state"), max_length=20, choices=OfferState.choices, default=OfferState.DRAFT)
    # II. Contact and correspondence.
    correspondence_address = models.CharField(
        _("correspondence address (if other than the seat)"), max_length=300, blank=True
    )
    contact_name = models.CharField(_("person authorised to give explanations"), max_length=200, blank=True)
    contact_email = models.EmailField(_("their e-mail"), blank=True)
    contact_phone = models.CharField(_("their telephone"), max_length=30, blank=True)
    # III. The task.
    title = models.CharField(_("title of the public task"), max_length=300, blank=True)
    date_from = models.DateField(_("task from"), null=True, blank=True)
    date_to = models.DateField(_("task to"), null=True, blank=True)
    summary = models.TextField(
        _("synthetic description of the task"),
        max_length=OFFER_LIMITS["summary"],
        blank=True,
        help_text=_("Where it takes place, the target group, the need it answers, how it complements other actions."),
    )
    expected_results = models.TextField(_("expected results"), max_length=OFFER_LIMITS["expected_results"], blank=True)
    # IV. The applicant's resources.
    previous_activity = models.TextField(
        _("previous activity in the area of the task"), max_length=OFFER_LIMITS["previous_activity"], blank=True
    )
    resources = models.TextField(
        _("staff, material and financial resources"), max_length=OFFER_LIMITS["resources"], blank=True
    )
    # V.B. Sources of financing (grosze).
    grant_requested = models.BigIntegerField(_("planned grant"), default=0)
    own_financial = models.BigIntegerField(_("own financial contribution"), default=0)
    own_personal = models.BigIntegerField(_("own personal contribution (volunteers, social work)"), default=0)
    own_in_kind = models.BigIntegerField(_("own in-kind contribution"), default=0)
    beneficiary_fees = models.BigIntegerField(_("fees from the beneficiaries"), default=0)
    # V.C. The lead organisation's part of the costs in a joint offer (the partners' parts are on OfferPartner).
    lead_cost_share = models.BigIntegerField(_("costs borne by the lead organisation"), default=0)
    # VI. Other information.
    paid_activity = models.CharField(
        _("the task is carried out"), max_length=10, choices=PaidActivity.choices, blank=True
    )
    partners_split = models.TextField(
        _("how the actions are split between the applicants"), max_length=OFFER_LIMITS["partners_split"], blank=True
    )
    other_info = models.TextField(_("other information"), max_length=OFFER_LIMITS["other_info"], blank=True)
    # VII. Declarations.
    declares_pbo_only = models.BooleanField(
        _("the task is within the applicant's statutory public benefit activity"), default=False
    )
    declares_fees_rules = models.BooleanField(
        _("fees are charged only within paid public benefit activity"), default=False
    )
    tax_arrears = models.CharField(
        _("taxes and social security"), max_length=10, choices=TaxArrears.choices, blank=True
    )
    tax_arrears_note = models.TextField(
        _("description of the arrears"), max_length=OFFER_LIMITS["tax_arrears_note"], blank=True
    )
    declares_register_data = models.BooleanField(_("the register data are current and consistent"), default=False)
    declares_truth = models.BooleanField(_("the information in the offer is true"), default=False)
    declares_gdpr = models.BooleanField(
        _("the personal data in the offer are given with the persons' knowledge (RODO)"), default=False
    )
    signatories = models.TextField(
        _("persons authorised to represent the applicant(s)"),
        max_length=OFFER_LIMITS["signatories"],
        blank=True,
        help_text=_("One per line: full name and function."),
    )
    # The formal check, the amount proposed and the decision.
    formal_decided_at = models.DateTimeField(_("formal check decided"), null=True, blank=True)
    formal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("formal check decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    formal_reason = models.TextField(
        _("reason for the formal rejection"), max_length=OFFER_LIMITS["formal_reason"], blank=True
    )
    proposed_amount = models.PositiveBigIntegerField(_("amount proposed (grosze)"), null=True, blank=True)
    # The grant awarded by the recorded decision (grosze): null until the decision, 0 when not funded.
    # The agreements app reads this field and the states funded / not_funded.
    granted_amount = models.PositiveBigIntegerField(_("grant awarded (grosze)"), null=True, blank=True)
    final_points = models.DecimalField(
        _("average points at the decision"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    final_rank = models.PositiveIntegerField(_("place in the ranking at the decision"), null=True, blank=True)
    # A small grant (art. 19a): the publication for comments and the decision after it.
    comments_from = models.DateTimeField(_("published for comments"), null=True, blank=True)
    comments_until = models.DateTimeField(_("comments accepted until"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published for comments by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("grant decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grant decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reason = models.TextField(
        _("reason for refusing the grant"), max_length=OFFER_LIMITS["decision_reason"], blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["competition", "state"], name="offer_competition_state_idx")]
        constraints = [
            *length_checks("offer", OFFER_LIMITS),
            models.CheckConstraint(
                name="offer_sources_not_negative",
                condition=models.Q(
                    grant_requested__gte=0,
                    own_financial__gte=0,
                    own_personal__gte=0,
                    own_in_kind__gte=0,
                    beneficiary_fees__gte=0,
                    lead_cost_share__gte=0,
                ),
            ),
            models.CheckConstraint(
                name="offer_granted_not_above_requested",
                condition=models.Q(granted_amount__isnull=True)
                | models.Q(granted_amount__lte=models.F("grant_requested")),
            ),
            models.CheckConstraint(
                name="offer_proposed_not_above_requested",
                condition=models.Q(proposed_amount__isnull=True)
                | models.Q(proposed_amount__lte=models.F("grant_requested")),
            ),
            models.CheckConstraint(
                name="offer_dates_in_order",
                condition=models.Q(date_from__isnull=True)
                | models.Q(date_to__isnull=True)
                | models.Q(date_from__lte=models.F("date_to")),
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(_("Offer no. %(n)s") % {"n": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("competitions:offer", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.state == OfferState.DRAFT

    @property
    def is_small_grant(self) -> bool:
        return self.template == OfferTemplate.SIMPLIFIED_2018

    def comments_open(self, now) -> bool:
        return (
            self.state == OfferState.COMMENTS
            and self.comments_from is not None
            and self.comments_from <= now < self.comments_until
        )

    @property
    def sources_total(self) -> int:
        return self.grant_requested + self.own_financial + self.own_personal + self.own_in_kind + self.beneficiary_fees


class OfferAction(models.Model):
    """III.4: one action of the plan and schedule."""

    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField(_("no."))
    name = models.CharField(pgettext_lazy("competitions", "action"), max_length=300)
    description = models.TextField(_("description"), max_length=ACTION_LIMITS["description"], blank=True)
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)
    carried_out_by = models.CharField(
        _("carried out by (applicant or an entity that is not a party)"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = pgettext_lazy("competitions", "action")
        verbose_name_plural = _("actions")
        ordering = ["offer", "position", "id"]
        constraints = length_checks("offer_action", ACTION_LIMITS)

    def __str__(self) -> str:
        return self.name


class OfferResult(models.Model):
    """III.6: one row of the results table."""

    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="results")
    position = models.PositiveSmallIntegerField(_("no."))
    name = models.CharField(_("result"), max_length=300)
    target_value = models.CharField(_("target value"), max_length=100)
    monitoring = models.CharField(_("how it is monitored (source of information)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["offer", "position", "id"]

    def __str__(self) -> str:
        return self.name


class CostCategory(models.TextChoices):
    ACTION = "action", _("I. costs of the actions")
    ADMINISTRATIVE = "administrative", _("II. administrative costs")


class CostLine(models.Model):
    """V.A: one cost line: of an action (category I) or administrative (II), in one year of the task.
    The value is computed: unit cost × number of units, rounded to the grosz."""

    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="cost_lines")
    position = models.PositiveSmallIntegerField(_("no."))
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices, default=CostCategory.ACTION)
    action = models.ForeignKey(
        OfferAction,
        verbose_name=pgettext_lazy("competitions", "action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cost_lines",
    )
    name = models.CharField(_("kind of cost"), max_length=300)
    unit = models.CharField(pgettext_lazy("competitions", "unit"), max_length=60)
    unit_cost = models.BigIntegerField(_("unit cost"))
    units = models.DecimalField(_("number of units"), max_digits=12, decimal_places=2)
    total = models.BigIntegerField(_("value"))
    year = models.PositiveSmallIntegerField(_("year of the task"), default=1)

    class Meta:
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        ordering = ["offer", "category", "position", "id"]
        constraints = [
            models.CheckConstraint(
                name="cost_line_not_negative", condition=models.Q(unit_cost__gte=0, units__gte=0, total__gte=0)
            ),
            models.CheckConstraint(name="cost_line_year_1_to_3", condition=models.Q(year__gte=1, year__lte=3)),
        ]

    def __str__(self) -> str:
        return self.name


class PartnerState(models.TextChoices):
    INVITED = "invited", _("waiting for confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    DECLINED = "declined", _("declined")


class OfferPartner(models.Model):
    """Another organisation of a joint offer (art. 14 ust. 2 UDPP). It confirms its part: the
    confirmation holds the checksum of the offer's content it saw, and a later change of the offer
    makes it stale (the partner must confirm again)."""

    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        related_name="competition_partnerships",
    )
    scope = models.TextField(_("the partner's part of the task"), max_length=PARTNER_LIMITS["scope"], blank=True)
    cost_share = models.BigIntegerField(_("costs borne by the partner"), default=0)
    state = models.CharField(_("state"), max_length=10, choices=PartnerState.choices, default=PartnerState.INVITED)
    confirmed_digest = models.CharField(_("checksum of the confirmed content"), max_length=64, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner in a joint offer")
        verbose_name_plural = _("partners in a joint offer")
        ordering = ["offer", "invited_at", "id"]
        constraints = [
            *length_checks("offer_partner", PARTNER_LIMITS),
            models.UniqueConstraint(fields=["offer", "organisation"], name="offer_partner_once"),
            models.CheckConstraint(name="offer_partner_share_not_negative", condition=models.Q(cost_share__gte=0)),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class OfferSubmission(models.Model):
    """The frozen submitted offer and its receipt.

    `content` is the canonical serialisation of the offer (`canonical.offer_content`: JSON, keys sorted,
    no whitespace, UTF-8) and `sha256` its hex digest. At most one submission of an offer is active
    (not withdrawn): a double click never makes two.
    """

    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.PROTECT, related_name="submissions")
    number = models.CharField(_("receipt number"), max_length=40, unique=True, null=True)  # noqa: DJ001 (unique, unset until numbered)
    # When the offer reached the platform (core.arrival: what the deadline is judged by), and when a worker
    # stored it (later when requests queue on the last evening; empty for submissions stored before both were kept).
    submitted_at = models.DateTimeField(_("submitted"))
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField(_("canonical content"))
    sha256 = models.CharField(_("SHA-256 of the canonical content"), max_length=64)
    competition_version = models.PositiveIntegerField(_("version of the announcement"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer"], condition=models.Q(withdrawn_at__isnull=True), name="offer_one_active_submission"
            ),
            models.CheckConstraint(
                name="submission_sha256_is_hex", condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$")
            ),
        ]

    def __str__(self) -> str:
        return self.number or str(self.pk)

    @property
    def sha256_groups(self) -> list[str]:
        return [self.sha256[i : i + 16] for i in range(0, 64, 16)]


class OfferAttachment(models.Model):
    """A file attached to an offer: one of the attachments the announcement requires, or another one.

    Stored in the private storage (handed out only by `competitions:offer_attachment` after the offer's
    view rule); checked by its content (`competitions.files.check_attachment`). Its name and SHA-256 are
    in the canonical content, so the receipt's checksum covers them; frozen once the offer is submitted.
    """

    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(
        _("attachment"),
        max_length=300,
        help_text=_("One of the attachments the announcement requires, or another one."),
    )
    required = models.BooleanField(_("required by the announcement"), default=False)
    file = models.FileField(_("file"), upload_to="offers/%Y/", storage=private_storage, max_length=200)
    file_type = models.CharField(_("type"), max_length=10)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("offer attachment")
        verbose_name_plural = _("offer attachments")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="offer_attachment_sha256_is_hex", condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$")
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("competitions:offer_attachment", kwargs={"pk": self.offer_id, "attachment": self.pk})
