"""Forms of the formal check: the checklist, the marks of an offer, the call to complete it, the result."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ngo_platform.competitions.models import (
    CALL_PARTS,
    CompletionCall,
    FormalCheckItem,
    FormalMark,
    Offer,
    OfferAttachment,
)
from ngo_platform.core.bounds import SHORT_TEXT, TEXT, bounded, bounded_text, check_lines, limit_of
from ngo_platform.core.widgets import DateTimeInput


class ChecklistForm(forms.Form):
    items = bounded(
        TEXT,
        textarea=True,
        rows=8,
        label=_("Formal requirements"),
        help_text=_("One per line, in the order of checking."),
    )

    def clean_items(self):
        return check_lines(self.cleaned_data["items"], limit_of(FormalCheckItem, "text"))

    def lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class FormalMarksForm(forms.Form):
    """One yes/no answer and a note for each requirement of the checklist."""

    def __init__(self, *args, items, marks, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            mark = marks.get(item.pk)
            self.fields[f"met_{item.pk}"] = forms.ChoiceField(
                label=f"{item.position}. {item.text}",
                widget=forms.RadioSelect,
                required=False,
                choices=[("yes", _("met")), ("no", _("not met"))],
                initial=None if mark is None else ("yes" if mark.met else "no"),
            )
            self.fields[f"note_{item.pk}"] = bounded(
                limit_of(FormalMark, "note"),
                label=_("Note to requirement %(n)s") % {"n": item.position},
                required=False,
                initial=mark.note if mark else "",
            )

    def marks(self) -> dict[int, tuple[bool, str]]:
        return {
            item.pk: (self.cleaned_data[f"met_{item.pk}"] == "yes", self.cleaned_data[f"note_{item.pk}"])
            for item in self.items
            if self.cleaned_data.get(f"met_{item.pk}")
        }


class CompletionCallForm(forms.Form):
    message = bounded_text(
        CompletionCall, "message", label=_("What must be completed"), help_text=_("The applicant reads exactly this.")
    )
    sections = forms.MultipleChoiceField(
        label=_("Parts of the offer the applicant may correct"),
        widget=forms.CheckboxSelectMultiple,
        choices=list(CALL_PARTS.items()),
        required=False,
        help_text=_("Opening V.A opens V.B–V.C too: the sources must add up to the costs again."),
    )
    attachments = forms.MultipleChoiceField(
        label=_("Attachments the applicant must add"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Required by the announcement."),
    )
    other_attachments = bounded(
        SHORT_TEXT,
        textarea=True,
        rows=2,
        label=_("Other attachments the applicant must add"),
        required=False,
        help_text=_("One per line, e.g. “Pełnomocnictwo”."),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline to complete"),
        widget=DateTimeInput(seconds=True),
        help_text=_("Polish time; usually 7 days."),
    )

    def __init__(self, *args, offer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].choices = [(name, name) for name in offer.competition.attachment_list]
        if not offer.competition.attachment_list:
            del self.fields["attachments"]

    def clean_other_attachments(self):
        return check_lines(self.cleaned_data["other_attachments"], limit_of(OfferAttachment, "name"))

    def clean(self):
        cleaned = super().clean()
        names = [
            *cleaned.get("attachments", []),
            *(line.strip() for line in (cleaned.get("other_attachments") or "").splitlines()),
        ]
        cleaned["attachment_names"] = [name for name in names if name]
        if not cleaned.get("sections") and not cleaned["attachment_names"] and "sections" not in self.errors:
            self.add_error("sections", _("Choose at least one part of the offer that may be corrected."))
        return cleaned


class FormalDecisionForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result of the formal check"),
        widget=forms.RadioSelect,
        choices=[
            ("correct", _("formally correct: goes to the commission")),
            ("rejected", _("rejected on formal grounds")),
        ],
    )
    reason = bounded_text(
        Offer,
        "formal_reason",
        label=_("Reason for the rejection"),
        required=False,
        rows=3,
        help_text=_("Required when rejecting; the applicant reads it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("result") == "rejected" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the rejection: the applicant reads it."))
        return cleaned
