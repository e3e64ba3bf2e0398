from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ngo_platform.core.bounds import bounded, bounded_text, say_limits
from ngo_platform.core.forms import DocumentFileField, authority_options, filter_select, sphere_options
from ngo_platform.core.widgets import Select
from ngo_platform.library.models import DocumentKind, LibraryDocument, Revision
from ngo_platform.library.selectors import LibraryFilters
from ngo_platform.organisations.selectors import current_spheres
from ngo_platform.territory.models import Sphere

TAGS_LIMIT = 300  # a few words, split at commas; each tag is at most 60 characters


def _year_choices():
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year + 1, 1999, -1)]


class FilterForm(forms.Form):
    """The list's GET parameters; invalid values are dropped, so an old link still works."""

    q = bounded(200, label=_("Search in titles and texts"), required=False)
    rodzaj = filter_select(_("Kind"), DocumentKind.choices)
    organ = forms.SlugField(label=_("Authority"), required=False)
    sfera = forms.RegexField(label=_("Sphere of public tasks"), regex=r"^\d{1,3}[a-z]?$", required=False)
    rok = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    tag = bounded(60, label=_("Tag"), required=False)

    def __init__(self, *args, authorities=None, spheres=None, years=None, tags=None, **kwargs):
        super().__init__(*args, **kwargs)
        if authorities is not None:
            self.fields["organ"] = filter_select(_("Authority"), authority_options(authorities))
        if spheres is not None:
            self.fields["sfera"] = filter_select(_("Sphere of public tasks"), sphere_options(spheres))
        if years is not None:
            self.fields["rok"] = forms.TypedChoiceField(
                label=_("Year"), required=False, coerce=int, empty_value=None, widget=Select,
                choices=[("", _("any")), *((year, str(year)) for year in years)],
            )  # fmt: skip
        if tags is not None:
            self.fields["tag"] = filter_select(_("Tag"), [(tag.name, tag.name) for tag in tags])

    def filters(self) -> LibraryFilters:
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return LibraryFilters(
            q=data.get("q") or "",
            kind=data.get("rodzaj") or "",
            authority=data.get("organ") or "",
            sphere=data.get("sfera") or "",
            year=data.get("rok") or None,
            tag=data.get("tag") or "",
        )


def split_tags(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if any(len(name) > 60 for name in names):
        raise ValidationError(_("A tag has at most 60 characters."))
    return names


class DocumentForm(forms.ModelForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_year_choices)
    sphere = forms.ModelChoiceField(
        label=_("Sphere of public tasks"), queryset=Sphere.objects.none(), required=False, empty_label=_("none")
    )
    tags = bounded(TAGS_LIMIT, label=_("Tags"), required=False, help_text=_("Separated by commas."))
    adopted_url = forms.URLField(
        label=_("Link to the adopted act"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = LibraryDocument
        fields = ["title", "kind", "year", "sphere", "description", "adopted_as", "adopted_url"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sphere"].queryset = current_spheres()
        self.fields["year"].initial = timezone.localdate().year
        if self.instance.pk:
            self.initial["tags"] = ", ".join(tag.name for tag in self.instance.tags.all())
        say_limits(self)

    def clean_tags(self):
        return split_tags(self.cleaned_data["tags"])


class FileForm(forms.Form):
    file = DocumentFileField()
    note = bounded_text(Revision, "note", label=_("What changed"), required=False, rows=2)


class NewDocumentForm(DocumentForm):
    file = DocumentFileField()


class PublishForm(forms.Form):
    """A working group's version into the library: what the library needs to know that the group does not."""

    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices, initial=DocumentKind.STANDARD)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_year_choices)
    sphere = forms.ModelChoiceField(
        label=_("Sphere of public tasks"), queryset=Sphere.objects.none(), required=False, empty_label=_("none")
    )
    tags = bounded(TAGS_LIMIT, label=_("Tags"), required=False, help_text=_("Separated by commas."))
    description = bounded_text(LibraryDocument, "description", label=_("Description"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sphere"].queryset = current_spheres()
        self.fields["year"].initial = timezone.localdate().year

    def clean_tags(self):
        return split_tags(self.cleaned_data["tags"])
