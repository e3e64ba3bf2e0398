from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.accounts import services
from ngo_platform.accounts.forms import ProfileForm
from ngo_platform.accounts.models import AuthorityMembership, OrganisationMembership
from ngo_platform.accounts.selectors import memberships_of
from ngo_platform.notifications import selectors as notification_selectors


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial={"display_name": user.display_name, "public_title": user.public_title},
    )
    if request.method == "POST" and form.is_valid():
        services.user_name_set(actor=user, user=user, **form.cleaned_data)
        messages.success(request, _("Your name has been saved: others now see it."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": memberships_of(user=user),
            "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        },
    )


@login_required
def notifications(request):
    """Which e-mails the platform sends the person, where to, and where each kind is switched."""
    return render(
        request,
        "accounts/notifications.html",
        {
            "primary_email": EmailAddress.objects.get_primary_email(request.user) or request.user.email,
            **notification_selectors.settings_of(request.user),
        },
    )


@require_POST
@login_required
def membership_publicity(request, pk, kind="organizacja"):
    """Show or hide one's name on the organisation's profile or (kind "urzad") on the authority's page."""
    model = AuthorityMembership if kind == "urzad" else OrganisationMembership
    membership = get_object_or_404(model, pk=pk, user=request.user)
    services.membership_publicity_set(
        actor=request.user, membership=membership, is_public=request.POST.get("is_public") == "1"
    )
    return redirect("accounts:profile")
