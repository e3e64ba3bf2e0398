"""Forms of the small grants outside a competition (art. 19a UDPP): starting an offer, comments, the yearly
pool, the decision."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ngo_platform.competitions.forms.common import MoneyField
from ngo_platform.competitions.models import Offer, OfferComment
from ngo_platform.core.bounds import bounded_text
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import Authority


class SmallGrantStartForm(forms.Form):
    authority = forms.ModelChoiceField(
        label=_("Authority the offer is addressed to"), queryset=Authority.objects.none()
    )
    organisation = forms.ModelChoiceField(
        label=_("Applicant organisation"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args, authorities, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        self.fields["organisation"].queryset = organisations


class CommentForm(forms.Form):
    text = bounded_text(OfferComment, "text", label=_("Your comment"), help_text=_("Published with your name."))


class PoolForm(forms.Form):
    authority = forms.ModelChoiceField(label=_("Authority"), queryset=Authority.objects.none(), empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = MoneyField(label=_("Grants planned for organisations in the year (annual programme)"))

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities


class SmallGrantDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("competitions", "Decision"),
        widget=forms.RadioSelect,
        choices=[("grant", _("Grant the amount requested")), ("refuse", _("Refuse"))],
    )
    reason = bounded_text(Offer, "decision_reason", label=_("Reason for the refusal"), required=False, rows=3)
