"""Officers and platform administrators must set up TOTP before they can do anything else."""

import rules
from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

# Paths a person without two-factor authentication may still open: setting it up, signing out,
# re-authenticating (allauth asks for the password again before TOTP setup), static files, and the language and display switches.
ALLOWED_PREFIXES = ("/konto/2fa/", "/konto/reauthenticate/", "/konto/logout/", "/static/", "/i18n/", "/wyswietlanie/")


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and must_use_mfa(user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def must_use_mfa(user) -> bool:
    """The rule `accounts.must_use_mfa` (accounts/rules.py), asked of the rules alone: `user.has_perm` would fall
    through to Django's ModelBackend for everyone the rule answers "no" (nearly every signed-in person) and cost
    that backend's two permission queries on every request."""
    return rules.has_perm("accounts.must_use_mfa", user)
