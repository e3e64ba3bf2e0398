"""Bounded text: a long text field's limit, kept once on the model field (`TextField(max_length=...)`), enforced
by the database (`length_check`), by the services (`check_lengths`) and by the forms (`bounded_text`), with the
same Polish message next to the field."""

from __future__ import annotations

from django import forms
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

TOO_LONG = _("At most %(limit_value)s characters (this text has %(show_value)s): shorten it.")


def length_check(model: str, field: str, limit: int) -> models.CheckConstraint:
    """The database's refusal of a longer text (a TextField's max_length binds only forms)."""
    return models.CheckConstraint(name=f"{model}_{field}_max_length", condition=LessThanOrEqual(Length(field), limit))


def limit_of(model: type[models.Model], field: str) -> int:
    return model._meta.get_field(field).max_length


def bounded_text(model: type[models.Model], field: str, **kwargs) -> forms.CharField:
    """A form field for the model's long text with its limit, the message, the browser's maxlength and a hint."""
    limit = limit_of(model, field)
    hint = format_lazy(_("At most {limit} characters."), limit=limit)
    help_text = kwargs.pop("help_text", None)
    return forms.CharField(
        max_length=limit,
        error_messages={"max_length": TOO_LONG},
        help_text=format_lazy("{} {}", help_text, hint) if help_text else hint,
        widget=forms.Textarea(attrs={"rows": 4}),
        **kwargs,
    )


def too_long(model: type[models.Model], **texts: str) -> tuple[str, str] | None:
    """The first of the texts longer than its field's limit, as (field, message); None when all fit."""
    for field, text in texts.items():
        limit = limit_of(model, field)
        if len(text) > limit:
            return field, TOO_LONG % {"limit_value": limit, "show_value": len(text)}
    return None
