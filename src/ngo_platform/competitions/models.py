"""Open competitions for offers (otwarty konkurs ofert, art. 11–19a UDPP; domain.md §A4–A6, §B).

An authority (JST) announces a competition; organisations prepare offers in the official template
(Dz.U. 2018 poz. 2057, zał. 1), alone or jointly, and submit them before the deadline; each submission
is frozen as a canonical JSON document with its SHA-256 and a receipt.

The stages of a competition, an offer, a call to complete and a partner's confirmation are declared once in
`workflows` and changed only by `core.workflow.perform`. What the law may change (the 21
days of art. 13, the criteria of art. 15, the limits of art. 19a) is versioned reference data
(`LegalParameters`), with the documented defaults in `DEFAULTS` used when no row exists.

Money is integer grosze everywhere (`*_grosze` is implied by the helpers in `money.py`); shares are
basis points (1050 = 10,5%).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ngo_platform.core.models import private_storage

# The documented defaults of the law's parameters, used when the database holds no `LegalParameters`
# row (the first migration stores them as the version "UDPP 2024").
DEFAULTS = {
    # art. 13 ust. 1 UDPP: the offers deadline is at least 21 days after the (last) publication.
    "offer_deadline_min_days": 21,
    # art. 19a ust. 1 pkt 1 UDPP: a small grant is at most 10 000 zł (domain.md §A5; a 2025 draft: 20 000 zł).
    "small_grant_max_grosze": 10_000_00,
    # art. 19a ust. 1 pkt 2 UDPP: the task lasts at most 90 days.
    "small_grant_max_days": 90,
    # art. 19a ust. 4 UDPP: at most 20 000 zł per organisation per year in this mode (2025 draft: 40 000 zł).
    "small_grant_org_year_max_grosze": 20_000_00,
    # art. 19a ust. 5 UDPP: all small grants at most 20% of the grants planned for NGOs (2025 draft: 30%).
    "small_grant_budget_share_bp": 2000,
    # art. 19a ust. 3 UDPP: the offer is published for 7 days for comments.
    "small_grant_comment_days": 7,
    # art. 15 ust. 1 pkt 1–6 UDPP: what the authority assesses; the points are each authority's choice.
    "default_criteria": [
        {"name": "Możliwość realizacji zadania przez oferenta (art. 15 ust. 1 pkt 1)", "max_points": 10},
        {
            "name": "Kalkulacja kosztów w odniesieniu do zakresu rzeczowego zadania (art. 15 ust. 1 pkt 2)",
            "max_points": 10,
        },
        {
            "name": "Jakość wykonania zadania i kwalifikacje osób realizujących zadanie (art. 15 ust. 1 pkt 3)",
            "max_points": 10,
        },
        {
            "name": "Udział środków finansowych własnych lub z innych źródeł (art. 15 ust. 1 pkt 4, wspieranie)",
            "max_points": 5,
        },
        {
            "name": "Wkład rzeczowy, osobowy, w tym świadczenia wolontariuszy i praca społeczna (art. 15 ust. 1 pkt 5)",
            "max_points": 5,
        },
        {"name": "Realizacja zleconych zadań publicznych w latach poprzednich (art. 15 ust. 1 pkt 6)", "max_points": 5},
    ],
}


class LegalParameters(models.Model):
    """A version of the statutory parameters, nationwide (authority empty) or one authority's own
    (e.g. a longer offers period set by its resolution). The newest version in force applies."""

    version = models.CharField(_("version"), max_length=60)
    authority = models.ForeignKey(
        "territory.Authority",
        verbose_name=_("authority (empty: nationwide)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="competition_parameters",
    )
    effective_from = models.DateField(_("effective from"))
    legal_basis = models.CharField(_("legal basis"), max_length=250)
    offer_deadline_min_days = models.PositiveSmallIntegerField(
        _("minimum days from publication to the offers deadline")
    )
    small_grant_max_grosze = models.BigIntegerField(_("maximum small grant (grosze)"))
    small_grant_max_days = models.PositiveSmallIntegerField(_("maximum length of a small-grant task (days)"))
    small_grant_org_year_max_grosze = models.BigIntegerField(_("small grants per organisation per year (grosze)"))
    small_grant_budget_share_bp = models.PositiveIntegerField(_("small grants' share of the NGO grants (basis points)"))
    small_grant_comment_days = models.PositiveSmallIntegerField(_("days for comments on a small-grant offer"))
    default_criteria = models.JSONField(_("default evaluation criteria"), default=list)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("statutory parameters")
        verbose_name_plural = _("statutory parameters")
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "authority"], name="legal_parameters_unique_version"),
        ]

    def __str__(self) -> str:
        return self.version

    @classmethod
    def documented_defaults(cls) -> LegalParameters:
        return cls(
            version="UDPP 2024 (defaults)",
            effective_from=datetime.date(2024, 1, 1),
            legal_basis="Dz.U. 2024 poz. 1491",
            **DEFAULTS,
        )


class CompetitionMode(models.TextChoices):
    OPEN = "open", _("open competition for offers (art. 11–18a)")
    SMALL_GRANT = "small_grant", _("small grant without a competition (art. 19a)")


class TaskForm(models.TextChoices):
    SUPPORT = "wspieranie", _("support (co-financing)")
    ENTRUST = "powierzanie", _("entrusting (full financing)")


class OfferTemplate(models.TextChoices):
    """Versions of the official templates: offers keep the version they were made in."""

    ZAL1_2018 = "2018-zal1", _("offer, Dz.U. 2018 poz. 2057, annex 1")
    # The simplified offer of a small grant (art. 19a UDPP; domain.md §B3).
    SIMPLIFIED_2018 = "2018-19a", _("simplified offer, Dz.U. 2018 poz. 2055 (art. 19a)")


class CompetitionState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("announced: offers accepted")
    FORMAL_CHECK = "formal_check", _("formal check")
    EVALUATION = "evaluation", _("evaluation by the commission")
    DECIDED = "decided", _("grants decided")
    RESULTS = "results", _("results published")
    ANNULLED = "annulled", _("annulled")


class AnnulmentGround(models.TextChoices):
    """Why a competition is annulled: the two grounds of art. 18a ust. 1 UDPP, or a ground the announcement
    reserved (its rules text names it; the officer's reason says which)."""

    NO_OFFER = "no_offer", _("no offer was submitted (art. 18a ust. 1 pkt 1 UDPP)")
    NONE_COMPLIANT = (
        "none_compliant",
        _("no offer meets the requirements of the announcement (art. 18a ust. 1 pkt 2 UDPP)"),
    )
    RESERVED = "reserved", _("a ground the announcement reserved (named in the reason)")


class Competition(models.Model):
    """The announcement (ogłoszenie, art. 13 UDPP) and the competition it opens."""

    authority = models.ForeignKey(
        "territory.Authority", verbose_name=_("authority"), on_delete=models.PROTECT, related_name="competitions"
    )
    mode = models.CharField(_("mode"), max_length=20, choices=CompetitionMode.choices, default=CompetitionMode.OPEN)
    template = models.CharField(
        _("offer template"), max_length=20, choices=OfferTemplate.choices, default=OfferTemplate.ZAL1_2018
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("address"), max_length=160, unique=True)
    task_kind = models.TextField(_("kind of public task"))
    sphere = models.ForeignKey(
        "territory.Sphere",
        verbose_name=_("sphere of public tasks"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competitions",
    )
    task_form = models.CharField(
        _("form of the task"), max_length=20, choices=TaskForm.choices, default=TaskForm.SUPPORT
    )
    total_funds = models.BigIntegerField(_("total funds (grosze)"))
    min_grant = models.BigIntegerField(_("minimum grant per offer (grosze)"), null=True, blank=True)
    max_grant = models.BigIntegerField(_("maximum grant per offer (grosze)"))
    own_contribution_min_bp = models.PositiveIntegerField(
        _("minimum own contribution (basis points of the total costs)"), default=0
    )
    own_counts_financial = models.BooleanField(_("financial contribution counts"), default=True)
    own_counts_personal = models.BooleanField(_("personal contribution (volunteers, social work) counts"), default=True)
    own_counts_in_kind = models.BooleanField(_("in-kind contribution counts"), default=True)
    own_counts_fees = models.BooleanField(_("fees from the beneficiaries count"), default=False)
    admin_costs_max_bp = models.PositiveIntegerField(
        _("maximum administrative costs (basis points of the total costs)"), null=True, blank=True
    )
    eligible_entities = models.TextField(_("eligible entities"))
    require_verified = models.BooleanField(_("only organisations verified on the platform may submit"), default=True)
    task_start = models.DateField(_("task period from"))
    task_end = models.DateField(_("task period to"))
    offers_deadline = models.DateTimeField(_("offers deadline"))
    funds_this_year = models.BigIntegerField(_("granted for tasks of this kind this year (grosze)"), default=0)
    funds_last_year = models.BigIntegerField(_("granted for tasks of this kind last year (grosze)"), default=0)
    required_attachments = models.TextField(_("required attachments"), blank=True, help_text=_("One per line."))
    rules_text = models.TextField(_("rules of the competition"))
    selection_deadline = models.DateField(_("selection of offers by"), null=True, blank=True)
    state = models.CharField(
        _("stage"), max_length=20, choices=CompetitionState.choices, default=CompetitionState.DRAFT
    )
    version = models.PositiveIntegerField(_("version of the announcement"), default=0)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    annulled_at = models.DateTimeField(_("annulled"), null=True, blank=True)
    annulment_ground = models.CharField(
        _("ground of the annulment"), max_length=20, choices=AnnulmentGround.choices, blank=True
    )
    annulment_reason = models.TextField(_("reason for the annulment"), blank=True)
    # The decision on the grants and the publication of the results.
    decided_at = models.DateTimeField(_("decision recorded"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decision recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reference = models.CharField(_("the decision (e.g. resolution no.)"), max_length=300, blank=True)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    results_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("results published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering = ["-offers_deadline", "-id"]
        indexes = [models.Index(fields=["state", "offers_deadline"], name="competition_state_idx")]
        constraints = [
            models.CheckConstraint(
                name="competition_task_period_in_order", condition=models.Q(task_start__lte=models.F("task_end"))
            ),
            models.CheckConstraint(name="competition_funds_not_negative", condition=models.Q(total_funds__gte=0)),
            models.CheckConstraint(name="competition_max_grant_positive", condition=models.Q(max_grant__gt=0)),
            models.CheckConstraint(
                name="competition_min_grant_below_max",
                condition=models.Q(min_grant__isnull=True) | models.Q(min_grant__lte=models.F("max_grant")),
            ),
            models.CheckConstraint(
                name="competition_own_share_at_most_100", condition=models.Q(own_contribution_min_bp__lte=10000)
            ),
            models.CheckConstraint(
                name="competition_admin_cap_at_most_100",
                condition=models.Q(admin_costs_max_bp__isnull=True) | models.Q(admin_costs_max_bp__lte=10000),
            ),
            models.CheckConstraint(
                name="competition_published_has_time",
                condition=models.Q(state="draft") | models.Q(published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("competitions:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.state != CompetitionState.DRAFT

    def accepting_offers(self, now) -> bool:
        return self.state == CompetitionState.PUBLISHED and now < self.offers_deadline

    @property
    def attachment_list(self) -> list[str]:
        return [line.strip() for line in self.required_attachments.splitlines() if line.strip()]

    @property
    def task_years(self) -> list[int]:
        return list(range(self.task_start.year, self.task_end.year + 1))


class EvaluationCriterion(models.Model):
    """A criterion of the announcement with its maximum points (art. 15 ust. 1 UDPP), on which
    the commission scores each offer."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.TextField(_("criterion"))
    max_points = models.PositiveSmallIntegerField(_("maximum points"))

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["competition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "position"], name="criterion_unique_position"),
            models.CheckConstraint(name="criterion_points_positive", condition=models.Q(max_points__gt=0)),
        ]

    def __str__(self) -> str:
        return self.name


class CompetitionVersion(models.Model):
    """A published version of the announcement: the first publication and every correction, each with
    the whole announcement as it then read and what changed."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("announcement as published"))
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("what was corrected and why"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("version of the announcement")
        verbose_name_plural = _("versions of the announcement")
        ordering = ["competition", "number"]
        constraints = [models.UniqueConstraint(fields=["competition", "number"], name="competition_version_unique")]

    def __str__(self) -> str:
        return f"{self.competition} v{self.number}"


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
        blank=True,
        help_text=_("Where it takes place, the target group, the need it answers, how it complements other actions."),
    )
    expected_results = models.TextField(_("expected results"), blank=True)
    # IV. The applicant's resources.
    previous_activity = models.TextField(_("previous activity in the area of the task"), blank=True)
    resources = models.TextField(_("staff, material and financial resources"), blank=True)
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
    partners_split = models.TextField(_("how the actions are split between the applicants"), blank=True)
    other_info = models.TextField(_("other information"), blank=True)
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
    tax_arrears_note = models.TextField(_("description of the arrears"), blank=True)
    declares_register_data = models.BooleanField(_("the register data are current and consistent"), default=False)
    declares_truth = models.BooleanField(_("the information in the offer is true"), default=False)
    declares_gdpr = models.BooleanField(
        _("the personal data in the offer are given with the persons' knowledge (RODO)"), default=False
    )
    signatories = models.TextField(
        _("persons authorised to represent the applicant(s)"),
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
    formal_reason = models.TextField(_("reason for the formal rejection"), blank=True)
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
    decision_reason = models.TextField(_("reason for refusing the grant"), blank=True)
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
    description = models.TextField(_("description"), blank=True)
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
    scope = models.TextField(_("the partner's part of the task"), blank=True)
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
    submitted_at = models.DateTimeField(_("submitted"))
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


# --- Formal check, commission, scoring ---------------------------------------------------------

DEFAULT_FORMAL_CHECKLIST = [
    "Oferta złożona w terminie, na platformie, we wzorze z Dz.U. 2018 poz. 2057",
    "Oferent jest podmiotem uprawnionym (art. 3 ust. 2 i 3 UDPP) i prowadzi działalność statutową w dziedzinie zadania",
    "Zadanie mieści się w rodzaju zadania i terminach ogłoszenia",
    "Kalkulacja kosztów i wkład własny zgodne z ogłoszeniem",
    "Oświadczenia złożone, oferta podpisana przez osoby upoważnione zgodnie z KRS",
    "Wymagane załączniki dołączone",
]


class FormalCheckItem(models.Model):
    """One question of the formal checklist of an announcement (the officer may adjust the list until the
    first offer is marked)."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="formal_items"
    )
    position = models.PositiveSmallIntegerField(_("no."))
    text = models.CharField(_("requirement"), max_length=300)

    class Meta:
        verbose_name = _("formal requirement")
        verbose_name_plural = _("formal requirements")
        ordering = ["competition_id", "position"]
        constraints = [models.UniqueConstraint(fields=["competition", "position"], name="formal_item_unique_position")]

    def __str__(self) -> str:
        return self.text


class FormalMark(models.Model):
    """The officer's answer to one requirement for one offer (the latest; changes are audited)."""

    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="formal_marks")
    item = models.ForeignKey(
        FormalCheckItem, verbose_name=_("requirement"), on_delete=models.CASCADE, related_name="marks"
    )
    met = models.BooleanField(_("met"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("marked by"), on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked"))

    class Meta:
        verbose_name = _("formal mark")
        verbose_name_plural = _("formal marks")
        ordering = ["offer_id", "item_id"]
        constraints = [models.UniqueConstraint(fields=["offer", "item"], name="formal_mark_once")]


# The parts of an offer a call to complete may open: each step of the form and the attachments (not the
# partners of a joint offer: they confirmed the offer as submitted).
CALL_PARTS = {
    "oferent": _("II. Applicant (contact details)"),
    "opis": _("III. The task (title, dates, description, results)"),
    "dzialania": _("III.4 and III.6 Plan of actions and results"),
    "zasoby": _("IV. Resources"),
    "koszty": _("V.A Cost calculation"),
    "zrodla": _("V.B–V.C Sources of financing"),
    "inne": _("VI. Other information"),
    "oswiadczenia": _("VII. Declarations and signatories"),
    "zalaczniki": _("Attachments (adding files)"),
}


class CallState(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("completed")
    EXPIRED = "expired", _("closed at its deadline")
    ENDED = "ended", _("ended with the competition")


class CompletionCall(models.Model):
    """A call to complete the offer (wezwanie do uzupełnienia): what is missing, which parts of the offer
    may be corrected (steps of the form, the attachments), which attachments must be added, and by when.

    An offer may be called more than once, one call at a time. While a call is open the applicant corrects
    the parts it names through the offer's own pages; the call closes when the applicant sends the
    completion, or at its deadline with what was saved before it. The content before (at the call) and
    after (at the close) is kept with its SHA-256 and the differences; the submission stays as submitted.
    """

    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="completion_calls")
    message = models.TextField(_("what must be completed"))
    sections = models.JSONField(_("parts that may be corrected"), default=list)
    attachments = models.JSONField(_("attachments to add"), default=list, blank=True)
    deadline = models.DateTimeField(_("deadline to complete"))
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("called by"), on_delete=models.PROTECT, related_name="+"
    )
    called_at = models.DateTimeField(_("called"))
    content_before = models.TextField(_("canonical content at the call"), blank=True)
    attachments_before = models.JSONField(_("attachments at the call"), default=list, blank=True)
    sha256_before = models.CharField(_("SHA-256 of the content at the call"), max_length=64, blank=True)
    answered_at = models.DateTimeField(_("completed"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer_note = models.TextField(_("explanation"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=CallState.choices, default=CallState.OPEN)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    changes = models.JSONField(_("what was changed (before, after)"), default=dict, blank=True)
    content = models.TextField(_("canonical content after the correction"), blank=True)
    sha256 = models.CharField(_("SHA-256 of the corrected content"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("call to complete")
        verbose_name_plural = _("calls to complete")
        ordering = ["offer_id", "called_at", "id"]
        constraints = [
            # One call at a time: a new call only once the earlier one is closed.
            models.UniqueConstraint(
                fields=["offer"], condition=models.Q(closed_at__isnull=True), name="completion_call_one_open"
            ),
        ]

    def __str__(self) -> str:
        return self.message[:60]

    @property
    def is_open(self) -> bool:
        """Not closed yet (it may still be past its deadline until the platform records the close)."""
        return self.closed_at is None

    def accepts_changes(self, now) -> bool:
        return self.closed_at is None and now < self.deadline

    @property
    def sent(self) -> bool:
        """Closed by the applicant's sending (not at the deadline)."""
        return self.answered_at is not None


class CommissionRole(models.TextChoices):
    OFFICIAL = "official", _("representative of the authority")
    NGO = "ngo", _("person nominated by an organisation")


class CommissionMember(models.Model):
    """A member of the competition commission (art. 15 ust. 2a–2d UDPP). Sees offers only after signing
    the impartiality declaration (KPA art. 24); the declaration's text is kept as signed."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="commission"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="commission_seats"
    )
    role = models.CharField(_("role"), max_length=10, choices=CommissionRole.choices)
    nominated_by = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commission_nominees",
    )
    chair = models.BooleanField(_("chair"), default=False)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("appointed by"), on_delete=models.PROTECT, related_name="+"
    )
    appointed_at = models.DateTimeField(_("appointed"))
    declared_at = models.DateTimeField(_("impartiality declared"), null=True, blank=True)
    declaration_text = models.TextField(_("declaration as signed"), blank=True)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ["competition_id", "-chair", "appointed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "user"], name="commission_member_once"),
            models.CheckConstraint(
                name="commission_ngo_member_nominated",
                condition=~models.Q(role="ngo") | models.Q(nominated_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.user.full_name or self.user.email

    @property
    def has_declared(self) -> bool:
        return self.declared_at is not None


class Recusal(models.Model):
    """A member steps aside from one offer (KPA art. 24): they neither see nor score it."""

    member = models.ForeignKey(
        CommissionMember, verbose_name=_("member"), on_delete=models.CASCADE, related_name="recusals"
    )
    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="recusals")
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("recused"))

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [models.UniqueConstraint(fields=["member", "offer"], name="recusal_once")]


class Score(models.Model):
    """A member's points for one offer on one criterion, with the justification. A member's score card of
    an offer is all criteria, saved together."""

    member = models.ForeignKey(
        CommissionMember, verbose_name=_("member"), on_delete=models.CASCADE, related_name="scores"
    )
    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        EvaluationCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    points = models.PositiveSmallIntegerField(_("points"))
    comment = models.TextField(_("justification"))
    scored_at = models.DateTimeField(_("scored"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["offer_id", "member_id", "criterion_id"]
        indexes = [models.Index(fields=["offer", "member"], name="score_offer_member_idx")]
        constraints = [models.UniqueConstraint(fields=["member", "offer", "criterion"], name="score_once")]


# --- Small grants (art. 19a UDPP) ----------------------------------------------------------------


class SmallGrantPool(models.Model):
    """The grants an authority plans for organisations in a year (its annual programme, art. 5a): the
    base of the art. 19a ust. 5 cap (all small grants ≤ 20% of it). Set by an officer; changes audited."""

    authority = models.ForeignKey(
        "territory.Authority", verbose_name=_("authority"), on_delete=models.CASCADE, related_name="small_grant_pools"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.BigIntegerField(_("grants planned for organisations in the year (grosze)"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("set"))

    class Meta:
        verbose_name = _("yearly grant pool")
        verbose_name_plural = _("yearly grant pools")
        ordering = ["authority_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="small_grant_pool_once_a_year"),
            models.CheckConstraint(name="small_grant_pool_not_negative", condition=models.Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.year}"


class OfferComment(models.Model):
    """A comment on a small-grant offer published for comments (art. 19a ust. 3 UDPP): by anyone signed
    in, with their name, within the window."""

    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    author_name = models.CharField(pgettext_lazy("competitions", "name"), max_length=200)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("posted"))

    class Meta:
        verbose_name = _("comment on an offer")
        verbose_name_plural = _("comments on offers")
        ordering = ["offer_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


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
