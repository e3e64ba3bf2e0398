"""The browser's own date and time pickers. Their value must be written in the ISO form the browser reads: with
the localised format Django would choose ("03.12.2026") the picker shows nothing and the next save empties it."""

from django import forms


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
