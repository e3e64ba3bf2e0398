from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ngo_platform.accounts.models import User
from ngo_platform.consultations.forms import CommentForm, DraftImportForm, datetime_field
from ngo_platform.core.bounds import bounded, bounded_text, limit_of, say_limits
from ngo_platform.core.forms import DocumentFileField
from ngo_platform.core.widgets import DateInput
from ngo_platform.organisations.models import Organisation
from ngo_platform.workgroups.models import DocumentVersion, GroupDocument, GroupMeeting, VersionUnit, WorkingGroup


class GroupForm(forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["name", "purpose", "term_starts", "term_ends", "public_work"]
        widgets = {"term_starts": DateInput, "term_ends": DateInput, "purpose": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("term_starts"), cleaned.get("term_ends")
        if starts and ends and ends < starts:
            self.add_error("term_ends", _("The term cannot end before it starts."))
        return cleaned


class GroupCreateForm(GroupForm):
    coordinator_email = forms.EmailField(
        label=_("E-mail address of the coordinator"),
        help_text=_("A person with an account on the platform; leave empty to coordinate the group yourself."),
        required=False,
        max_length=254,
    )

    def clean_coordinator_email(self):
        email = self.cleaned_data["coordinator_email"].strip()
        if not email:
            return None
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise ValidationError(_("No one has an account with this address: ask them to sign up first."))
        return person


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    organisation = bounded(
        200,  # a KRS number or a page's address, looked up, not stored
        label=_("On behalf of an organisation (optional)"),
        required=False,
        help_text=_("Its KRS number or the address of its page on the platform; leave empty to invite an official."),
    )

    def clean_organisation(self):
        given = self.cleaned_data["organisation"].strip()
        if not given:
            return None
        slug = given.rstrip("/").rsplit("/", 1)[-1]
        found = Organisation.objects.filter(krs=given.zfill(10)).first() if given.isdigit() else None
        found = found or Organisation.objects.filter(slug=slug).first()
        if found is None:
            raise ValidationError(_("No organisation on the platform has this KRS number or address."))
        return found


class MeetingForm(forms.Form):
    starts_at = datetime_field(_("Date and time of the meeting"))
    place = bounded(limit_of(GroupMeeting, "place"), label=_("Place"), required=False)
    online_url = forms.URLField(
        label=_("or the link to the online meeting"),
        required=False,
        max_length=limit_of(GroupMeeting, "online_url"),
        assume_scheme="https",
    )
    agenda = bounded_text(GroupMeeting, "agenda", label=_("Agenda"), rows=5)


class MinutesForm(forms.Form):
    file = DocumentFileField(label=_("Minutes (PDF, DOCX or ODT)"))


class DocumentForm(forms.Form):
    title = bounded(limit_of(GroupDocument, "title"), label=_("Title of the document"))


class VersionUploadForm(DraftImportForm):
    """A new version read from a file or a pasted text (the consultations' draft form), with what it changes."""

    note = bounded_text(DocumentVersion, "note", label=_("What changes and why"), required=False, rows=3)


class VersionFromForm(forms.Form):
    prefix = "copy"  # shown on the version page next to the decision form, which has its own note

    note = bounded_text(DocumentVersion, "note", label=_("What changes and why"), required=False, rows=3)


class UnitEditForm(forms.Form):
    title = bounded(limit_of(VersionUnit, "title"), label=_("Heading"), required=False)
    text = bounded_text(VersionUnit, "text", label=_("Text"), required=False, rows=8)


class VersionCommentForm(CommentForm):
    """The consultations' standard form, the author being the member (on behalf of the organisation they sit for)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, fixed_author=True, **kwargs)


class DecisionForm(forms.Form):
    step = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    note = bounded_text(DocumentVersion, "decision_note", label=_("Note to the group"), required=False, rows=3)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(step.name, step.label) for step in steps]


class CompareForm(forms.Form):
    od = forms.TypedChoiceField(label=_("Compare version"), coerce=int)
    do = forms.TypedChoiceField(label=_("with version"), coerce=int)

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(version.number, str(version.number)) for version in versions]
        self.fields["od"].choices = self.fields["do"].choices = choices
