"""Elections of NGO members to Public Benefit Councils (art. 41a–41i UDPP; domain.md §D).

An authority (JST) has a council; officers run its elections. Organisations nominate candidates,
the committee verifies them, the list is published, each eligible organisation casts exactly one
ballot (a unique constraint on election + organisation), the votes are counted, results published,
protests decided, and the council's member list updated.

The stages of an election, a candidate and a protest are declared once in `workflows` (`core.workflow`)
and changed only by `core.workflow.perform`. What the law leaves to each
authority's resolution (limits, ballot size, who votes, ties, open voting) is stored per election.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.core.bounds import LONG_TEXT, REASON, SHORT_TEXT, TEXT, length_checks

# The longest texts (core.bounds): the database refuses longer ones, the forms say the limits.
ELECTION_LIMITS = {"description": LONG_TEXT}
CANDIDATE_LIMITS = {"qualifications": TEXT, "statement": SHORT_TEXT, "reason": REASON}
TIE_BREAK_LIMITS = {"witnesses": REASON, "note": REASON}
PROTEST_LIMITS = {"text": LONG_TEXT, "decision": TEXT}


class Council(models.Model):
    """A Public Benefit Council (Rada Działalności Pożytku Publicznego) of one authority."""

    authority = models.ForeignKey(
        "territory.Authority", verbose_name=_("authority"), on_delete=models.PROTECT, related_name="councils"
    )
    name = models.CharField(_("name of the council"), max_length=250)
    slug = models.SlugField(_("address"), max_length=160, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("public benefit council")
        verbose_name_plural = _("public benefit councils")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("elections:council", kwargs={"slug": self.slug})


class CouncilMember(models.Model):
    """An NGO member of a council, entered by the final stage of the election that elected them."""

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="members")
    election = models.ForeignKey(
        "Election", verbose_name=_("election"), on_delete=models.PROTECT, related_name="council_members"
    )
    candidate = models.OneToOneField(
        "Candidate", verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="council_member"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("nominated by"), on_delete=models.PROTECT, related_name="+"
    )
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term to"))
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["full_name", "id"]

    def __str__(self) -> str:
        return self.full_name


class ElectionKind(models.TextChoices):
    REGULAR = "regular", _("election for a term")
    BY_ELECTION = "by_election", _("by-election")


class ElectionState(models.TextChoices):
    DRAFT = "draft", _("draft")
    NOMINATIONS = "nominations", _("nominations")
    VERIFICATION = "verification", _("verification of candidates")
    LIST_PUBLISHED = "list_published", _("list of candidates published")
    VOTING = "voting", _("voting")
    RESULTS = "results", _("counted, before publication")
    PROTESTS = "protests", _("results published, protests")
    FINAL = "final", _("final")
    CANCELLED = "cancelled", _("cancelled")


# The public stepper: the order of the stages (cancelled is off the path).
STAGE_ORDER = [
    ElectionState.DRAFT,
    ElectionState.NOMINATIONS,
    ElectionState.VERIFICATION,
    ElectionState.LIST_PUBLISHED,
    ElectionState.VOTING,
    ElectionState.RESULTS,
    ElectionState.PROTESTS,
    ElectionState.FINAL,
]


class EligibilityBasis(models.TextChoices):
    SEAT = "seat", _("seated in the territory")
    SEAT_OR_AREA = "seat_or_area", _("seated or active in the territory")


class ActingRole(models.TextChoices):
    ADMIN = "admin", _("organisation administrators")
    ANY = "any", _("any representative (administrator or editor)")


class TieRule(models.TextChoices):
    LOTS = "lots", _("drawing of lots by the committee, with witnesses")
    LIST_ORDER = "list_order", _("order of the candidate list (earlier nomination first)")


class Election(models.Model):
    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="elections")
    kind = models.CharField(_("kind"), max_length=20, choices=ElectionKind.choices, default=ElectionKind.REGULAR)
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("address"), max_length=160, unique=True)
    description = models.TextField(_("announcement"), max_length=ELECTION_LIMITS["description"], blank=True)
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term to"))
    seats = models.PositiveSmallIntegerField(_("NGO seats to fill"), default=1)
    state = models.CharField(_("stage"), max_length=20, choices=ElectionState.choices, default=ElectionState.DRAFT)

    # Eligibility.
    eligibility_basis = models.CharField(
        _("eligible organisations"),
        max_length=20,
        choices=EligibilityBasis.choices,
        default=EligibilityBasis.SEAT_OR_AREA,
    )
    eligible_legal_forms = models.JSONField(
        _("eligible legal forms"), default=list, blank=True, help_text=_("None chosen: every legal form.")
    )
    require_verified = models.BooleanField(_("only organisations verified on the platform"), default=True)

    # Settings of the authority's resolution.
    nominations_per_organisation = models.PositiveSmallIntegerField(
        _("candidates one organisation may nominate"), default=1
    )
    acting_role = models.CharField(
        _("who nominates and votes for an organisation"),
        max_length=10,
        choices=ActingRole.choices,
        default=ActingRole.ADMIN,
    )
    choices_per_ballot = models.PositiveSmallIntegerField(_("candidates per ballot"), default=1)
    ballot_changeable = models.BooleanField(
        _("a ballot may be changed until the voting closes"),
        default=False,
        help_text=_("Otherwise a ballot is final once cast."),
    )
    open_voting = models.BooleanField(_("open voting: the published ballots name the organisations"), default=False)
    tie_rule = models.CharField(_("ties are resolved by"), max_length=20, choices=TieRule.choices, default=TieRule.LOTS)

    # Timeline (aware datetimes; the server checks them, in Europe/Warsaw).
    nominations_start = models.DateTimeField(_("nominations open"))
    nominations_end = models.DateTimeField(_("nominations close"))
    voting_start = models.DateTimeField(_("voting opens"))
    voting_end = models.DateTimeField(_("voting closes"))
    protest_days = models.PositiveSmallIntegerField(_("days for protests after the results"), default=7)
    protests_end = models.DateTimeField(_("protests close"), null=True, blank=True)

    committee = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("election committee (besides the authority's officers)"),
        blank=True,
        related_name="election_committees",
    )
    # Frozen by the count: how many organisations could vote, and whether a tie waits for the drawing of lots.
    eligible_count = models.PositiveIntegerField(_("eligible organisations"), null=True, blank=True)
    tie_pending = models.BooleanField(_("a tie waits for the drawing of lots"), default=False)
    counted_at = models.DateTimeField(_("counted"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("final"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-voting_start", "-id"]
        indexes = [models.Index(fields=["state", "voting_start"], name="election_state_idx")]
        constraints = [
            *length_checks("election", ELECTION_LIMITS),
            models.CheckConstraint(
                name="election_timeline_in_order",
                condition=models.Q(nominations_start__lt=models.F("nominations_end"))
                & models.Q(nominations_end__lte=models.F("voting_start"))
                & models.Q(voting_start__lt=models.F("voting_end")),
            ),
            models.CheckConstraint(
                name="election_term_in_order", condition=models.Q(term_start__lte=models.F("term_end"))
            ),
            models.CheckConstraint(name="election_at_least_one_seat", condition=models.Q(seats__gte=1)),
            models.CheckConstraint(name="election_at_least_one_choice", condition=models.Q(choices_per_ballot__gte=1)),
            models.CheckConstraint(
                name="election_at_least_one_nomination", condition=models.Q(nominations_per_organisation__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("elections:detail", kwargs={"slug": self.slug})

    @property
    def acting_roles(self) -> list[str]:
        return [OrganisationRole.ADMIN] if self.acting_role == ActingRole.ADMIN else list(OrganisationRole.values)

    @property
    def results_public(self) -> bool:
        return self.state in (ElectionState.PROTESTS, ElectionState.FINAL)

    @property
    def list_public(self) -> bool:
        return self.state in (
            ElectionState.LIST_PUBLISHED,
            ElectionState.VOTING,
            ElectionState.RESULTS,
            ElectionState.PROTESTS,
            ElectionState.FINAL,
        )


class CandidateState(models.TextChoices):
    AWAITING_CONSENT = "awaiting_consent", _("waiting for the candidate's consent")
    CONSENTED = "consented", _("consent given, waiting for verification")
    VERIFIED = "verified", _("verified: on the list")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


def consent_token() -> str:
    return secrets.token_urlsafe(32)


class Candidate(models.Model):
    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="candidates"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("nominated by"),
        on_delete=models.PROTECT,
        related_name="council_candidates",
    )
    full_name = models.CharField(_("full name of the candidate"), max_length=200)
    email = models.EmailField(_("candidate's e-mail address"))
    qualifications = models.TextField(_("qualifications and experience"), max_length=CANDIDATE_LIMITS["qualifications"])
    statement = models.TextField(_("candidate's statement"), max_length=CANDIDATE_LIMITS["statement"], blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=CandidateState.choices, default=CandidateState.AWAITING_CONSENT
    )
    consent_token = models.CharField(max_length=64, unique=True, default=consent_token, editable=False)
    consented_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("nominated by (person)"), on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(_("nominated"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=CANDIDATE_LIMITS["reason"], blank=True)
    # Written by the count.
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    elected = models.BooleanField(_("elected"), default=False)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["nominated_at", "id"]
        constraints = [
            *length_checks("candidate", CANDIDATE_LIMITS),
            models.CheckConstraint(
                name="candidate_rejection_has_reason", condition=~models.Q(state="rejected") | ~models.Q(reason="")
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


def receipt_code() -> str:
    """A code the organisation keeps to find its ballot in the published list: 15 characters of an
    alphabet without look-alikes (0/O, 1/I/L), in groups of five (about 72 bits)."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(15))
    return "-".join(raw[i : i + 5] for i in range(0, 15, 5))


class Ballot(models.Model):
    """The one ballot of an organisation in an election."""

    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="ballots")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="council_ballots",
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cast by"), on_delete=models.PROTECT, related_name="+"
    )
    cast_at = models.DateTimeField(_("cast"))
    changed_at = models.DateTimeField(_("last changed"), null=True, blank=True)
    receipt = models.CharField(_("receipt code"), max_length=20, unique=True, default=receipt_code, editable=False)
    candidates = models.ManyToManyField(Candidate, verbose_name=_("chosen candidates"), related_name="ballots")

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["receipt"]
        constraints = [
            models.UniqueConstraint(fields=["election", "organisation"], name="ballot_one_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.receipt


class TieBreak(models.Model):
    """The recorded drawing of lots among candidates tied for the last seat(s)."""

    election = models.OneToOneField(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="tie_break"
    )
    # Candidate ids in the drawn order.
    order = models.JSONField(_("drawn order"))
    witnesses = models.TextField(_("witnesses"), max_length=TIE_BREAK_LIMITS["witnesses"])
    note = models.TextField(_("how the lots were drawn"), max_length=TIE_BREAK_LIMITS["note"], blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("drawing of lots")
        verbose_name_plural = _("drawings of lots")
        constraints = length_checks("tie_break", TIE_BREAK_LIMITS)


class ProtestState(models.TextChoices):
    PENDING = "pending", _("waiting for the committee")
    UPHELD = "upheld", _("upheld")
    DISMISSED = "dismissed", _("dismissed")


class Protest(models.Model):
    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="protests"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("content of the protest"), max_length=PROTEST_LIMITS["text"])
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=ProtestState.choices, default=ProtestState.PENDING)
    decision = models.TextField(_("decision and its reasons"), max_length=PROTEST_LIMITS["decision"], blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("protest")
        verbose_name_plural = _("protests")
        ordering = ["submitted_at", "id"]
        constraints = [
            *length_checks("protest", PROTEST_LIMITS),
            models.CheckConstraint(
                name="protest_decision_has_reasons", condition=models.Q(state="pending") | ~models.Q(decision="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_state_display()})"
