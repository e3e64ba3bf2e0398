"""The browser's own date and time pickers, and a select that renders its options in one template.

The date and time pickers: Their value must be written in the ISO form the browser reads: with
the localised format Django would choose ("03.12.2026") the picker shows nothing and the next save empties it."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A local date and time; `seconds=True` where a deadline may fall on a second (23:59:59)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None, *, seconds: bool = False):
        if seconds:
            attrs = {"step": "1", **(attrs or {})}
        super().__init__(attrs, format="%Y-%m-%dT%H:%M:%S" if seconds else "%Y-%m-%dT%H:%M")


class Select(forms.Select):
    """Django's select with its options written here, not by one template (and one more for its attributes) per
    option: the library's filters of 83 authorities and 37 spheres render several times faster. Same HTML."""

    template_name = "core/forms/select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        groups = []
        for group_name, options, _index in context["widget"]["optgroups"]:
            html = format_html_join(
                "", '<option value="{}"{}>{}</option>', ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options)
            )
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html)
        context["widget"]["options_html"] = mark_safe("".join(groups))  # each part escaped by format_html
        return context
