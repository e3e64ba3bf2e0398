"""The partnership pages' forms: the list's filters (GET) and an announcement."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ngo_platform.community.forms import PartyFieldMixin
from ngo_platform.competitions.models import Competition, CompetitionState
from ngo_platform.core.bounds import bounded, limit_of, say_limits
from ngo_platform.core.forms import DocumentFileField, filter_select, powiat_options, sphere_options
from ngo_platform.core.widgets import DateInput
from ngo_platform.organisations.selectors import current_spheres
from ngo_platform.partnerships.models import (
    AbuseReport,
    Announcement,
    AnnouncementKind,
    Leader,
    Message,
    PartnerRole,
    Partnership,
)
from ngo_platform.partnerships.selectors import ARCHIVE, AnnouncementFilters
from ngo_platform.territory.models import TerritorialUnit


class FilterForm(forms.Form):
    """The list's GET parameters; invalid values are dropped, so an old link still works."""

    q = bounded(200, label=_("Search in themes and texts"), required=False)
    rodzaj = filter_select(_("Kind"), AnnouncementKind.choices)
    rola = filter_select(_("The author's role"), PartnerRole.choices)
    sfera = forms.RegexField(label=_("Sphere of public tasks"), regex=r"^\d{1,3}[a-z]?$", required=False)
    powiat = forms.RegexField(label=_("Powiat"), regex=r"^\d{4}$", required=False)
    zagranica = forms.BooleanField(label=_("Also abroad"), required=False)
    konkurs = forms.IntegerField(label=_("Competition"), required=False, min_value=1, widget=forms.HiddenInput)
    stan = filter_select(_("Which announcements"), [(ARCHIVE, _("archived"))], empty=_("current"))

    def __init__(self, *args, spheres=None, powiats=None, **kwargs):
        super().__init__(*args, **kwargs)
        if spheres is not None:
            self.fields["sfera"] = filter_select(_("Sphere of public tasks"), sphere_options(spheres))
        if powiats is not None:
            self.fields["powiat"] = filter_select(_("Powiat"), powiat_options(powiats))

    def describe(self) -> str:
        """The chosen filters in words, for a saved search ("Rodzaj: szukamy partnerów; Powiat: brzeski; «senior»")."""
        self.is_valid()
        parts = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name) if name not in self.errors else None
            if not value or name in ("q", "stan") or isinstance(field.widget, forms.HiddenInput):
                continue
            shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else _("yes")
            parts.append(f"{field.label}: {shown}")
        if self.cleaned_data.get("q"):
            parts.append(f"«{self.cleaned_data['q'].strip()}»")
        return "; ".join(str(part) for part in parts)

    def filters(self) -> AnnouncementFilters:
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return AnnouncementFilters(
            q=data.get("q") or "",
            kind=data.get("rodzaj") or "",
            role=data.get("rola") or "",
            sphere=data.get("sfera") or "",
            powiat=data.get("powiat") or "",
            abroad=bool(data.get("zagranica")),
            competition=data.get("konkurs") or None,
            archived=data.get("stan") == ARCHIVE,
        )


def _territory_choices():
    """The voivodeship, its powiats and gminas, in TERYT order (a powiat followed by its gminas)."""
    units = TerritorialUnit.objects.order_by("teryt").only("teryt", "name", "level")
    labels = {"voivodeship": _("voivodeship"), "powiat": _("powiat"), "gmina": _("gmina")}
    return [(unit.pk, f"{unit.name} ({labels[unit.level]})") for unit in units]


class AnnouncementForm(PartyFieldMixin, forms.ModelForm):
    """An announcement; when it is new, also on whose behalf it is written (`parties`)."""

    spheres = forms.ModelMultipleChoiceField(
        label=_("Spheres of public tasks"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    territory = forms.TypedMultipleChoiceField(
        label=_("Territory"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The gminas, powiats or the voivodeship where the partnership will act; hold Ctrl to choose more."),
    )
    competition = forms.ModelChoiceField(
        label=_("Competition on the platform"),
        queryset=None,
        required=False,
        empty_label=_("none"),
        help_text=_("An open competition the partnership means to make a joint offer in."),
    )

    class Meta:
        model = Announcement
        fields = [
            "kind",
            "role",
            "title",
            "description",
            "spheres",
            "territory",
            "abroad",
            "programme",
            "competition",
            "deadline",
            "offered",
            "needed",
            "budget_from",
            "budget_to",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "role": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 8}),
            "offered": forms.Textarea(attrs={"rows": 4}),
            "needed": forms.Textarea(attrs={"rows": 4}),
            "deadline": DateInput(),
        }

    def __init__(self, *args, parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spheres"].queryset = current_spheres()
        self.fields["territory"].choices = _territory_choices()
        if self.instance.pk and not self.is_bound:
            self.initial["territory"] = [unit.pk for unit in self.instance.territory.all()]
        open_competitions = Competition.objects.filter(state=CompetitionState.PUBLISHED)
        if self.instance.competition_id:
            open_competitions = open_competitions | Competition.objects.filter(pk=self.instance.competition_id)
        self.fields["competition"].queryset = open_competitions.order_by("title")
        for name in ("budget_from", "budget_to"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})
        if parties is not None:
            self.add_party_field(parties, _("On behalf of"))
        say_limits(self)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline

    def clean_territory(self):
        chosen = self.cleaned_data.get("territory") or []
        return list(TerritorialUnit.objects.filter(pk__in=chosen).order_by("teryt"))

    def clean(self):
        cleaned = super().clean()
        budget_from, budget_to = cleaned.get("budget_from"), cleaned.get("budget_to")
        if budget_from is not None and budget_to is not None and budget_from > budget_to:
            self.add_error("budget_to", _("The upper end must not be below the lower end."))
        return cleaned

    def _post_clean(self):
        """The service sets the fields (`services.announcement_create`, `announcement_update`), not the form."""


class MessageForm(forms.Form):
    """A message in a conversation; when starting one on behalf of one of several organisations, which."""

    text = bounded(limit_of(Message, "text"), textarea=True, rows=5, label=_("Message"))
    attachment = DocumentFileField(
        label=_("Attachment (PDF, DOCX or ODT)"), required=False, help_text=_("Optional; at most 20 MB.")
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.organisations = {str(o.pk): o for o in organisations}
            self.fields["organisation"] = forms.ChoiceField(
                label=_("On behalf of"), choices=[(str(o.pk), o.name) for o in organisations], widget=forms.RadioSelect
            )
            self.order_fields(["organisation"])
            if len(organisations) == 1:  # chosen already; a form posted without it means that one
                self.fields["organisation"].initial = str(organisations[0].pk)
                self.fields["organisation"].required = False

    def clean(self):
        cleaned = super().clean()
        if "organisation" in cleaned:
            chosen = cleaned["organisation"] or self.fields["organisation"].initial
            cleaned["organisation"] = self.organisations[chosen]
        return cleaned


class ReportForm(forms.Form):
    comment = bounded(limit_of(AbuseReport, "comment"), textarea=True, label=_("What is wrong with this message?"))


class PartnershipForm(forms.Form):
    leader = forms.ChoiceField(label=_("Who leads"), choices=Leader.choices, widget=forms.RadioSelect)
    scope = bounded(
        limit_of(Partnership, "scope"),
        textarea=True,
        rows=4,
        label=_("Scope of the partnership"),
        help_text=_("What each side does; it becomes the partner's part of a joint offer."),
    )


class JointOfferForm(forms.Form):
    competition = forms.ModelChoiceField(label=_("Competition"), queryset=None, empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competition"].queryset = Competition.objects.filter(
            state=CompetitionState.PUBLISHED, offers_deadline__gt=timezone.now()
        ).order_by("title")
