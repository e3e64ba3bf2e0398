"""Forms of an offer: starting it, the steps of the form (sections II–VII of the template), the rows of
actions, results and costs, the partners and their confirmation, the attachments."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ngo_platform.competitions.forms.common import MoneyField, QuantityField
from ngo_platform.competitions.models import (
    CostCategory,
    CostLine,
    Offer,
    OfferAction,
    OfferAttachment,
    OfferPartner,
    OfferResult,
    PaidActivity,
    TaxArrears,
)
from ngo_platform.competitions.services import OFFER_STEP_FIELDS
from ngo_platform.core.bounds import ParsedText, bounded, bounded_text, limit_of, say_limits
from ngo_platform.core.widgets import DateInput
from ngo_platform.organisations.models import Organisation

PAID_CHOICES = PaidActivity.choices


class OfferStartForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Applicant organisation"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class OfferStepForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                # Radio buttons offer only real answers (no "---------"); an empty answer is a draft's.
                field.choices = [choice for choice in field.choices if choice[0] != ""]
                field.required = False
        say_limits(self)

    def _post_clean(self):
        pass

    def data_for_service(self) -> dict:
        return dict(self.cleaned_data)


def _step_form(step: str, **overrides):
    fields = list(OFFER_STEP_FIELDS[step])
    attrs = {
        "Meta": type(
            "Meta",
            (OfferStepForm.Meta,),
            {
                "fields": fields,
                "widgets": {
                    "date_from": DateInput(),
                    "date_to": DateInput(),
                    "summary": forms.Textarea(attrs={"rows": 6}),
                    "expected_results": forms.Textarea(attrs={"rows": 4}),
                    "previous_activity": forms.Textarea(attrs={"rows": 5}),
                    "resources": forms.Textarea(attrs={"rows": 5}),
                    "partners_split": forms.Textarea(attrs={"rows": 3}),
                    "other_info": forms.Textarea(attrs={"rows": 3}),
                    "tax_arrears_note": forms.Textarea(attrs={"rows": 2}),
                    "signatories": forms.Textarea(attrs={"rows": 3}),
                    "paid_activity": forms.RadioSelect,
                    "tax_arrears": forms.RadioSelect,
                },
            },
        ),
        "__module__": __name__,
        **overrides,
    }
    return type(f"Offer{step.title()}Form", (OfferStepForm,), attrs)


class SourcesForm(OfferStepForm):
    grant_requested = MoneyField(label=_("2. Planned grant (zł)"))
    own_financial = MoneyField(label=_("3.1 Own financial contribution (zł)"), required=False)
    own_personal = MoneyField(label=_("3.2 Own personal contribution: volunteers, social work (zł)"), required=False)
    own_in_kind = MoneyField(label=_("3.3 Own in-kind contribution (zł)"), required=False)
    beneficiary_fees = MoneyField(label=_("4. Fees from the beneficiaries (zł)"), required=False)
    lead_cost_share = MoneyField(label=_("V.C Costs borne by the lead organisation (zł)"), required=False)

    class Meta(OfferStepForm.Meta):
        fields = list(OFFER_STEP_FIELDS["zrodla"])

    def __init__(self, *args, joint=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not joint:
            del self.fields["lead_cost_share"]

    def clean(self):
        cleaned = super().clean()
        for name in OFFER_STEP_FIELDS["zrodla"]:
            if name in self.fields and cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
        return cleaned


class DeclarationsForm(OfferStepForm):
    class Meta(OfferStepForm.Meta):
        fields = list(OFFER_STEP_FIELDS["oswiadczenia"])
        widgets = {
            "tax_arrears": forms.RadioSelect,
            "signatories": forms.Textarea(attrs={"rows": 3}),
            "tax_arrears_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tax_arrears"].choices = list(TaxArrears.choices)


STEP_FORMS = {
    "oferent": _step_form("oferent"),
    "opis": _step_form("opis"),
    "zasoby": _step_form("zasoby"),
    "zrodla": SourcesForm,
    "inne": _step_form("inne"),
    "oswiadczenia": DeclarationsForm,
}


class ActionForm(forms.Form):
    name = bounded(limit_of(OfferAction, "name"), label=pgettext_lazy("competitions", "Action"), required=False)
    description = bounded_text(OfferAction, "description", label=_("Description"), required=False, rows=2)
    target_group = bounded(limit_of(OfferAction, "target_group"), label=_("Target group"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    carried_out_by = bounded(
        limit_of(OfferAction, "carried_out_by"), label=_("Carried out by an entity that is not a party"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if any(
            cleaned.get(f) for f in ("description", "target_group", "start", "end", "carried_out_by")
        ) and not cleaned.get("name"):
            self.add_error("name", _("Name the action."))
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", _("The action must end after it starts."))
        return cleaned


class ResultForm(forms.Form):
    name = bounded(limit_of(OfferResult, "name"), label=_("Result"), required=False)
    target_value = bounded(limit_of(OfferResult, "target_value"), label=_("Target value"), required=False)
    monitoring = bounded(limit_of(OfferResult, "monitoring"), label=_("How it is monitored"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") and not cleaned.get("target_value"):
            self.add_error("target_value", _("Give the target value."))
        if (cleaned.get("target_value") or cleaned.get("monitoring")) and not cleaned.get("name"):
            self.add_error("name", _("Name the result."))
        return cleaned


ActionFormSet = forms.formset_factory(ActionForm, extra=2, max_num=50)
ResultFormSet = forms.formset_factory(ResultForm, extra=2, max_num=50)


class CostLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Action or administrative"), required=False)
    name = bounded(limit_of(CostLine, "name"), label=_("Kind of cost"), required=False)
    unit = bounded(limit_of(CostLine, "unit"), label=_("Unit"), required=False)
    unit_cost = MoneyField(label=_("Unit cost (zł)"), required=False)
    units = QuantityField(label=_("Number of units"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=1)

    def __init__(self, *args, kinds=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)
        self.fields["year"].choices = [(n, str(year)) for n, year in enumerate(years, start=1)]
        if len(years) <= 1:
            self.fields["year"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        filled = [f for f in ("name", "unit", "unit_cost", "units") if cleaned.get(f) not in (None, "")]
        if filled and len(filled) < 4:
            for field, message in (
                ("name", _("Name the cost.")),
                ("unit", _("Give the unit, e.g. hour, piece.")),
                ("unit_cost", _("Give the unit cost.")),
                ("units", _("Give the number of units.")),
            ):
                if cleaned.get(field) in (None, "") and field not in self.errors:
                    self.add_error(field, message)
        return cleaned

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("name"):
            return None
        kind = data.get("kind") or ""
        if kind.startswith("action:"):
            category, action = CostCategory.ACTION, int(kind.split(":", 1)[1])
        elif kind == "administrative":
            category, action = CostCategory.ADMINISTRATIVE, None
        else:
            category, action = CostCategory.ACTION, None
        return {
            "category": category,
            "action": action,
            "name": data["name"],
            "unit": data["unit"],
            "unit_cost": data["unit_cost"],
            "units": data["units"],
            "year": data.get("year") or 1,
        }


CostLineFormSet = forms.formset_factory(CostLineForm, extra=3, max_num=200)


class PartnerForm(forms.Form):
    krs = ParsedText(
        label=_("KRS number of the partner organisation"), max_length=10, help_text=_("Ten digits, e.g. 0000123456.")
    )
    scope = bounded_text(OfferPartner, "scope", label=_("The partner's part of the task"), required=False, rows=3)
    cost_share = MoneyField(label=_("Costs borne by the partner (V.C, zł)"), required=False)

    def clean_krs(self):
        value = "".join(ch for ch in self.cleaned_data["krs"] if ch.isdigit()).zfill(10)
        organisation = Organisation.objects.filter(krs=value).first()
        if organisation is None:
            raise forms.ValidationError(_("No organisation with this KRS number is registered on the platform."))
        self.organisation = organisation
        return value


class ConfirmForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        widget=forms.RadioSelect,
        choices=[
            ("confirm", _("We confirm our part of the joint offer as it reads now")),
            ("decline", _("We decline")),
        ],
    )


OTHER_ATTACHMENT = "__other__"


class AttachmentForm(forms.Form):
    """An attachment of the offer: one the announcement requires, or another one named by the applicant.
    The file's content and size are checked by the service (`services.offer_attachment_add`)."""

    name = forms.ChoiceField(label=_("Which attachment"))
    other_name = bounded(
        limit_of(OfferAttachment, "name"),
        label=_("Name of the other attachment"),
        required=False,
        help_text=_("Only when you chose “Another attachment”."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX or ODT document, or a JPEG or PNG scan; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, offer, requested=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The attachments a call to complete asks for come first, then the announcement's.
        names = list(dict.fromkeys([*requested, *offer.competition.attachment_list]))
        self.fields["name"].choices = [(name, name) for name in names] + [(OTHER_ATTACHMENT, _("Another attachment"))]

    def clean(self):
        data = super().clean()
        if data.get("name") == OTHER_ATTACHMENT:
            if not (data.get("other_name") or "").strip():
                self.add_error("other_name", _("Name the other attachment."))
            else:
                data["attachment_name"] = data["other_name"].strip()
        elif data.get("name"):
            data["attachment_name"] = data["name"]
        return data
