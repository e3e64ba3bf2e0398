"""Organisations (NGOs and art. 3 ust. 3 entities).

The foundation keeps only what memberships, the audit log and the demo need; the full
registry (identifiers, legal forms, spheres, verification) is built on this model.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    slug = models.SlugField(_("address"), max_length=160, unique=True)
    krs = models.CharField(_("KRS number"), max_length=10, null=True, blank=True, unique=True)
    seat = models.ForeignKey(
        "territory.TerritorialUnit",
        verbose_name=_("seat (gmina)"),
        on_delete=models.PROTECT,
        related_name="seated_organisations",
        limit_choices_to={"level": "gmina"},
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="organisation_krs_is_10_digits", condition=models.Q(krs__regex=r"^[0-9]{10}$") | models.Q(krs__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name
