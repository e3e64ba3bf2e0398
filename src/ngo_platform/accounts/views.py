from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ngo_platform.accounts import services
from ngo_platform.accounts.models import OrganisationMembership
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


@require_POST
@login_required
def membership_publicity(request, pk):
    membership = get_object_or_404(OrganisationMembership, pk=pk, user=request.user)
    services.organisation_membership_publicity_set(
        actor=request.user, membership=membership, is_public=request.POST.get("is_public") == "1"
    )
    return redirect("accounts:profile")
