from django import forms
from django.utils.translation import gettext_lazy as _

from ngo_platform.accounts.models import User
from ngo_platform.core.bounds import say_limit
from ngo_platform.core.preferences import FONT_SIZES
from ngo_platform.core.uploads import check_document
from ngo_platform.core.widgets import DateInput, Select


class DocumentFileField(forms.FileField):
    """An uploaded PDF, DOCX or ODT of at most 20 MB, its type told by its content (`core.uploads.check_document`);
    the cleaned upload carries it as `file_type`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("File (PDF, DOCX or ODT)"))
        kwargs.setdefault("help_text", _("At most 20 MB."))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload.file_type = check_document(upload)
        return upload


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
    return forms.ChoiceField(label=label, required=False, choices=[("", empty), *options], widget=Select)


def authority_options(authorities) -> list[tuple[str, str]]:
    return [(authority.slug, authority.name) for authority in authorities]


def powiat_options(powiats) -> list[tuple[str, str]]:
    return [(powiat.teryt, powiat.name) for powiat in powiats]


def sphere_options(spheres) -> list[tuple[str, str]]:
    return [(sphere.number, f"{sphere.number}) {sphere.name[:80]}") for sphere in spheres]


# --- Written as oneself or on behalf of an organisation the person represents (ideas, supports, forum posts) ---


MYSELF = "ja"


def on_behalf_choices(organisations) -> list[tuple[str, str]]:
    """ "Myself", then each organisation the person represents (`accounts.selectors.represented_organisations`)."""
    return [(MYSELF, _("Myself"))] + [(str(o.pk), o.name) for o in organisations]


def on_behalf_field(organisations, label) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=on_behalf_choices(organisations), widget=forms.RadioSelect, initial=MYSELF
    )


def chosen_organisation(organisations: dict, cleaned: dict):
    """The organisation chosen in the form's "on_behalf" field (None: the person themselves); `organisations` maps
    the choices' values to the organisations offered, so no other can be named."""
    return organisations.get(cleaned.get("on_behalf", MYSELF))


# --- The honeypot: a field no person sees, which programs that fill every field fill ---


TRAP = "strona_www"


class TrapMixin:
    """Adds the honeypot field (`TRAP`) to a form and refuses the form when it is filled. The field is out of
    sight (the stylesheet's `.trap`), out of the tab order and hidden from screen readers; its label asks to leave
    it empty, for whoever reads the page without the stylesheet. No third party's CAPTCHA is needed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            max_length=200,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        field.template_name = "core/forms/trap.html"  # shows neither the hint nor the limit
        self.fields[TRAP] = say_limit(field)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(TRAP):
            raise forms.ValidationError(
                _("The form was refused: the field “Leave this field empty” was filled. Empty it and send again.")
            )
        return cleaned
