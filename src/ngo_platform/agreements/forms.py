"""Forms of the agreements app: they parse and show; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ngo_platform.agreements.iban import iban_error, normalise
from ngo_platform.agreements.models import Agreement, AgreementParty, HistoryEntry, Report, ReportResult
from ngo_platform.competitions.forms import CostLineForm as OfferCostLineForm
from ngo_platform.competitions.forms import MoneyField
from ngo_platform.core.bounds import ParsedText, bounded, bounded_text, limit_of, say_limits
from ngo_platform.core.widgets import DateInput


class IbanField(ParsedText):
    """A Polish bank account number, typed with or without spaces and "PL"; cleaned to "PL" + 26 digits."""

    default_max_length = 40  # 28 characters and the spaces between their groups

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "text"})
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if value and len(value) == 28 and value.startswith("PL"):
            return " ".join(value[i : i + 4] for i in range(0, 28, 4))
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        if (error := iban_error(value)) is not None:
            raise forms.ValidationError(error, code="invalid")
        return normalise(value)


class AgreementForm(forms.ModelForm):
    granted_amount = MoneyField(label=_("Grant (zł)"))
    account_number = IbanField(
        label=_("Bank account for the grant"),
        required=False,
        help_text=_("26 digits of the organisation's account, e.g. 61 1090 1014 0000 0712 1981 2874."),
    )

    class Meta:
        model = Agreement
        fields = [
            "number",
            "place",
            "authority_signatories",
            "granted_amount",
            "task_start",
            "task_end",
            "account_number",
        ]
        widgets = {
            "authority_signatories": forms.Textarea(attrs={"rows": 2}),
            "task_start": DateInput(),
            "task_end": DateInput(),
        }

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = list(parties)
        for party in self.parties:
            self.fields[f"party_{party.pk}"] = bounded_text(
                AgreementParty,
                "signatories",
                label=_("Signing for %(organisation)s") % {"organisation": party.organisation.name},
                required=False,
                initial=party.signatories,
                rows=2,
                help_text=_("One per line: full name and function, as authorised in the register (KRS)."),
            )
        self.fields["task_end"].help_text = _("The final report is due 30 days after this date (art. 18 ust. 1 UDPP).")
        say_limits(self)

    def data_for_service(self) -> dict:
        return {field: self.cleaned_data.get(field) for field in self.Meta.fields}

    def signatories(self) -> dict[int, str]:
        return {party.pk: self.cleaned_data.get(f"party_{party.pk}") or "" for party in self.parties}


class InstalmentForm(forms.Form):
    due_on = forms.DateField(label=_("Paid by"), required=False, widget=DateInput())
    amount = MoneyField(label=_("Amount (zł)"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("amount") and not cleaned.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", _("Give the date of the payment."))
        if cleaned.get("due_on") and not cleaned.get("amount") and "amount" not in self.errors:
            self.add_error("amount", _("Give the amount of the instalment."))
        return cleaned


InstalmentFormSet = forms.formset_factory(InstalmentForm, extra=2, max_num=24)


def instalments_from(formset) -> list[dict]:
    return [
        {"due_on": form.cleaned_data["due_on"], "amount": form.cleaned_data["amount"]}
        for form in formset.forms
        if form.cleaned_data.get("amount")
    ]


class SignForm(forms.Form):
    signed_on = forms.DateField(
        label=_("Signed on"),
        widget=DateInput(),
        help_text=_("The day both parties signed it (not in the future)."),
    )


class ReasonForm(forms.Form):
    reason = bounded_text(Agreement, "termination_reason", label=_("Reason for the termination"), rows=3)


class ReopenForm(forms.Form):
    note = bounded_text(
        HistoryEntry, "note", label=_("What is to be corrected (the organisation sees it)"), required=False, rows=2
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("accept", _("Accept")), ("return", _("Return for corrections"))],
    )
    # The same form decides on the updated cost calculation and on the report: both notes have this limit.
    note = bounded_text(
        Report,
        "note",
        label=_("Note for the organisation"),
        required=False,
        rows=3,
        help_text=_("Required when returning: say what is to be corrected."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say what is to be corrected: the organisation sees the note."))
        return cleaned


# --- The updated cost calculation -----------------------------------------------------------


class CostLineForm(OfferCostLineForm):
    """A line of the updated cost calculation: the offer's own line form (same fields, same checks and
    messages); the year stays what the offer said, and the action is named by its number."""

    year = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, kinds=kinds, years=(), **kwargs)

    def row(self) -> dict | None:
        row = super().row()
        if row is not None:
            row["action_no"] = row.pop("action")
        return row


CostLineFormSet = forms.formset_factory(CostLineForm, extra=2, max_num=200)


class SourcesForm(forms.Form):
    grant = MoneyField(label=_("Grant (zł)"), help_text=_("Must equal the grant of the agreement."))
    own_financial = MoneyField(label=_("Own financial contribution (zł)"), required=False)
    own_personal = MoneyField(label=_("Own personal contribution: volunteers, social work (zł)"), required=False)
    own_in_kind = MoneyField(label=_("Own in-kind contribution (zł)"), required=False)
    beneficiary_fees = MoneyField(label=_("Fees from the beneficiaries (zł)"), required=False)

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
        return cleaned


# --- The report ----------------------------------------------------------------------------


class ReportForm(forms.ModelForm):
    grant = MoneyField(label=_("Grant used (zł)"))
    own_financial = MoneyField(label=_("Own financial contribution (zł)"), required=False)
    own_personal = MoneyField(label=_("Own personal contribution: volunteers, social work (zł)"), required=False)
    own_in_kind = MoneyField(label=_("Own in-kind contribution (zł)"), required=False)
    beneficiary_fees = MoneyField(label=_("Fees from the beneficiaries (zł)"), required=False)
    interest = MoneyField(label=_("Interest earned on the grant (zł)"), required=False)

    class Meta:
        model = Report
        fields = [
            "description",
            "grant",
            "own_financial",
            "own_personal",
            "own_in_kind",
            "beneficiary_fees",
            "interest",
            "additional_info",
            "declares_truth",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "additional_info": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, results=(), lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.results, self.lines = list(results), list(lines)
        for result in self.results:
            self.fields[f"achieved_{result.pk}"] = bounded(
                limit_of(ReportResult, "achieved"),
                label=_("%(result)s: value achieved (planned: %(planned)s)")
                % {"result": result.name, "planned": result.planned},
                required=False,
                initial=result.achieved,
            )
            self.fields[f"comment_{result.pk}"] = bounded_text(
                ReportResult,
                "comment",
                label=_("%(result)s: comment") % {"result": result.name},
                required=False,
                initial=result.comment,
                rows=2,
            )
        for line in self.lines:
            self.fields[f"spent_{line.pk}"] = MoneyField(
                label=_("%(no)s. %(name)s: costs actually incurred (zł)") % {"no": line.position, "name": line.name},
                required=False,
                initial=line.spent,
            )
        say_limits(self)

    def clean(self):
        cleaned = super().clean()
        for name in ("own_financial", "own_personal", "own_in_kind", "beneficiary_fees", "interest"):
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
        return cleaned

    def data_for_service(self) -> dict:
        return {field: self.cleaned_data.get(field) for field in self.Meta.fields}

    def achieved(self) -> dict[int, dict]:
        return {
            r.pk: {
                "achieved": self.cleaned_data.get(f"achieved_{r.pk}") or "",
                "comment": self.cleaned_data.get(f"comment_{r.pk}") or "",
            }
            for r in self.results
        }

    def spent(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(f"spent_{line.pk}") or 0 for line in self.lines}

    def result_fields(self):
        return [(self[f"achieved_{r.pk}"], self[f"comment_{r.pk}"]) for r in self.results]

    def line_fields(self):
        return [(line, self[f"spent_{line.pk}"]) for line in self.lines]
