"""The announcement (art. 13 UDPP): the competition, its published versions and criteria, and the
statutory parameters (`LegalParameters`, with the documented `DEFAULTS`) with the choices they use."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ngo_platform.core.bounds import REASON, SHORT_TEXT, length_checks

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


# The longest texts (core.bounds): the database refuses longer ones, the forms say the limits.
COMPETITION_LIMITS = {
    "task_kind": REASON,
    "eligible_entities": REASON,
    "required_attachments": SHORT_TEXT,
    # The conditions of the competition as published (art. 13 ust. 2 UDPP): the longest text of an announcement.
    "rules_text": 20_000,
    "annulment_reason": REASON,
}
CRITERION_LIMITS = {"name": 500}
VERSION_LIMITS = {"note": REASON}


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
    task_kind = models.TextField(_("kind of public task"), max_length=COMPETITION_LIMITS["task_kind"])
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
    eligible_entities = models.TextField(_("eligible entities"), max_length=COMPETITION_LIMITS["eligible_entities"])
    require_verified = models.BooleanField(_("only organisations verified on the platform may submit"), default=True)
    task_start = models.DateField(_("task period from"))
    task_end = models.DateField(_("task period to"))
    offers_deadline = models.DateTimeField(_("offers deadline"))
    funds_this_year = models.BigIntegerField(_("granted for tasks of this kind this year (grosze)"), default=0)
    funds_last_year = models.BigIntegerField(_("granted for tasks of this kind last year (grosze)"), default=0)
    required_attachments = models.TextField(
        _("required attachments"),
        max_length=COMPETITION_LIMITS["required_attachments"],
        blank=True,
        help_text=_("One per line."),
    )
    rules_text = models.TextField(_("rules of the competition"), max_length=COMPETITION_LIMITS["rules_text"])
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
    annulment_reason = models.TextField(
        _("reason for the annulment"), max_length=COMPETITION_LIMITS["annulment_reason"], blank=True
    )
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
            *length_checks("competition", COMPETITION_LIMITS),
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
    name = models.TextField(_("criterion"), max_length=CRITERION_LIMITS["name"])
    max_points = models.PositiveSmallIntegerField(_("maximum points"))

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["competition", "position"]
        constraints = [
            *length_checks("criterion", CRITERION_LIMITS),
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
    note = models.TextField(_("what was corrected and why"), max_length=VERSION_LIMITS["note"], blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("version of the announcement")
        verbose_name_plural = _("versions of the announcement")
        ordering = ["competition", "number"]
        constraints = [
            *length_checks("competition_version", VERSION_LIMITS),
            models.UniqueConstraint(fields=["competition", "number"], name="competition_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.competition} v{self.number}"
