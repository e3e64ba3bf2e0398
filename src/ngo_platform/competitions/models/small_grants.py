"""Small grants (art. 19a UDPP): the yearly grant pool of an authority and the comments on an offer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ngo_platform.competitions.models.offers import Offer
from ngo_platform.core.bounds import TEXT, length_checks

# The longest text (core.bounds).
OFFER_COMMENT_LIMITS = {"text": TEXT}


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
    text = models.TextField(_("comment"), max_length=OFFER_COMMENT_LIMITS["text"])
    created_at = models.DateTimeField(_("posted"))

    class Meta:
        verbose_name = _("comment on an offer")
        verbose_name_plural = _("comments on offers")
        ordering = ["offer_id", "created_at", "id"]
        constraints = length_checks("offer_comment", OFFER_COMMENT_LIMITS)

    def __str__(self) -> str:
        return self.text[:60]
