"""Forms of the announcement of an open competition: the announcement with its criteria, the filters of
the public list, and the annulment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ngo_platform.competitions.forms.common import MoneyField, PercentField
from ngo_platform.competitions.models import (
    AnnulmentGround,
    Competition,
    CompetitionVersion,
    EvaluationCriterion,
    OfferAttachment,
    TaskForm,
)
from ngo_platform.competitions.services import COMPETITION_FIELDS
from ngo_platform.core.bounds import bounded, bounded_text, check_lines, limit_of, say_limits
from ngo_platform.core.widgets import DateInput, DateTimeInput
from ngo_platform.territory.models import Authority, Sphere


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
    note = bounded_text(
        CompetitionVersion,
        "note",
        label=_("What is corrected and why"),
        required=False,
        rows=3,
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
            "task_start": DateInput(),
            "task_end": DateInput(),
            "selection_deadline": DateInput(),
            "offers_deadline": DateTimeInput(seconds=True),
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
        say_limits(self)

    def clean_required_attachments(self):
        # Each line names an attachment of the offers.
        return check_lines(self.cleaned_data["required_attachments"], limit_of(OfferAttachment, "name"))

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
    name = bounded(limit_of(EvaluationCriterion, "name"), label=_("Criterion"), required=False)
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


class AnnulmentForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Ground of the annulment"), widget=forms.RadioSelect, choices=AnnulmentGround.choices
    )
    reason = bounded_text(
        Competition,
        "annulment_reason",
        label=_("Reason"),
        help_text=_(
            "Published on the competition's page and sent to the organisations with offers (art. 18a ust. 2 UDPP)."
        ),
    )
    confirm = forms.BooleanField(label=_("I understand that the annulment cannot be undone."))
