"""The competition commission (art. 15 ust. 2a–2d UDPP): its members, their recusals and scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ngo_platform.competitions.models.announcement import Competition, EvaluationCriterion
from ngo_platform.competitions.models.offers import Offer
from ngo_platform.core.bounds import REASON, SHORT_TEXT, length_checks


class CommissionRole(models.TextChoices):
    OFFICIAL = "official", _("representative of the authority")
    NGO = "ngo", _("person nominated by an organisation")


# The longest texts (core.bounds).
RECUSAL_LIMITS = {"reason": REASON}
SCORE_LIMITS = {"comment": SHORT_TEXT}


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
        return str(self.user)

    @property
    def has_declared(self) -> bool:
        return self.declared_at is not None


class Recusal(models.Model):
    """A member steps aside from one offer (KPA art. 24): they neither see nor score it."""

    member = models.ForeignKey(
        CommissionMember, verbose_name=_("member"), on_delete=models.CASCADE, related_name="recusals"
    )
    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="recusals")
    reason = models.TextField(_("reason"), max_length=RECUSAL_LIMITS["reason"])
    created_at = models.DateTimeField(_("recused"))

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [
            *length_checks("recusal", RECUSAL_LIMITS),
            models.UniqueConstraint(fields=["member", "offer"], name="recusal_once"),
        ]


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
    comment = models.TextField(_("justification"), max_length=SCORE_LIMITS["comment"])
    scored_at = models.DateTimeField(_("scored"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["offer_id", "member_id", "criterion_id"]
        indexes = [models.Index(fields=["offer", "member"], name="score_offer_member_idx")]
        constraints = [
            *length_checks("score", SCORE_LIMITS),
            models.UniqueConstraint(fields=["member", "offer", "criterion"], name="score_once"),
        ]
