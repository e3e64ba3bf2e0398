from django import forms
from django.utils.translation import gettext_lazy as _

from ngo_platform.accounts.models import DISPLAY_NAME_MAX_LENGTH, PUBLIC_TITLE_MAX_LENGTH, User
from ngo_platform.core.bounds import say_limit


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


class PersonNameForm(forms.Form):
    """The name others see instead of the e-mail address, and an optional title (sign-up and profile)."""

    # Each with its own message (core.bounds.say_limit keeps it) and the hint of the limit.
    display_name = say_limit(
        forms.CharField(
            label=_("Your name"),
            max_length=DISPLAY_NAME_MAX_LENGTH,
            help_text=_(
                "Your first name and surname, or the name you are known by. Others see it next to your comments, "
                "offers and decisions instead of your e-mail address."
            ),
            error_messages={
                "required": _("Enter your name: others see it instead of your e-mail address."),
                "max_length": _("The name can have at most %(limit_value)d characters (it has %(show_value)d)."),
            },
            widget=forms.TextInput(attrs={"autocomplete": "name"}),
        )
    )
    public_title = say_limit(
        forms.CharField(
            label=_("Title or organisation (optional)"),
            max_length=PUBLIC_TITLE_MAX_LENGTH,
            required=False,
            help_text=_("Shown next to your name, e.g. “President of the Friends of the Brzeg Land Association”."),
            error_messages={
                "max_length": _("The title can have at most %(limit_value)d characters (it has %(show_value)d)."),
            },
            widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        )
    )

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if "@" in name:
            raise forms.ValidationError(_("Enter a name, not an e-mail address: others will see it."))
        return name

    def clean_public_title(self):
        return " ".join(self.cleaned_data["public_title"].split())


class SignupForm(PersonNameForm):
    """The fields allauth's sign-up form adds to its own (ACCOUNT_SIGNUP_FORM_CLASS); the adapter saves them."""

    field_order = ["display_name", "public_title", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        """Nothing left to do: `AccountAdapter.save_user` stored the name with the account."""


class ProfileForm(PersonNameForm):
    """A person changes their name and title on the profile page."""
