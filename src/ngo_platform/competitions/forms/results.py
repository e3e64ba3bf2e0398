"""Forms of the results: the proposed amounts of the ranked offers and the decision on the grants."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ngo_platform.competitions.forms.common import MoneyField


class AmountsForm(forms.Form):
    """The proposed grant of each ranked offer (empty: none)."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"amount_{row.offer_id}"] = MoneyField(
                label=_("Proposed grant for “%(title)s” (zł)") % {"title": row.title},
                required=False,
                initial=row.proposed,
            )

    def amounts(self) -> dict[int, int | None]:
        return {row.offer_id: self.cleaned_data.get(f"amount_{row.offer_id}") for row in self.rows}


class DecisionForm(forms.Form):
    reference = forms.CharField(
        label=_("The decision on the grants"),
        max_length=300,
        help_text=_("E.g. Resolution no. 123/2026 of the Board of the Opole Voivodeship of 2 March 2026."),
    )
