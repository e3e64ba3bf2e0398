from django import forms
from django.utils.translation import gettext_lazy as _

from ngo_platform.organisations.models import LegalForm, Register
from ngo_platform.organisations.selectors import DirectoryFilters

SORT_CHOICES = [
    ("", _("best match / name")),
    ("nazwa", _("name A–Z")),
    ("-nazwa", _("name Z–A")),
    ("najnowsze", _("newest on the platform")),
]


class DirectoryFilterForm(forms.Form):
    """The directory's GET parameters. Invalid values are dropped, not reported: a shared or
    old link still shows the directory."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    sfera = forms.RegexField(regex=r"^\d{1,3}[a-z]?$", required=False)
    powiat = forms.RegexField(regex=r"^\d{4}$", required=False)
    gmina = forms.RegexField(regex=r"^\d{7}$", required=False)
    forma = forms.ChoiceField(choices=[("", "")] + LegalForm.choices, required=False)
    opp = forms.BooleanField(required=False)
    rejestr = forms.ChoiceField(choices=[("", "")] + Register.choices, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def filters(self) -> DirectoryFilters:
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return DirectoryFilters(
            q=" ".join((data.get("q") or "").split()),
            sphere=data.get("sfera") or "",
            powiat=data.get("powiat") or "",
            gmina=data.get("gmina") or "",
            legal_form=data.get("forma") or "",
            opp=bool(data.get("opp")),
            register=data.get("rejestr") or "",
            sort=data.get("sort") or "",
        )
