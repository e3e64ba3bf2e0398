from django import forms
from django.utils.translation import gettext_lazy as _

from ngo_platform.accounts.models import User
from ngo_platform.core.preferences import FONT_SIZES
from ngo_platform.core.widgets import DateInput


class DisplayPreferencesForm(forms.Form):
    contrast = forms.ChoiceField(choices=[("on", "on"), ("off", "off")], required=False)
    font = forms.ChoiceField(choices=[(size, size) for size in FONT_SIZES], required=False)
    next = forms.CharField(required=False, max_length=2_000)  # the page to return to (a local address)


class AuditLogFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=80)
    actor = forms.ModelChoiceField(label=_("Actor"), queryset=User.objects.none(), required=False)
    acting_for = forms.CharField(label=_("On behalf of (name contains)"), required=False, max_length=100)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = User.objects.order_by("email")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("The end date must not be earlier than the start date."))
        return cleaned


# --- The selects of the lists' filters (GET forms whose choices come from the data) ---


ANY = _("any")


def filter_select(label, options, *, empty=ANY) -> forms.ChoiceField:
    """A filter's select: "any" (or `empty`), then the (value, label) options."""
    return forms.ChoiceField(label=label, required=False, choices=[("", empty), *options])


def authority_options(authorities) -> list[tuple[str, str]]:
    return [(authority.slug, authority.name) for authority in authorities]


def powiat_options(powiats) -> list[tuple[str, str]]:
    return [(powiat.teryt, powiat.name) for powiat in powiats]


def sphere_options(spheres) -> list[tuple[str, str]]:
    return [(sphere.number, f"{sphere.number}) {sphere.name[:80]}") for sphere in spheres]
