from django import forms
from django.utils.translation import gettext_lazy as _

from ngo_platform.accounts.models import User


class AccountByEmailForm(forms.Form):
    """Names a person by the e-mail of their active account on the platform (a commission or committee
    member); after validation `self.user` is that account."""

    email = forms.EmailField(label=_("E-mail of the person's account on the platform"))

    def clean_email(self):
        self.user = User.objects.filter(email__iexact=self.cleaned_data["email"], is_active=True).first()
        if self.user is None:
            raise forms.ValidationError(
                _("No active account with this e-mail: the person must create an account first.")
            )
        return self.cleaned_data["email"]
