from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ngo_platform.accounts.selectors import memberships_of


@login_required
def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": memberships_of(user=request.user),
            "has_totp": Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists(),
        },
    )
