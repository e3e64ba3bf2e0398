"""After the results: the grant agreement, the updated cost calculation and the final report
(art. 16–18 UDPP; templates of Dz.U. 2018 poz. 2057: zał. 3 the agreement, zał. 5 the report;
domain.md §A4, §B).

An officer of the competition's authority prepares the agreement for a funded offer (one per offer),
sends it to the organisation, records its signing; when the granted amount is lower than requested the
organisation first adjusts its cost calculation (V.A/V.B) and the officer accepts it. After the task
the organisation reports (zał. 5) within the statutory period; the officer accepts the report (the
agreement is settled) or returns it for corrections with a note.

The states are declared once in `workflows.AGREEMENT`, `workflows.COST_UPDATE` and `workflows.REPORT` and
changed only by `core.workflow.perform`. Money is integer grosze. The report
period is versioned reference data (`AgreementParameters`), with the documented defaults in `DEFAULTS`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ngo_platform.competitions.models import CostCategory
from ngo_platform.core.bounds import LONG_TEXT, REASON, SHORT_TEXT, SIGNATORIES, length_checks

DEFAULTS = {
    # art. 18 ust. 1 UDPP (t.j. Dz.U. 2024 poz. 1491) and § 10 of the agreement template (Dz.U. 2018
    # poz. 2057, zał. 3): the report is due within 30 days after the end of the task.
    "report_due_days": 30,
    # The platform's reminders before the due date (days); the day after it an "overdue" one follows.
    "reminder_days": [7, 1],
}


class AgreementParameters(models.Model):
    """A version of the period for the final report and of the reminders, nationwide (authority empty)
    or one authority's own. The newest version in force on the day of the task's end applies."""

    version = models.CharField(_("version"), max_length=60)
    authority = models.ForeignKey(
        "territory.Authority",
        verbose_name=_("authority (empty: nationwide)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="agreement_parameters",
    )
    effective_from = models.DateField(_("effective from"))
    legal_basis = models.CharField(_("legal basis"), max_length=250)
    report_due_days = models.PositiveSmallIntegerField(_("days after the end of the task for the final report"))
    reminder_days = models.JSONField(_("reminders, days before the due date"), default=list)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("parameters of agreements and reports")
        verbose_name_plural = _("parameters of agreements and reports")
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "authority"], name="agreement_parameters_unique_version"),
        ]

    def __str__(self) -> str:
        return self.version

    @classmethod
    def documented_defaults(cls) -> AgreementParameters:
        return cls(
            version="UDPP 2024 (defaults)",
            effective_from=datetime.date(2024, 1, 1),
            legal_basis="art. 18 ust. 1 UDPP, Dz.U. 2024 poz. 1491",
            **DEFAULTS,
        )


class AgreementState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement state", "draft")
    SENT = "sent", _("sent to the organisation")
    SIGNED = "signed", _("signed")
    SETTLED = "settled", _("settled")
    TERMINATED = "terminated", _("terminated")


# The longest texts (core.bounds): the database refuses longer ones, the forms say the limits.
AGREEMENT_LIMITS = {"authority_signatories": SIGNATORIES, "termination_reason": REASON}
PARTY_LIMITS = {"signatories": SIGNATORIES}
COST_UPDATE_LIMITS = {"note": REASON}
REPORT_LIMITS = {"description": LONG_TEXT, "additional_info": SHORT_TEXT, "note": REASON}
REPORT_RESULT_LIMITS = {"comment": 1_000}
HISTORY_LIMITS = {"note": REASON}  # the officer's reasons and notes, each at most REASON


class Agreement(models.Model):
    """The agreement for a funded offer (Dz.U. 2018 poz. 2057, zał. 3): the parties, the grant, the
    dates, the payment schedule and the account the grant is paid to."""

    offer = models.OneToOneField(
        "competitions.Offer", verbose_name=_("offer"), on_delete=models.PROTECT, related_name="agreement"
    )
    number = models.CharField(_("number of the agreement"), max_length=60, blank=True)
    place = models.CharField(_("place of signing"), max_length=100, blank=True)
    authority_signatories = models.TextField(
        _("signing for the authority"),
        max_length=AGREEMENT_LIMITS["authority_signatories"],
        blank=True,
        help_text=_("One per line: full name and function."),
    )
    granted_amount = models.BigIntegerField(_("grant"))
    task_start = models.DateField(_("task from"))
    task_end = models.DateField(_("task to"))
    report_due = models.DateField(_("final report due"))
    account_number = models.CharField(_("bank account for the grant"), max_length=28, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=AgreementState.choices, default=AgreementState.DRAFT)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent to the organisation"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)
    terminated_at = models.DateTimeField(_("terminated"), null=True, blank=True)
    termination_reason = models.TextField(
        _("reason for the termination"), max_length=AGREEMENT_LIMITS["termination_reason"], blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "report_due"], name="agreement_state_due_idx")]
        constraints = [
            *length_checks("agreement", AGREEMENT_LIMITS),
            models.CheckConstraint(name="agreement_grant_positive", condition=models.Q(granted_amount__gt=0)),
            models.CheckConstraint(
                name="agreement_task_in_order", condition=models.Q(task_start__lte=models.F("task_end"))
            ),
            models.CheckConstraint(
                name="agreement_report_after_task", condition=models.Q(report_due__gte=models.F("task_end"))
            ),
            models.CheckConstraint(
                name="agreement_account_is_polish_iban",
                condition=models.Q(account_number="") | models.Q(account_number__regex=r"^PL[0-9]{26}$"),
            ),
            models.CheckConstraint(
                name="agreement_signed_has_date",
                condition=models.Q(state__in=["draft", "sent"])
                | models.Q(signed_on__isnull=False)
                | models.Q(state="terminated"),
            ),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Agreement no. %(n)s") % {"n": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", kwargs={"pk": self.pk})

    @property
    def account_groups(self) -> str:
        """ "PL61109010140000071219812874" → "PL61 1090 1014 0000 0712 1981 2874"."""
        value = self.account_number
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


class PartyRole(models.TextChoices):
    LEAD = "lead", pgettext_lazy("party of an agreement", "applicant")
    PARTNER = "partner", _("joint applicant")


class AgreementParty(models.Model):
    """An organisation on the organisations' side of the agreement (the lead and the partners of a
    joint offer, art. 14 ust. 2 UDPP) and who signs for it."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    role = models.CharField(_("role"), max_length=10, choices=PartyRole.choices)
    position = models.PositiveSmallIntegerField(_("no."))
    signatories = models.TextField(
        _("signing for the organisation"),
        max_length=PARTY_LIMITS["signatories"],
        blank=True,
        help_text=_("One per line: full name and function."),
    )

    class Meta:
        verbose_name = _("party of the agreement")
        verbose_name_plural = _("parties of the agreement")
        ordering = ["agreement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="agreement_party_once"),
            *length_checks("agreement_party", PARTY_LIMITS),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Instalment(models.Model):
    """One row of the payment schedule (§ 3 of the agreement template)."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="instalments"
    )
    position = models.PositiveSmallIntegerField(_("no."))
    due_on = models.DateField(_("paid by"))
    amount = models.BigIntegerField(_("amount"))

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("payment schedule")
        ordering = ["agreement", "position"]
        constraints = [models.CheckConstraint(name="instalment_amount_positive", condition=models.Q(amount__gt=0))]

    def __str__(self) -> str:
        return f"{self.position}. {self.due_on}"


class ReviewState(models.TextChoices):
    """The states shared by the updated cost calculation and the report."""

    DRAFT = "draft", _("being prepared by the organisation")
    SUBMITTED = "submitted", _("submitted, waiting for the authority")
    RETURNED = "returned", _("returned for corrections")
    ACCEPTED = "accepted", pgettext_lazy("state of a report", "accepted")


class Sources(models.Model):
    """V.B sources of financing (grosze), shared by the cost update (planned) and the report (actual)."""

    grant = models.BigIntegerField(_("grant"), default=0)
    own_financial = models.BigIntegerField(_("own financial contribution"), default=0)
    own_personal = models.BigIntegerField(_("own personal contribution (volunteers, social work)"), default=0)
    own_in_kind = models.BigIntegerField(_("own in-kind contribution"), default=0)
    beneficiary_fees = models.BigIntegerField(_("fees from the beneficiaries"), default=0)

    class Meta:
        abstract = True

    SOURCE_FIELDS = ("grant", "own_financial", "own_personal", "own_in_kind", "beneficiary_fees")

    @property
    def sources_total(self) -> int:
        return sum(getattr(self, field) for field in self.SOURCE_FIELDS)


class CostUpdate(Sources):
    """The updated cost calculation (zaktualizowana kalkulacja kosztów) when the grant is lower than
    requested: the organisation's V.A lines and V.B sources, copied from the submitted offer and
    adjusted; the officer accepts it before the agreement is signed."""

    agreement = models.OneToOneField(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="cost_update"
    )
    state = models.CharField(_("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    note = models.TextField(_("note of the authority"), max_length=COST_UPDATE_LIMITS["note"], blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("updated cost calculation")
        verbose_name_plural = _("updated cost calculations")
        constraints = [
            *length_checks("cost_update", COST_UPDATE_LIMITS),
            models.CheckConstraint(
                name="cost_update_sources_not_negative",
                condition=models.Q(
                    grant__gte=0, own_financial__gte=0, own_personal__gte=0, own_in_kind__gte=0, beneficiary_fees__gte=0
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Updated cost calculation of %(agreement)s") % {"agreement": self.agreement})


class CostUpdateLine(models.Model):
    """V.A: one line of the updated calculation. The value is computed: unit cost × units."""

    cost_update = models.ForeignKey(
        CostUpdate, verbose_name=_("updated cost calculation"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("no."))
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices, default=CostCategory.ACTION)
    action_no = models.PositiveSmallIntegerField(_("action no."), null=True, blank=True)
    action_name = models.CharField(pgettext_lazy("agreements", "action"), max_length=300, blank=True)
    name = models.CharField(_("kind of cost"), max_length=300)
    unit = models.CharField(pgettext_lazy("agreements", "unit"), max_length=60)
    unit_cost = models.BigIntegerField(_("unit cost"))
    units = models.DecimalField(_("number of units"), max_digits=12, decimal_places=2)
    total = models.BigIntegerField(_("value"))
    year = models.PositiveSmallIntegerField(_("year of the task"), default=1)
    offer_total = models.BigIntegerField(_("value in the offer"), null=True, blank=True)

    class Meta:
        verbose_name = _("line of the updated calculation")
        verbose_name_plural = _("lines of the updated calculation")
        ordering = ["cost_update", "position"]
        constraints = [
            models.CheckConstraint(
                name="cost_update_line_not_negative", condition=models.Q(unit_cost__gte=0, units__gte=0, total__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReportKind(models.TextChoices):
    FINAL = "final", _("final report")


class Report(Sources):
    """The report on the task (sprawozdanie, Dz.U. 2018 poz. 2057, zał. 5): what was done, the results
    achieved against those planned, the costs actually incurred per cost line and by source.
    `late` records a submission after the due date (accepted, marked)."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices, default=ReportKind.FINAL)
    state = models.CharField(_("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    description = models.TextField(
        _("description of what was done"),
        max_length=REPORT_LIMITS["description"],
        blank=True,
        help_text=_("The actions carried out, where and for whom; differences from the plan and why."),
    )
    additional_info = models.TextField(
        _("additional information"), max_length=REPORT_LIMITS["additional_info"], blank=True
    )
    interest = models.BigIntegerField(_("interest earned on the grant"), default=0)
    declares_truth = models.BooleanField(
        _("the information in the report is true and the costs are documented"), default=False
    )
    note = models.TextField(_("note of the authority"), max_length=REPORT_LIMITS["note"], blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    late = models.BooleanField(_("submitted after the due date"), default=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("agreements", "report")
        verbose_name_plural = _("reports")
        ordering = ["agreement", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind"], name="report_one_per_kind"),
            *length_checks("report", REPORT_LIMITS),
            models.CheckConstraint(
                name="report_amounts_not_negative",
                condition=models.Q(
                    grant__gte=0,
                    own_financial__gte=0,
                    own_personal__gte=0,
                    own_in_kind__gte=0,
                    beneficiary_fees__gte=0,
                    interest__gte=0,
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Final report on %(agreement)s") % {"agreement": self.agreement})


class ReportResult(models.Model):
    """A result of the offer's table (III.6) with the value achieved."""

    report = models.ForeignKey(
        Report, verbose_name=pgettext_lazy("agreements", "report"), on_delete=models.CASCADE, related_name="results"
    )
    position = models.PositiveSmallIntegerField(_("no."))
    name = models.CharField(_("result"), max_length=300)
    planned = models.CharField(_("planned value"), max_length=100)
    achieved = models.CharField(_("value achieved"), max_length=100, blank=True)
    comment = models.TextField(
        _("comment (e.g. why it differs)"), max_length=REPORT_RESULT_LIMITS["comment"], blank=True
    )

    class Meta:
        verbose_name = _("result achieved")
        verbose_name_plural = _("results achieved")
        ordering = ["report", "position"]
        constraints = length_checks("report_result", REPORT_RESULT_LIMITS)

    def __str__(self) -> str:
        return self.name


class ReportCostLine(models.Model):
    """A cost line of the agreement's calculation with the costs actually incurred."""

    report = models.ForeignKey(
        Report, verbose_name=pgettext_lazy("agreements", "report"), on_delete=models.CASCADE, related_name="cost_lines"
    )
    position = models.PositiveSmallIntegerField(_("no."))
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices, default=CostCategory.ACTION)
    name = models.CharField(_("kind of cost"), max_length=300)
    planned = models.BigIntegerField(_("costs according to the agreement"))
    spent = models.BigIntegerField(_("costs actually incurred"), default=0)

    class Meta:
        verbose_name = _("cost line of the report")
        verbose_name_plural = _("cost lines of the report")
        ordering = ["report", "position"]
        constraints = [
            models.CheckConstraint(name="report_line_not_negative", condition=models.Q(planned__gte=0, spent__gte=0))
        ]

    def __str__(self) -> str:
        return self.name


class HistorySubject(models.TextChoices):
    AGREEMENT = "agreement", _("agreement")
    COST_UPDATE = "cost_update", _("updated cost calculation")
    REPORT = "report", pgettext_lazy("subject of a history entry", "report")


class HistoryEntry(models.Model):
    """What the organisation and the authority see of the course of an agreement: each state change,
    with the officer's note when something is returned for corrections. (The audit log records the
    same decisions, with the details, for the platform.)"""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="history"
    )
    subject = models.CharField(_("concerns"), max_length=12, choices=HistorySubject.choices)
    state = models.CharField(_("new state"), max_length=12)
    note = models.TextField(_("note"), max_length=HISTORY_LIMITS["note"], blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["agreement", "at", "id"]
        constraints = length_checks("agreement_history", HISTORY_LIMITS)

    def __str__(self) -> str:
        return f"{self.subject} → {self.state}"

    @property
    def state_label(self):
        choices = AgreementState if self.subject == HistorySubject.AGREEMENT else ReviewState
        return dict(choices.choices).get(self.state, self.state)


class ReminderSent(models.Model):
    """A reminder about the report that has been sent (so each is sent once, for cron). `kind` is
    "before_7", "before_1" … or "overdue"; `due_on` the due date it was about (a later annex that moves
    the date sends new reminders)."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=20)
    due_on = models.DateField(_("due date"))
    sent_at = models.DateTimeField(_("sent"))
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["agreement", "sent_at"]
        constraints = [models.UniqueConstraint(fields=["agreement", "kind", "due_on"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.agreement} {self.kind}"
