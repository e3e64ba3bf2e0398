"""Fields and forms shared by the competitions' forms: amounts, percentages and quantities typed the Polish
way, the date widgets, and the one-field form asking for a reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ngo_platform.core import money
from ngo_platform.core.bounds import REASON, ParsedText, bounded


class MoneyField(ParsedText):
    """An amount in złoty typed the Polish way ("1 234,50 zł"), cleaned to integer grosze."""

    default_error_messages = {"invalid": _("Enter an amount in złoty, e.g. 1 234,50.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "money"})
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return money.format_plain(value) if isinstance(value, int) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return money.parse_money(value)
        except money.MoneyError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class PercentField(ParsedText):
    default_error_messages = {"invalid": _("Enter a percentage between 0 and 100, e.g. 10 or 12,5.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return money.format_percent(value).rstrip("%") if isinstance(value, int) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return money.parse_percent(value)
        except money.MoneyError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class QuantityField(ParsedText):
    default_error_messages = {"invalid": _("Enter a number, e.g. 12 or 1,5.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "units"})
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return money.format_quantity(value) if value is not None and not isinstance(value, str) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return money.parse_quantity(value)
        except money.MoneyError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class ReasonForm(forms.Form):
    """A reason in words; the views set its label (and whether it is required) for the page."""

    # A recusal's reason, the explanation of a completion: each stored with this limit.
    reason = bounded(REASON, textarea=True, label=_("Reason"))
