"""The one way views ask the rules: log in first, then 403 if the rule says no; and the id a form posted."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404


def refusal(request, perm: str | None = None, obj=None):
    """None when the person may go on; the login redirect for anonymous visitors; PermissionDenied (403)
    when a signed-in person lacks `perm` (checked on `obj`). Use: `if (r := refusal(...)) is not None: return r`."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if perm and not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return None


def hidden_refusal(request, perm: str, obj):
    """Like `refusal`, for what is not even named to those who may not see it (a members-only group's work): the
    login redirect for visitors (a member may not be signed in yet), a 404 for anyone else signed in."""
    if request.user.has_perm(perm, obj):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def check_permission(actor, perm: str, obj) -> None:
    """A service's own check of the rule (the pages ask it too, but a service may be called from elsewhere)."""
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def posted_id(request) -> int:
    """The object id a form posted (`id`); a missing or non-numeric one is a 404, not a server error."""
    value = request.POST.get("id", "")
    if not value.isdigit():
        raise Http404
    return int(value)
