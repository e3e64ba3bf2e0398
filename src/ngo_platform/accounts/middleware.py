"""Officers and platform administrators must set up TOTP before they can do anything else."""

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
            and user.has_perm("accounts.must_use_mfa")
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
