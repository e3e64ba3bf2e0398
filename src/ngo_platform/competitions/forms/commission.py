"""Forms of the commission: appointing a member, the member's declaration, the score card."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ngo_platform.accounts.forms import AccountByEmailForm
from ngo_platform.competitions.models import CommissionRole, Score
from ngo_platform.core.bounds import TITLE, bounded, bounded_text
from ngo_platform.organisations.models import Organisation


class AppointForm(AccountByEmailForm):
    role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect, choices=CommissionRole.choices)
    nominated_by = bounded(
        TITLE,
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
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)  # a SHA-256 in hex
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
            self.fields[f"comment_{criterion.pk}"] = bounded_text(
                Score,
                "comment",
                label=_("Justification of the points for criterion %(n)s") % {"n": criterion.position},
                rows=3,
                initial=score.comment if score else "",
                error_messages={"required": _("Justify the points: the applicant reads the justification.")},
            )

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            c.pk: (self.cleaned_data[f"points_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"]) for c in self.criteria
        }
