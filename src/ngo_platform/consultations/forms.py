from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ngo_platform.consultations import files
from ngo_platform.consultations.models import (
    PUBLIC_STATES,
    AnswerPosition,
    Attachment,
    Comment,
    Consultation,
    ConsultationKind,
    ConsultationState,
    DraftUnit,
    Meeting,
)
from ngo_platform.consultations.selectors import ListFilters
from ngo_platform.core import drafting
from ngo_platform.core.bounds import TOO_LONG, bounded, bounded_text, limit_of, say_limits
from ngo_platform.core.forms import authority_options, filter_select, powiat_options, sphere_options
from ngo_platform.core.uploads import check_document, sniff
from ngo_platform.core.widgets import DateTimeInput
from ngo_platform.organisations.selectors import current_spheres


def datetime_field(label, *, seconds: bool = False, **kwargs):
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(seconds=seconds),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        **kwargs,
    )


class ListFilterForm(forms.Form):
    """The list's GET parameters; invalid values are dropped, so an old link still works."""

    organ = forms.SlugField(label=_("Authority"), required=False)
    powiat = forms.RegexField(label=_("Powiat"), regex=r"^\d{4}$", required=False)
    rodzaj = forms.ChoiceField(
        label=_("Kind of document"), choices=[("", _("any"))] + ConsultationKind.choices, required=False
    )
    stan = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("any"))] + [(s.value, s.label) for s in ConsultationState if s in PUBLIC_STATES],
    )
    sfera = forms.RegexField(label=_("Sphere of public tasks"), regex=r"^\d{1,3}[a-z]?$", required=False)

    def __init__(self, *args, authorities=None, powiats=None, spheres=None, **kwargs):
        """With the choices (the list page), the fields are selects; without them (feeds, calendar) the
        declared fields check only the format, and the selector matches whatever is valid."""
        super().__init__(*args, **kwargs)
        if authorities is not None:
            self.fields["organ"] = filter_select(_("Authority"), authority_options(authorities))
        if powiats is not None:
            self.fields["powiat"] = filter_select(_("Powiat"), powiat_options(powiats))
        if spheres is not None:
            self.fields["sfera"] = filter_select(_("Sphere of public tasks"), sphere_options(spheres))

    def filters(self) -> ListFilters:
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return ListFilters(
            authority=data.get("organ") or "",
            powiat=data.get("powiat") or "",
            kind=data.get("rodzaj") or "",
            state=data.get("stan") or "",
            sphere=data.get("sfera") or "",
        )


class ConsultationForm(forms.ModelForm):
    starts_at = datetime_field(_("Start"), help_text=_("Date and time, Polish time."))
    ends_at = datetime_field(
        _("End"), seconds=True, help_text=_("Comments are accepted until this moment, to the second.")
    )
    spheres = forms.ModelMultipleChoiceField(
        label=_("Spheres of public tasks"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Organisations following these spheres are notified."),
    )

    class Meta:
        model = Consultation
        fields = [
            "title",
            "subject",
            "kind",
            "legal_basis",
            "responsible_person",
            "contact",
            "open_to_residents",
            "open_to_council",
            "mode",
            "starts_at",
            "ends_at",
            "comment_visibility",
            "spheres",
        ]
        widgets = {
            "subject": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
            "mode": forms.RadioSelect,
            "comment_visibility": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spheres"].queryset = current_spheres()
        say_limits(self)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The end must be after the start."))
        return cleaned


class DraftImportForm(forms.Form):
    text = bounded_text(
        Consultation,
        "final_text",
        label=_("Text of the draft"),
        required=False,
        rows=12,
        help_text=_("Paste the text, or attach a file below."),
    )
    file = forms.FileField(label=_("or a file (.docx, .odt, .txt)"), required=False, help_text=_("At most 10 MB."))

    def clean(self):
        cleaned = super().clean()
        text, upload = (cleaned.get("text") or "").strip(), cleaned.get("file")
        if not text and not upload:
            raise ValidationError(_("Paste the text of the draft or attach a file."))
        try:
            if upload:
                content = upload.read()
                if len(content) > files.DRAFT_MAX_BYTES:
                    raise ValidationError({"file": _("The file is too large: at most 10 MB.")})
                name = upload.name.lower()
                if not name.endswith(".txt"):
                    kind = sniff(content[:8], lambda: content)
                    if kind not in ("docx", "odt") or not name.endswith(f".{kind}"):
                        raise ValidationError({"file": _("Attach a .docx, .odt or .txt file.")})
                cleaned["root"] = drafting.parse_file(upload.name, content)
                cleaned["source"] = upload.name
                cleaned["plain"] = drafting.render_text(cleaned["root"])
                if len(cleaned["plain"]) > (limit := limit_of(Consultation, "final_text")):
                    params = {"limit_value": limit, "show_value": len(cleaned["plain"])}
                    raise ValidationError({"file": ValidationError(TOO_LONG, code="max_length", params=params)})
            else:
                cleaned["root"] = drafting.parse_text(text)
                cleaned["source"] = "tekst wklejony"
                cleaned["plain"] = text
        except drafting.DraftFileError as error:
            raise ValidationError({"file" if upload else "text": str(error)}) from None
        return cleaned


class UnitRelabelForm(forms.Form):
    label = bounded(
        limit_of(DraftUnit, "label"), label=_("Label"), required=False, help_text=_("For example 3, 2a, II, a.")
    )
    title = bounded(limit_of(DraftUnit, "title"), label=_("Heading"), required=False)
    text = bounded_text(DraftUnit, "text", label=_("Text"), required=False)


class UnitSplitForm(forms.Form):
    split_before = bounded(
        200,  # words to find in the unit, not stored
        label=_("The new unit starts with the words"),
        help_text=_("Type the first words of the part that should become a separate unit."),
    )
    new_label = bounded(limit_of(DraftUnit, "label"), label=_("Label of the new unit"), required=False)

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit

    def clean_split_before(self):
        words = " ".join(self.cleaned_data["split_before"].split())
        index = self.unit.text.find(words) if words else -1
        if index <= 0:
            raise ValidationError(_("These words are not inside the unit's text (after its beginning)."))
        self.cleaned_data["at"] = index
        return words


class AttachmentForm(forms.Form):
    title = bounded(limit_of(Attachment, "title"), label=_("Title of the attachment"))
    file = forms.FileField(label=_("File (PDF, DOCX or ODT)"), help_text=_("At most 20 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.cleaned_data["file_type"] = check_document(upload)
        return upload


class MeetingForm(forms.Form):
    starts_at = datetime_field(_("Date and time of the meeting"))
    place = bounded(limit_of(Meeting, "place"), label=_("Place"))
    description = bounded(limit_of(Meeting, "description"), label=_("Description"), required=False)


WHOLE = "calosc"
RESIDENT = "mieszkaniec"


class CommentForm(forms.Form):
    # Chosen with the picker above the form (a GET form), so that the current wording can be filled in.
    unit = forms.ChoiceField(label=_("Part of the document"), widget=forms.HiddenInput)
    on_behalf = forms.ChoiceField(label=_("Submitted by"), widget=forms.RadioSelect)
    current_wording = bounded_text(
        Comment,
        "current_wording",
        label=_("Current wording"),
        required=False,
        help_text=_("Filled in from the chosen unit; you may shorten it to the part you comment on."),
    )
    proposed_wording = bounded_text(Comment, "proposed_wording", label=_("Proposed wording"), required=False)
    justification = bounded_text(Comment, "justification", label=_("Justification"))

    def __init__(self, *args, units=(), organisations=(), allow_resident=False, fixed_author=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(WHOLE, _("the whole document"))] + [
            (str(u.pk), f"{u.citation or u.label or u.kind}{' – ' + u.title if u.title else ''}") for u in units
        ]
        choices = [(str(o.pk), o.name) for o in organisations]
        if allow_resident:
            choices.append((RESIDENT, _("myself, as a resident")))
        self.fields["on_behalf"].choices = choices
        if fixed_author:
            del self.fields["unit"]
            del self.fields["on_behalf"]
        elif len(choices) == 1:
            self.fields["on_behalf"].initial = choices[0][0]


class AnswerForm(forms.Form):
    comments = forms.MultipleChoiceField(
        label=_("Comments answered"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one comment, or several identical ones to answer them together."),
    )
    position = forms.ChoiceField(
        label=_("Position of the authority"), choices=AnswerPosition.choices, widget=forms.RadioSelect
    )
    justification = bounded_text(
        Comment,
        "answer_justification",
        label=_("Reason for the position"),
        required=False,
        help_text=_("Required unless the comment is accepted."),
    )

    def __init__(self, *args, comment_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comments"].choices = comment_choices

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("position")
            and cleaned["position"] != AnswerPosition.ACCEPTED
            and not (cleaned.get("justification") or "").strip()
        ):
            self.add_error("justification", _("Give the reason: it is required unless the comment is accepted."))
        return cleaned


class FinalVersionForm(DraftImportForm):
    note = bounded(
        limit_of(Consultation, "final_note"),
        label=_("Adopted as"),
        required=False,
        help_text=_("For example: Uchwała nr XX/123/2026 Sejmiku Województwa Opolskiego z 24 listopada 2026 r."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Adopted text")
