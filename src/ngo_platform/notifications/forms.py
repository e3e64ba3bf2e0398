from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ngo_platform.organisations.selectors import current_spheres
from ngo_platform.territory.models import Authority, TerritorialUnit, UnitLevel


class FollowForm(forms.Form):
    authority = forms.ModelChoiceField(label=_("Authority"), queryset=Authority.objects.none(), required=False)
    unit = forms.ModelChoiceField(
        label=_("Territory (powiat or gmina, with everything in it)"),
        queryset=TerritorialUnit.objects.none(),
        required=False,
    )
    sphere = forms.ModelChoiceField(label=_("Sphere of public tasks"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Authority.objects.select_related("unit").order_by("unit__teryt")
        self.fields["unit"].queryset = TerritorialUnit.objects.filter(
            level__in=[UnitLevel.POWIAT, UnitLevel.GMINA]
        ).order_by("teryt")
        self.fields["sphere"].queryset = current_spheres()

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in ("authority", "unit", "sphere") if cleaned.get(name)]
        if len(chosen) != 1:
            raise ValidationError(_("Choose exactly one thing to follow: an authority, a territory or a sphere."))
        return cleaned


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(label=_("Send me e-mails about what I follow"), required=False)
    daily_digest = forms.BooleanField(label=_("One daily digest instead of separate e-mails"), required=False)
