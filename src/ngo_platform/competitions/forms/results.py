"""Forms of the results: the proposed amounts of the ranked offers and the decision on the grants."""

from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ngo_platform.competitions.forms.common import MoneyField
from ngo_platform.competitions.models import Competition
from ngo_platform.core import money
from ngo_platform.core.bounds import bounded, limit_of

AMOUNT_MAX_LENGTH = 20  # "12 345 678,90 zł" and spaces to spare


class AmountsForm:
    """The proposed grant of each ranked offer (empty: none): one text input `<prefix>-amount_<offer id>` per
    offer. Not a Django form with a field per offer: with 1,000 offers, building and rendering 1,000 bound
    fields through the form renderer took most of the ranking page's time. One `MoneyField` cleans every
    value, the errors are kept per offer (shown next to its input and in the summary) and after a failed save
    every input shows what was typed. The markup follows the form renderer's (label, error message, input
    tied by `aria-describedby`/`aria-invalid`)."""

    def __init__(self, data=None, *, rows, prefix="a"):
        assert prefix.isidentifier(), prefix  # it is written into the markup without escaping
        self.data = data
        self.is_bound = data is not None
        self.rows = rows
        self.prefix = prefix
        self.field = MoneyField(required=False)
        self.field_errors: dict[int, list[str]] = {}
        self.non_field_errors: list[str] = []
        self.cleaned: dict[int, int | None] | None = None
        self._label: str | None = None
        self._max_length = MaxLengthValidator(AMOUNT_MAX_LENGTH)

    def name(self, offer_id: int) -> str:
        return f"{self.prefix}-amount_{offer_id}"

    def auto_id(self, offer_id: int) -> str:
        return f"id_{self.prefix}-amount_{offer_id}"

    def is_valid(self) -> bool:
        """Clean the posted amounts; only the offers whose input was sent (an offer that appeared in the
        ranking after the page was loaded keeps its amount)."""
        if not self.is_bound:
            return False
        if self.cleaned is None:
            self.cleaned = {}
            for row in self.rows:
                name = self.name(row.offer_id)
                if name not in self.data:
                    continue
                value = self.data[name]
                try:
                    self._max_length(value)
                    self.cleaned[row.offer_id] = self.field.clean(value)
                except ValidationError as error:
                    self.field_errors[row.offer_id] = list(error.messages)
        return not self.errors

    @property
    def errors(self) -> bool:
        return bool(self.field_errors or self.non_field_errors)

    def add_error(self, offer_id: int | None, message: str) -> None:
        if offer_id is None:
            self.non_field_errors.append(str(message))
        else:
            self.field_errors.setdefault(offer_id, []).append(str(message))

    def amounts(self) -> dict[int, int | None]:
        return dict(self.cleaned or {})

    def summary(self) -> list[tuple[str, str, str]]:
        """(input id, offer title, message) of every error next to an input, in the order of the rows."""
        return [
            (self.auto_id(row.offer_id), row.title, message)
            for row in self.rows
            for message in self.field_errors.get(row.offer_id, ())
        ]

    def value(self, row) -> str:
        """What the input shows: as typed after a failed save, otherwise the proposed amount ("1234,50")."""
        if self.is_bound:
            value = self.data.get(self.name(row.offer_id))
            return "" if value is None else str(value)
        return money.format_plain(row.proposed)

    def cell(self, row) -> tuple[bool, str]:
        """(has errors, the cell's content as HTML): the visually hidden label, the error message, the input and
        the row's warning as a hint, tied to the input by `aria-describedby`. Every text from the data passes
        through `escape` (the standard library's, which Django's `escape` wraps: `format_html` per piece cost
        ~100 ms at 1,000 rows); the label is translated once per page and formatted per row."""
        if self._label is None:
            self._label = gettext("Proposed grant for “%(title)s” (zł)")
        auto_id = self.auto_id(row.offer_id)  # the prefix is the view's constant, the id a number
        errors = self.field_errors.get(row.offer_id)
        described = []
        error_html = hint_html = value_html = ""
        if errors:
            described.append(f"{auto_id}_error")
            error_html = f'<span class="error-message" id="{auto_id}_error">{escape(" ".join(errors))}</span>'
        if row.warning:
            described.append(f"{auto_id}_hint")
            hint_html = f'<span class="hint" id="{auto_id}_hint">{escape(row.warning)}</span>'
        if (value := self.value(row)) != "":
            value_html = f' value="{escape(value)}"'
        attributes = (' aria-invalid="true"' if errors else "") + (
            f' aria-describedby="{" ".join(described)}"' if described else ""
        )
        label = escape(self._label % {"title": row.title})
        return bool(errors), (
            f'<label class="visually-hidden" for="{auto_id}">{label}</label>{error_html}<input type="text"'
            f' name="{self.name(row.offer_id)}"{value_html} maxlength="{AMOUNT_MAX_LENGTH}" inputmode="decimal"'
            f' autocomplete="off" class="money"{attributes} id="{auto_id}">{hint_html}'
        )


class DecisionForm(forms.Form):
    reference = bounded(
        limit_of(Competition, "decision_reference"),
        label=_("The decision on the grants"),
        help_text=_("E.g. Resolution no. 123/2026 of the Board of the Opole Voivodeship of 2 March 2026."),
    )
