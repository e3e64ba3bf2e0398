"""Bounded text: a long text field's limit, kept once on the model field (`TextField(max_length=...)`), enforced
by the database (`length_check`), by the services (`too_long`) and by the forms (`bounded_text`, `bounded`,
`say_limits`), with the same Polish message next to the field and the limit said before typing (a hint and the
browser's maxlength).

Every free-text field of every form has a limit (tests/core/test_input_bounds.py walks them all):
- a text stored on a model takes the model field's limit (`bounded_text`, or a ModelForm's own field);
- a text not stored as typed (a filter, a list split into lines, a redirect address) takes its own (`bounded`);
- a number typed as text (`ParsedText`) is bounded before it is parsed."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

TOO_LONG = _("At most %(limit_value)s characters (this text has %(show_value)s): shorten it.")
LINE_TOO_LONG = _("Line %(line)s has %(show_value)s characters; each line can have at most %(limit_value)s.")

# Sizes shared by the apps, so that like texts have like limits (a model names its own when it differs).
TITLE = 300  # a title, a name, a heading
SIGNATORIES = 1_000  # persons signing: one per line, full name and function
REASON = 2_000  # the reason for a decision, a note to the other side, a short explanation
SHORT_TEXT = 3_000  # a statement, a partner's share of a task, a list typed one per line
TEXT = 5_000  # a description of one thing: a part of an offer, a justification, qualifications
LONG_TEXT = 10_000  # a description of a whole: a task, a report, a protest, an announcement's conditions


def length_check(model: str, field: str, limit: int) -> models.CheckConstraint:
    """The database's refusal of a longer text (a TextField's max_length binds only forms)."""
    return models.CheckConstraint(name=f"{model}_{field}_max_length", condition=LessThanOrEqual(Length(field), limit))


def length_checks(model: str, limits: dict[str, int]) -> list[models.CheckConstraint]:
    """`length_check` for each (field, limit) of a model's limits, for its `Meta.constraints`."""
    return [length_check(model, field, limit) for field, limit in limits.items()]


def limit_of(model: type[models.Model], field: str) -> int:
    return model._meta.get_field(field).max_length


def hint(limit: int):
    return format_lazy(_("At most {limit} characters."), limit=limit)


def say_limit(field: forms.Field) -> forms.Field:
    """A text field with a max_length shows the limit under its label and refuses a longer text with TOO_LONG
    (a field with its own message keeps it); hidden fields only refuse."""
    limit = getattr(field, "max_length", None)
    if limit is None or not isinstance(field, forms.CharField):
        return field
    field.error_messages.setdefault("max_length", TOO_LONG)
    if field.widget.is_hidden or isinstance(field, ParsedText) or getattr(field, "limit_said", None) == limit:
        return field
    field.widget.attrs.setdefault("maxlength", str(limit))
    field.help_text = format_lazy("{} {}", field.help_text, hint(limit)) if field.help_text else hint(limit)
    field.limit_said = limit  # said once, however often the form is built
    return field


def say_limits(form: forms.BaseForm) -> None:
    """`say_limit` for every field of the form (a ModelForm's fields come from the model's limits)."""
    for field in form.fields.values():
        say_limit(field)


def bounded(limit: int, *, textarea: bool = False, rows: int = 3, **kwargs) -> forms.CharField:
    """A form field for a text with its limit, the message, the browser's maxlength and a hint."""
    if textarea:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
    return say_limit(forms.CharField(max_length=limit, **kwargs))


def bounded_text(model: type[models.Model], field: str, **kwargs) -> forms.CharField:
    """A form field for the model's long text with its limit, the message, the browser's maxlength and a hint."""
    return bounded(limit_of(model, field), textarea=True, rows=kwargs.pop("rows", 4), **kwargs)


def check_lines(text: str, limit: int) -> str:
    """A text typed one item per line, each item stored on its own (a requirement, an attachment's name):
    refuse a line longer than the item's limit."""
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line.strip()) > limit:
            raise ValidationError(
                LINE_TOO_LONG, code="max_length", params={"line": number, "limit_value": limit, "show_value": len(line)}
            )
    return text


class ParsedText(forms.CharField):
    """Text parsed into something else (an amount, a number): bounded before parsing, since the length
    validator would see the parsed value."""

    default_max_length = 30

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", self.default_max_length)
        super().__init__(*args, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]
        self.error_messages.setdefault("max_length", TOO_LONG)

    def to_python(self, value):
        value = super().to_python(value)
        if self.max_length is not None and len(value) > self.max_length:
            raise ValidationError(
                self.error_messages["max_length"],
                code="max_length",
                params={"limit_value": self.max_length, "show_value": len(value)},
            )
        return value


def too_long(model: type[models.Model], **texts: str) -> tuple[str, str] | None:
    """The first of the texts longer than its field's limit, as (field, message); None when all fit."""
    for field, text in texts.items():
        limit = limit_of(model, field)
        if len(text) > limit:
            return field, TOO_LONG % {"limit_value": limit, "show_value": len(text)}
    return None
