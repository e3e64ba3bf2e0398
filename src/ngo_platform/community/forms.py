from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from ngo_platform.community.models import (
    AuthorKind,
    Event,
    Idea,
    IdeaAnswer,
    IdeaKind,
    IdeaState,
    News,
    NewsAttachment,
    RegistrationMode,
)
from ngo_platform.community.selectors import EventFilters, IdeaFilters, NewsFilters
from ngo_platform.core.bounds import bounded, limit_of, say_limits
from ngo_platform.core.forms import (
    MYSELF,
    authority_options,
    chosen_organisation,
    filter_select,
    on_behalf_choices,
    on_behalf_field,
    powiat_options,
    sphere_options,
)
from ngo_platform.core.images import image_normalise
from ngo_platform.core.uploads import check_document
from ngo_platform.core.widgets import DateInput, DateTimeInput
from ngo_platform.organisations.selectors import current_spheres

ARCHIVE = "archiwum"


class NewsFilterForm(forms.Form):
    """The list's GET parameters; invalid values are dropped, so an old link still works."""

    autor = forms.ChoiceField(label=_("Written by"), choices=[("", _("anyone"))] + AuthorKind.choices, required=False)
    organ = forms.SlugField(label=_("Local government"), required=False)
    powiat = forms.RegexField(label=_("Powiat"), regex=r"^\d{4}$", required=False)
    sfera = forms.RegexField(label=_("Sphere of public tasks"), regex=r"^\d{1,3}[a-z]?$", required=False)
    stan = forms.ChoiceField(
        label=_("Which news"), choices=[("", _("current")), (ARCHIVE, _("archived"))], required=False
    )

    def __init__(self, *args, authorities=None, powiats=None, spheres=None, **kwargs):
        """With the choices (the list page) the fields are selects; without them (the feeds) they check only the
        format."""
        super().__init__(*args, **kwargs)
        if authorities is not None:
            self.fields["organ"] = filter_select(_("Local government"), authority_options(authorities))
        if powiats is not None:
            self.fields["powiat"] = filter_select(_("Powiat"), powiat_options(powiats))
        if spheres is not None:
            self.fields["sfera"] = filter_select(_("Sphere of public tasks"), sphere_options(spheres))

    def filters(self) -> NewsFilters:
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return NewsFilters(
            kind=data.get("autor") or "",
            authority=data.get("organ") or "",
            powiat=data.get("powiat") or "",
            sphere=data.get("sfera") or "",
            archived=data.get("stan") == ARCHIVE,
        )


class PartyFieldMixin:
    """A form written on behalf of one of `parties` (`selectors.Party`: an organisation, an authority, the
    platform): the radio `party`, chosen already when there is one, cleaned to the Party."""

    def add_party_field(self, parties, label) -> None:
        self.parties = {party.key: party for party in parties}
        self.fields["party"] = forms.ChoiceField(
            label=label, choices=[(p.key, p.label) for p in parties], widget=forms.RadioSelect
        )
        self.order_fields(["party"])
        if len(parties) == 1:
            self.fields["party"].initial = parties[0].key

    def clean_party(self):
        return self.parties[self.cleaned_data["party"]]


class NewsForm(PartyFieldMixin, forms.ModelForm):
    """A news item's text, image and spheres; when it is new, also on whose behalf it is written (`parties`)."""

    image = forms.FileField(
        label=_("Lead image"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
        help_text=_("PNG, JPEG, WebP or GIF, at most 5 MB; it is resized to at most 1200 pixels."),
    )
    image_remove = forms.BooleanField(label=_("Remove the current image"), required=False)
    spheres = forms.ModelMultipleChoiceField(
        label=_("Spheres of public tasks"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = News
        fields = ["title", "lead", "body", "image", "image_alt", "spheres"]
        widgets = {"lead": forms.Textarea(attrs={"rows": 2}), "body": forms.Textarea(attrs={"rows": 14})}
        help_texts = {
            "body": _(
                "Markdown: **bold**, *italics*, [link text](https://…), lists with “-”, headings with “##”. "
                "HTML is shown as text."
            ),
            "image_alt": _("What the image shows, for people who cannot see it. Required with an image."),
        }

    def __init__(self, *args, parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spheres"].queryset = current_spheres()
        if parties is not None:
            self.add_party_field(parties, _("On behalf of"))
        if not self.instance.image:
            del self.fields["image_remove"]
        say_limits(self)

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        return image_normalise(upload, max_side=1200, name="aktualnosc", photo=True)

    def clean(self):
        cleaned = super().clean()
        removing = cleaned.get("image_remove")
        has_image = bool(cleaned.get("image")) or (bool(self.instance.image) and not removing)
        if has_image and not cleaned.get("image_alt", "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        if not has_image and cleaned.get("image_alt") and "image" not in self.errors:
            self.add_error("image_alt", _("Add the image that this text describes, or leave the description empty."))
        return cleaned

    def _post_clean(self):
        """The service sets the fields (`services.news_create`, `news_update`), not the form."""


class NewsAttachmentForm(forms.Form):
    title = bounded(limit_of(NewsAttachment, "title"), label=_("Title of the attachment"))
    file = forms.FileField(label=_("File (PDF, DOCX or ODT)"), help_text=_("At most 20 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.cleaned_data["file_type"] = check_document(upload)
        return upload


PAST = "minione"


class EventFilterForm(forms.Form):
    """The events list's and the calendar feed's GET parameters; invalid values are dropped."""

    organizator = forms.ChoiceField(
        label=_("Organised by"),
        choices=[
            ("", _("anyone")),
            (AuthorKind.ORGANISATION, _("an organisation")),
            (AuthorKind.AUTHORITY, _("a local government")),
        ],
        required=False,
    )
    organ = forms.SlugField(label=_("Local government"), required=False)
    powiat = forms.RegexField(label=_("Powiat"), regex=r"^\d{4}$", required=False)
    online = forms.BooleanField(label=_("Only those one can join online"), required=False)
    kiedy = forms.ChoiceField(label=_("When"), choices=[("", _("coming")), (PAST, _("past"))], required=False)
    dzien = forms.DateField(label=_("On the day"), required=False, widget=DateInput())

    def __init__(self, *args, authorities=None, powiats=None, **kwargs):
        super().__init__(*args, **kwargs)
        if authorities is not None:
            self.fields["organ"] = filter_select(_("Local government"), authority_options(authorities))
        if powiats is not None:
            self.fields["powiat"] = filter_select(_("Powiat"), powiat_options(powiats))

    def clean_dzien(self):
        day = self.cleaned_data.get("dzien")
        if day is not None and not 1900 < day.year < 2200:
            raise forms.ValidationError(_("Choose a day between 1901 and 2199."))
        return day

    def filters(self) -> EventFilters:
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return EventFilters(
            kind=data.get("organizator") or "",
            authority=data.get("organ") or "",
            powiat=data.get("powiat") or "",
            online=bool(data.get("online")),
            past=data.get("kiedy") == PAST,
            day=data.get("dzien"),
        )


def _https_urls(field, **kwargs):
    """Model fields' form fields, a web address without its scheme taken as https."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class EventForm(PartyFieldMixin, forms.ModelForm):
    """An event's terms; when it is new, also who organises it (`parties`: the organisations and authorities the
    person acts for)."""

    class Meta:
        model = Event
        formfield_callback = _https_urls
        fields = [
            "title",
            "description",
            "starts_at",
            "ends_at",
            "all_day",
            "place",
            "gmina",
            "online_url",
            "accessibility",
            "registration",
            "registration_url",
            "capacity",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "registration": forms.RadioSelect,
        }
        help_texts = {
            "description": _("Markdown, as in news. HTML is shown as text."),
            "starts_at": _("Date and time, Polish time."),
            "ends_at": _("Date and time, Polish time."),
            "all_day": _("Only the dates count: the event lasts from the first day to the end of the last."),
            "place": _("Street, number, postcode and town. Leave it empty for an event held only online."),
            "online_url": _("The address at which to join, for an event held (also) online."),
            "accessibility": _(
                "Required. E.g. step-free entrance, accessible toilet, induction loop, sign language interpreter; "
                "or what is not accessible, so people can plan."
            ),
            "capacity": _("The number of places, for registration here; the next people wait on a list."),
        }

    def __init__(self, *args, parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gmina"].queryset = self.fields["gmina"].queryset.order_by("name")
        self.fields["gmina"].label_from_instance = lambda unit: f"{unit.name} ({unit.teryt})"
        if parties is not None:
            self.add_party_field(parties, _("Organised by"))
        say_limits(self)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and (end < start or (end == start and not cleaned.get("all_day"))):
            self.add_error("ends_at", _("The end must be after the start."))
        if not cleaned.get("place") and not cleaned.get("online_url") and "place" not in self.errors:
            self.add_error("place", _("Give the address of the place, or the online link, or both."))
        if cleaned.get("place") and not cleaned.get("gmina") and "gmina" not in self.errors:
            self.add_error("gmina", _("Choose the gmina in which the place lies."))
        mode = cleaned.get("registration")
        if mode == RegistrationMode.EXTERNAL and not cleaned.get("registration_url"):
            self.add_error("registration_url", _("Give the address of the page where people register."))
        if mode == RegistrationMode.PLATFORM and not cleaned.get("capacity"):
            self.add_error("capacity", _("Give the number of places (at least one)."))
        return cleaned

    def _post_clean(self):
        """The service sets the fields (`services.event_create`, `event_update`), not the form."""


ORDERS = [("poparcie", _("most supported")), ("nowe", _("newest")), ("stan", _("by state"))]


class IdeaFilterForm(forms.Form):
    """The ideas list's and the export's GET parameters; invalid values are dropped."""

    organ = forms.SlugField(label=_("Addressed to"), required=False)
    sfera = forms.RegexField(label=_("Sphere of public tasks"), regex=r"^\d{1,3}[a-z]?$", required=False)
    stan = forms.ChoiceField(label=_("State"), choices=[("", _("any"))] + IdeaState.choices, required=False)
    rodzaj = forms.ChoiceField(label=_("Kind"), choices=[("", _("ideas and needs"))] + IdeaKind.choices, required=False)
    kolejnosc = forms.ChoiceField(label=_("Order"), choices=ORDERS, required=False)

    def __init__(self, *args, authorities=None, spheres=None, **kwargs):
        super().__init__(*args, **kwargs)
        if authorities is not None:
            self.fields["organ"] = filter_select(_("Addressed to"), authority_options(authorities))
        if spheres is not None:
            self.fields["sfera"] = filter_select(_("Sphere of public tasks"), sphere_options(spheres))

    def filters(self) -> IdeaFilters:
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return IdeaFilters(
            authority=data.get("organ") or "",
            sphere=data.get("sfera") or "",
            state=data.get("stan") or "",
            kind=data.get("rodzaj") or "",
            order=data.get("kolejnosc") or "poparcie",
        )


class IdeaForm(forms.ModelForm):
    """An idea or a need; posted as the person or on behalf of an organisation they represent."""

    class Meta:
        model = Idea
        fields = ["kind", "title", "description", "authority", "sphere", "territory"]
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "description": _("What should change and why; who would benefit. Markdown, HTML is shown as text."),
            "authority": _("The local government whose officers should answer; leave it empty for the platform."),
            "territory": _("Where it matters: a gmina, a powiat or the voivodeship."),
        }

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["authority"].empty_label = _("The platform")
        self.fields["sphere"].queryset = current_spheres()
        self.fields["sphere"].label_from_instance = lambda sphere: f"{sphere.number}) {sphere.name[:80]}"
        self.fields["territory"].queryset = self.fields["territory"].queryset.order_by("teryt")
        self.fields["territory"].label_from_instance = lambda unit: f"{unit.name} ({unit.get_level_display()})"
        if organisations:
            self.fields["on_behalf"] = on_behalf_field(organisations, _("Posted by"))
        say_limits(self)

    def clean(self):
        cleaned = super().clean()
        cleaned["organisation"] = chosen_organisation(self.organisations, cleaned)
        return cleaned

    def _post_clean(self):
        """The service creates the idea (`services.idea_submit`)."""


class IdeaSupportForm(forms.Form):
    on_behalf = forms.ChoiceField(label=_("Support as"), widget=forms.RadioSelect)

    def __init__(self, *args, organisations=(), given=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        choices = [(key, label) for key, label in on_behalf_choices(organisations) if _given_key(key) not in given]
        self.fields["on_behalf"].choices = choices
        if choices:
            self.fields["on_behalf"].initial = choices[0][0]

    def clean(self):
        cleaned = super().clean()
        cleaned["organisation"] = chosen_organisation(self.organisations, cleaned)
        return cleaned


def _given_key(key):
    return None if key == MYSELF else int(key)


class IdeaAnswerForm(forms.Form):
    step = forms.ChoiceField(label=_("Answer"), widget=forms.RadioSelect)
    text = bounded(
        limit_of(IdeaAnswer, "text"),
        textarea=True,
        rows=5,
        label=_("Text of the answer"),
        help_text=_(
            "Public. For a rejection, the reason; for an acceptance, what will follow (e.g. into next year's programme "
            "of cooperation)."
        ),
    )

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(step.name, step.label) for step in steps]
