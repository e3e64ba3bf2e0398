from django import forms
from django.utils.translation import gettext_lazy as _

from ngo_platform.community.models import AuthorKind, News, NewsAttachment
from ngo_platform.community.selectors import NewsFilters
from ngo_platform.core.bounds import bounded, limit_of, say_limits
from ngo_platform.core.images import image_normalise
from ngo_platform.core.uploads import check_document
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
            self.fields["organ"] = forms.ChoiceField(
                label=_("Local government"),
                required=False,
                choices=[("", _("any"))] + [(a.slug, a.name) for a in authorities],
            )
        if powiats is not None:
            self.fields["powiat"] = forms.ChoiceField(
                label=_("Powiat"), required=False, choices=[("", _("any"))] + [(p.teryt, p.name) for p in powiats]
            )
        if spheres is not None:
            self.fields["sfera"] = forms.ChoiceField(
                label=_("Sphere of public tasks"),
                required=False,
                choices=[("", _("any"))] + [(s.number, f"{s.number}) {s.name[:80]}") for s in spheres],
            )

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


class NewsForm(forms.ModelForm):
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
            self.parties = {party.key: party for party in parties}
            self.fields["party"] = forms.ChoiceField(
                label=_("On behalf of"), choices=[(p.key, p.label) for p in parties], widget=forms.RadioSelect
            )
            self.order_fields(["party"])
            if len(parties) == 1:
                self.fields["party"].initial = parties[0].key
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
        if "party" in cleaned:
            cleaned["party"] = self.parties[cleaned["party"]]
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
