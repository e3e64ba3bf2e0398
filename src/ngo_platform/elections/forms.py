from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from ngo_platform.accounts.forms import AccountByEmailForm
from ngo_platform.core.bounds import REASON, ParsedText, bounded, bounded_text, limit_of, say_limits
from ngo_platform.core.widgets import DateInput, DateTimeInput
from ngo_platform.elections.models import Candidate, Council, Election, Protest, ProtestState, TieBreak
from ngo_platform.elections.services import DEFAULT_VOTING_DAYS, ELECTION_FIELDS
from ngo_platform.organisations.models import LegalForm
from ngo_platform.territory.models import Authority


class CouncilForm(forms.Form):
    authority = forms.ModelChoiceField(label=_("Authority"), queryset=Authority.objects.none())
    name = bounded(limit_of(Council, "name"), label=_("Name of the council"))

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities


class ElectionForm(forms.ModelForm):
    """The settings of the authority's resolution and the timeline (times in Polish time)."""

    eligible_legal_forms = forms.MultipleChoiceField(
        label=_("Eligible legal forms"),
        choices=LegalForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every legal form."),
    )
    voting_end = forms.DateTimeField(
        label=_("Voting closes"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty for %(days)s days after the voting opens.") % {"days": DEFAULT_VOTING_DAYS},
    )

    class Meta:
        model = Election
        fields = ["council", *[f for f in ELECTION_FIELDS if f != "eligible_legal_forms"], "eligible_legal_forms"]
        widgets = {
            "nominations_start": DateTimeInput(),
            "nominations_end": DateTimeInput(),
            "voting_start": DateTimeInput(),
            "term_start": DateInput(),
            "term_end": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, councils=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["council"]
        else:
            self.fields["council"].queryset = councils
        self.fields["seats"].min_value = 1
        self.fields["choices_per_ballot"].min_value = 1
        self.fields["nominations_per_organisation"].min_value = 1
        say_limits(self)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("voting_start"), cleaned.get("voting_end")
        if start and not end:
            cleaned["voting_end"] = end = start + timedelta(days=DEFAULT_VOTING_DAYS)
        ns, ne = cleaned.get("nominations_start"), cleaned.get("nominations_end")
        if ns and ne and ns >= ne:
            self.add_error("nominations_end", _("The nominations must close after they open."))
        if ne and start and ne > start:
            self.add_error("voting_start", _("The voting opens after the nominations close."))
        if start and end and start >= end:
            self.add_error("voting_end", _("The voting must close after it opens."))
        if cleaned.get("term_start") and cleaned.get("term_end") and cleaned["term_start"] > cleaned["term_end"]:
            self.add_error("term_end", _("The term must end after it starts."))
        return cleaned

    def _post_clean(self):
        # The service validates and saves; the model's constraints stay the backstop.
        pass

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in ELECTION_FIELDS if name in self.cleaned_data}


class NominationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Nominating organisation"), queryset=None, empty_label=None)
    full_name = bounded(limit_of(Candidate, "full_name"), label=_("Full name of the candidate"))
    email = forms.EmailField(
        label=_("Candidate's e-mail address"),
        help_text=_("The candidate receives a link to consent to standing and to the publication of the data below."),
    )
    qualifications = bounded_text(
        Candidate,
        "qualifications",
        label=_("Qualifications and experience"),
        rows=5,
        help_text=_("Published on the list of candidates."),
    )
    statement = bounded_text(Candidate, "statement", label=_("Candidate's statement"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ConsentForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        widget=forms.RadioSelect,
        choices=[
            (
                "agree",
                _("I consent to stand as a candidate and to the publication of my name, qualifications and statement"),
            ),
            ("decline", _("I decline the nomination")),
        ],
    )


class CandidateDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("verify", _("Verify: the candidate goes on the list")), ("reject", _("Reject"))],
    )
    reason = bounded_text(
        Candidate,
        "reason",
        label=_("Reason"),
        required=False,
        rows=3,
        help_text=_("Required when rejecting; the organisation and the candidate receive it by e-mail."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the rejection: the organisation will read it."))
        return cleaned


class BallotForm(forms.Form):
    """The ballot: the organisation voting and its choice; sent twice (review, then cast)."""

    organisation = forms.ModelChoiceField(label=_("Voting for the organisation"), queryset=None, empty_label=None)
    candidates = forms.MultipleChoiceField(label=_("Candidates"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, election: Election, organisations, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.election = election
        self.fields["organisation"].queryset = organisations
        choices = [(str(c.pk), f"{c.full_name} ({c.organisation.name})") for c in candidates]
        if election.choices_per_ballot == 1:
            self.fields["candidates"] = forms.ChoiceField(
                label=_("Choose one candidate"), choices=choices, widget=forms.RadioSelect
            )
        else:
            self.fields["candidates"].choices = choices
            self.fields["candidates"].label = _("Choose at most %(n)s candidates") % {"n": election.choices_per_ballot}
        self.fields["candidates"].error_messages["required"] = _("Choose a candidate.")

    def clean_candidates(self):
        value = self.cleaned_data["candidates"]
        chosen = [int(pk) for pk in (value if isinstance(value, list) else [value])]
        if len(chosen) > self.election.choices_per_ballot:
            raise forms.ValidationError(_("Choose at most %(n)s candidates.") % {"n": self.election.choices_per_ballot})
        return chosen


class TransitionForm(forms.Form):
    target = forms.CharField(widget=forms.HiddenInput, max_length=30)  # a state's name
    # Kept in the audit log and published with a cancellation.
    reason = bounded(REASON, textarea=True, rows=2, label=_("Reason"), required=False)


class TieBreakForm(forms.Form):
    witnesses = bounded_text(
        TieBreak,
        "witnesses",
        label=_("Witnesses of the drawing"),
        rows=3,
        help_text=_("At least two, one per line: full name and function."),
    )
    note = bounded_text(TieBreak, "note", label=_("How the lots were drawn"), required=False, rows=2)

    def __init__(self, *args, tied, **kwargs):
        super().__init__(*args, **kwargs)
        self.tied = tied
        places = [(str(n), str(n)) for n in range(1, len(tied) + 1)]
        for candidate in tied:
            self.fields[f"place_{candidate.pk}"] = forms.ChoiceField(
                label=_("Drawn place of %(name)s") % {"name": candidate.full_name}, choices=[("", "–"), *places]
            )

    def clean(self):
        cleaned = super().clean()
        places = [cleaned.get(f"place_{c.pk}") for c in self.tied]
        if all(places) and len(set(places)) != len(places):
            self.add_error(None, _("Give each drawn place once."))
        lines = [line for line in (cleaned.get("witnesses") or "").splitlines() if line.strip()]
        if "witnesses" in cleaned and len(lines) < 2:
            self.add_error("witnesses", _("Name at least two witnesses of the drawing, one per line."))
        return cleaned

    def order(self) -> list[int]:
        return [c.pk for c in sorted(self.tied, key=lambda c: int(self.cleaned_data[f"place_{c.pk}"]))]


class ProtestForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    text = bounded_text(Protest, "text", label=_("Content of the protest"), rows=6)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ProtestDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[(ProtestState.DISMISSED, _("Dismiss")), (ProtestState.UPHELD, _("Uphold"))],
    )
    reasons = bounded_text(Protest, "decision", label=_("Reasons"), rows=3)


class ReceiptForm(forms.Form):
    kod = ParsedText(label=_("Receipt code"), max_length=30, help_text=_("For example ABCDE-FGHJK-MNPQR."))


class CommitteeMemberForm(AccountByEmailForm):
    """A person from outside the authority named to the election's committee."""
