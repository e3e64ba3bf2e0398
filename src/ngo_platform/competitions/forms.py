from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ngo_platform.competitions import money
from ngo_platform.competitions.models import (
    CALL_PARTS,
    AnnulmentGround,
    Competition,
    CostCategory,
    Offer,
    PaidActivity,
    TaskForm,
    TaxArrears,
)
from ngo_platform.competitions.services import COMPETITION_FIELDS, OFFER_STEP_FIELDS
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import Authority, Sphere

DATETIME_WIDGET = {"attrs": {"type": "datetime-local", "step": "1"}, "format": "%Y-%m-%dT%H:%M:%S"}
DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


class MoneyField(forms.CharField):
    """An amount in złoty typed the Polish way ("1 234,50 zł"), cleaned to integer grosze."""

    default_error_messages = {"invalid": _("Enter an amount in złoty, e.g. 1 234,50.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "money"})
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return money.format_plain(value) if isinstance(value, int) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return money.parse_money(value)
        except money.MoneyError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class PercentField(forms.CharField):
    default_error_messages = {"invalid": _("Enter a percentage between 0 and 100, e.g. 10 or 12,5.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return money.format_percent(value).rstrip("%") if isinstance(value, int) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return money.parse_percent(value)
        except money.MoneyError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class QuantityField(forms.CharField):
    default_error_messages = {"invalid": _("Enter a number, e.g. 12 or 1,5.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "units"})
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return money.format_quantity(value) if value is not None and not isinstance(value, str) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return money.parse_quantity(value)
        except money.MoneyError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


# --- Announcements ----------------------------------------------------------------------------


class CompetitionForm(forms.ModelForm):
    total_funds = MoneyField(label=_("Total funds (zł)"))
    min_grant = MoneyField(label=_("Minimum grant per offer (zł)"), required=False)
    max_grant = MoneyField(label=_("Maximum grant per offer (zł)"))
    own_contribution_min_bp = PercentField(
        label=_("Minimum own contribution, per cent of the total costs"), required=False
    )
    admin_costs_max_bp = PercentField(
        label=_("Maximum administrative costs, per cent of the total costs"),
        required=False,
        help_text=_("Leave empty for no cap."),
    )
    funds_this_year = MoneyField(label=_("Granted for tasks of this kind this year (zł)"), required=False)
    funds_last_year = MoneyField(label=_("Granted for tasks of this kind last year (zł)"), required=False)
    note = forms.CharField(
        label=_("What is corrected and why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a correction after publication: it is published with the new version."),
    )

    class Meta:
        model = Competition
        fields = ["authority", *COMPETITION_FIELDS]
        widgets = {
            "task_kind": forms.Textarea(attrs={"rows": 2}),
            "eligible_entities": forms.Textarea(attrs={"rows": 2}),
            "required_attachments": forms.Textarea(attrs={"rows": 3}),
            "rules_text": forms.Textarea(attrs={"rows": 8}),
            "task_start": forms.DateInput(**DATE_WIDGET),
            "task_end": forms.DateInput(**DATE_WIDGET),
            "selection_deadline": forms.DateInput(**DATE_WIDGET),
            "offers_deadline": forms.DateTimeInput(**DATETIME_WIDGET),
            "task_form": forms.RadioSelect,
        }

    def __init__(self, *args, authorities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["authority"]
        else:
            self.fields["authority"].queryset = authorities if authorities is not None else Authority.objects.none()
            del self.fields["note"]
        self.fields["sphere"].queryset = Sphere.objects.select_related("catalogue").order_by(
            "-catalogue__effective_from", "position"
        )
        self.fields["offers_deadline"].help_text = _(
            "Polish time, to the second. At least 21 days after the publication (art. 13 ust. 1 UDPP)."
        )

    def clean(self):
        cleaned = super().clean()
        for name in ("own_contribution_min_bp", "funds_this_year", "funds_last_year"):
            if cleaned.get(name) is None:
                cleaned[name] = 0
        if cleaned.get("task_start") and cleaned.get("task_end") and cleaned["task_start"] > cleaned["task_end"]:
            self.add_error("task_end", _("The task period must end after it starts."))
        return cleaned

    def _post_clean(self):
        # The service validates and saves; the model's constraints stay the backstop.
        pass

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in COMPETITION_FIELDS if name in self.cleaned_data}


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), required=False, max_length=500)
    max_points = forms.IntegerField(label=_("Maximum points"), required=False, min_value=1, max_value=1000)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") and not cleaned.get("max_points"):
            self.add_error("max_points", _("Give the maximum points of this criterion."))
        if cleaned.get("max_points") and not cleaned.get("name"):
            self.add_error("name", _("Name the criterion."))
        return cleaned


CriteriaFormSet = forms.formset_factory(CriterionForm, extra=2, max_num=20)


def criteria_from(formset) -> list[dict]:
    return [
        {"name": form.cleaned_data["name"], "max_points": form.cleaned_data["max_points"]}
        for form in formset.forms
        if form.cleaned_data.get("name")
    ]


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Words of the title or task"), required=False, max_length=100)
    authority = forms.ChoiceField(label=_("Authority"), required=False)
    sphere = forms.ChoiceField(label=_("Sphere of public tasks"), required=False)
    form = forms.ChoiceField(
        label=_("Form of the task"), required=False, choices=[("", _("any"))] + list(TaskForm.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("any")), ("open", _("accepting offers")), ("closed", _("offers closed"))],
    )

    def __init__(self, *args, authorities=(), spheres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = [("", _("any"))] + [(a.slug, a.name) for a in authorities]
        self.fields["sphere"].choices = [("", _("any"))] + [(s.number, f"{s.number}) {s.name}") for s in spheres]

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


# --- Offers -----------------------------------------------------------------------------------


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
                    "date_from": forms.DateInput(**DATE_WIDGET),
                    "date_to": forms.DateInput(**DATE_WIDGET),
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
    name = forms.CharField(label=pgettext_lazy("competitions", "Action"), required=False, max_length=300)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    target_group = forms.CharField(label=_("Target group"), required=False, max_length=300)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(**DATE_WIDGET))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(**DATE_WIDGET))
    carried_out_by = forms.CharField(
        label=_("Carried out by an entity that is not a party"), required=False, max_length=300
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
    name = forms.CharField(label=_("Result"), required=False, max_length=300)
    target_value = forms.CharField(label=_("Target value"), required=False, max_length=100)
    monitoring = forms.CharField(label=_("How it is monitored"), required=False, max_length=300)

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
    name = forms.CharField(label=_("Kind of cost"), required=False, max_length=300)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=60)
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
    krs = forms.CharField(
        label=_("KRS number of the partner organisation"), max_length=10, help_text=_("Ten digits, e.g. 0000123456.")
    )
    scope = forms.CharField(
        label=_("The partner's part of the task"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
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


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


PAID_CHOICES = PaidActivity.choices


# --- Increment 2: formal check, commission, scoring, amounts ----------------------------------------

from ngo_platform.accounts.forms import AccountByEmailForm  # noqa: E402
from ngo_platform.competitions.models import CommissionRole  # noqa: E402


class ChecklistForm(forms.Form):
    items = forms.CharField(
        label=_("Formal requirements"),
        help_text=_("One per line, in the order of checking."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

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
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Note to requirement %(n)s") % {"n": item.position},
                required=False,
                max_length=500,
                initial=mark.note if mark else "",
            )

    def marks(self) -> dict[int, tuple[bool, str]]:
        return {
            item.pk: (self.cleaned_data[f"met_{item.pk}"] == "yes", self.cleaned_data[f"note_{item.pk}"])
            for item in self.items
            if self.cleaned_data.get(f"met_{item.pk}")
        }


class CompletionCallForm(forms.Form):
    message = forms.CharField(
        label=_("What must be completed"),
        help_text=_("The applicant reads exactly this."),
        widget=forms.Textarea(attrs={"rows": 4}),
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
    other_attachments = forms.CharField(
        label=_("Other attachments the applicant must add"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, e.g. “Pełnomocnictwo”."),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline to complete"),
        widget=forms.DateTimeInput(**DATETIME_WIDGET),
        help_text=_("Polish time; usually 7 days."),
    )

    def __init__(self, *args, offer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].choices = [(name, name) for name in offer.competition.attachment_list]
        if not offer.competition.attachment_list:
            del self.fields["attachments"]

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


class AnnulmentForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Ground of the annulment"), widget=forms.RadioSelect, choices=AnnulmentGround.choices
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Published on the competition's page and sent to the organisations with offers (art. 18a ust. 2 UDPP)."
        ),
    )
    confirm = forms.BooleanField(label=_("I understand that the annulment cannot be undone."))


class FormalDecisionForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result of the formal check"),
        widget=forms.RadioSelect,
        choices=[
            ("correct", _("formally correct: goes to the commission")),
            ("rejected", _("rejected on formal grounds")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting; the applicant reads it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("result") == "rejected" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the rejection: the applicant reads it."))
        return cleaned


class AppointForm(AccountByEmailForm):
    role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect, choices=CommissionRole.choices)
    nominated_by = forms.CharField(
        label=_("Nominating organisation: KRS number or address on the platform"),
        required=False,
        help_text=_(
            "For persons nominated by organisations, e.g. 0000123456 or stowarzyszenie-przyjaciol-ziemi-brzeskiej."
        ),
    )
    chair = forms.BooleanField(label=_("Chair of the commission"), required=False)

    def clean_nominated_by(self):
        value = self.cleaned_data["nominated_by"].strip()
        self.organisation = None
        if not value:
            return value
        digits = "".join(ch for ch in value if ch.isdigit())
        organisation = (
            Organisation.objects.filter(krs=digits.zfill(10)).first()
            if digits and digits == value.replace(" ", "")
            else None
        )
        organisation = organisation or Organisation.objects.filter(slug=value.strip("/").split("/")[-1]).first()
        if organisation is None:
            raise forms.ValidationError(
                _("No organisation with this KRS number or address is registered on the platform.")
            )
        self.organisation = organisation
        return value


class DeclarationForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput)
    agree = forms.BooleanField(
        label=_("I have read the declaration and I sign it"),
        error_messages={"required": _("Tick the box to sign the declaration.")},
    )


class ScoreForm(forms.Form):
    """Points and a justification for every criterion."""

    def __init__(self, *args, criteria, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            score = scores.get(criterion.pk)
            self.fields[f"points_{criterion.pk}"] = forms.IntegerField(
                label=_("%(n)s. %(name)s: points (0–%(max)s)")
                % {"n": criterion.position, "name": criterion.name, "max": criterion.max_points},
                min_value=0,
                max_value=criterion.max_points,
                initial=score.points if score else None,
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "min": 0, "max": criterion.max_points, "class": "points"}
                ),
                error_messages={
                    "required": _("Give the points for this criterion."),
                    "max_value": _("Give from 0 to %(max)s points.") % {"max": criterion.max_points},
                    "min_value": _("Give from 0 to %(max)s points.") % {"max": criterion.max_points},
                    "invalid": _("Give a whole number of points."),
                },
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Justification of the points for criterion %(n)s") % {"n": criterion.position},
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=score.comment if score else "",
                error_messages={"required": _("Justify the points: the applicant reads the justification.")},
            )

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            c.pk: (self.cleaned_data[f"points_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"]) for c in self.criteria
        }


class AmountsForm(forms.Form):
    """The proposed grant of each ranked offer (empty: none)."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"amount_{row.offer_id}"] = MoneyField(
                label=_("Proposed grant for “%(title)s” (zł)") % {"title": row.title},
                required=False,
                initial=row.proposed,
            )

    def amounts(self) -> dict[int, int | None]:
        return {row.offer_id: self.cleaned_data.get(f"amount_{row.offer_id}") for row in self.rows}


class DecisionForm(forms.Form):
    reference = forms.CharField(
        label=_("The decision on the grants"),
        max_length=300,
        help_text=_("E.g. Resolution no. 123/2026 of the Board of the Opole Voivodeship of 2 March 2026."),
    )


# --- Increment 3: small grants (art. 19a UDPP) ------------------------------------------------------


class SmallGrantStartForm(forms.Form):
    authority = forms.ModelChoiceField(
        label=_("Authority the offer is addressed to"), queryset=Authority.objects.none()
    )
    organisation = forms.ModelChoiceField(
        label=_("Applicant organisation"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args, authorities, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        self.fields["organisation"].queryset = organisations


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Published with your name."),
    )


class PoolForm(forms.Form):
    authority = forms.ModelChoiceField(label=_("Authority"), queryset=Authority.objects.none(), empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = MoneyField(label=_("Grants planned for organisations in the year (annual programme)"))

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities


class SmallGrantDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("competitions", "Decision"),
        widget=forms.RadioSelect,
        choices=[("grant", _("Grant the amount requested")), ("refuse", _("Refuse"))],
    )
    reason = forms.CharField(
        label=_("Reason for the refusal"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


OTHER_ATTACHMENT = "__other__"


class AttachmentForm(forms.Form):
    """An attachment of the offer: one the announcement requires, or another one named by the applicant.
    The file's content and size are checked by the service (`services.offer_attachment_add`)."""

    name = forms.ChoiceField(label=_("Which attachment"))
    other_name = forms.CharField(
        label=_("Name of the other attachment"),
        required=False,
        max_length=300,
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
