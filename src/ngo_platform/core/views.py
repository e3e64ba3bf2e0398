from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ngo_platform.community import selectors as community
from ngo_platform.competitions import selectors as competitions
from ngo_platform.consultations import selectors as consultations
from ngo_platform.core import preferences
from ngo_platform.core.forms import AuditLogFilterForm, DisplayPreferencesForm
from ngo_platform.core.page_cache import cache_anonymous_page
from ngo_platform.core.permissions import refusal
from ngo_platform.core.selectors import audit_entries
from ngo_platform.elections import selectors as elections
from ngo_platform.organisations import freshness as organisations
from ngo_platform.territory.selectors import home_page

# What the home page shows, whose writes invalidate its cached copy; and the clock: its lists are chosen by their
# dates (open until, offers until), so a page rendered before a deadline is not served a minute after it.
HOME_SHOWS = (
    organisations.DIRECTORY,
    competitions.LIST,
    consultations.PUBLIC,
    elections.PUBLIC,
    community.NEWS_VERSION,
)


@cache_anonymous_page(*HOME_SHOWS, clock_seconds=60)
def home(request):
    """What is open now: consultations, competitions, elections, the latest news, the directory's search and the
    counts."""
    return render(request, "core/home.html", home_page(now=timezone.now()))


def about(request):
    return render(request, "core/about.html", {"operator": _operator()})


def accessibility_statement(request):
    return render(request, "core/accessibility.html", {"operator": _operator()})


def privacy(request):
    return render(request, "core/privacy.html", {"operator": _operator()})


def _operator() -> dict:
    return {
        "name": settings.NGO_OPERATOR_NAME,
        "address": settings.NGO_OPERATOR_ADDRESS,
        "contact_person": settings.NGO_CONTACT_PERSON,
        "contact_email": settings.NGO_CONTACT_EMAIL,
        "contact_phone": settings.NGO_CONTACT_PHONE,
        "dpo_email": settings.NGO_DPO_EMAIL,
        "published": settings.NGO_ACCESSIBILITY_PUBLISHED,
        "updated": settings.NGO_ACCESSIBILITY_UPDATED,
        "reviewed": settings.NGO_ACCESSIBILITY_REVIEWED,
    }


@csrf_exempt  # sets only presentation cookies; lets public pages be cached without tokens (decision 0007)
@require_POST
def display_preferences(request):
    """Switch high contrast or font size; a plain form post, so it works without JavaScript."""
    form = DisplayPreferencesForm(request.POST)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if form.is_valid():
        options = {
            "max_age": preferences.COOKIE_AGE,
            "samesite": "Lax",
            "secure": request.is_secure(),
            "httponly": True,
        }
        if form.cleaned_data["contrast"]:
            response.set_cookie(preferences.CONTRAST_COOKIE, form.cleaned_data["contrast"], **options)
        if form.cleaned_data["font"]:
            response.set_cookie(preferences.FONT_COOKIE, form.cleaned_data["font"], **options)
    return response


AUDIT_PAGE_SIZE = 50


def audit_log_list(request):
    if (response := refusal(request, "core.view_audit_log")) is not None:
        return response
    form = AuditLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(
        action=filters.get("action") or "",
        actor=filters.get("actor"),
        acting_for=filters.get("acting_for") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    return render(request, "core/audit_log.html", {"form": form, "page": page, "query": query.urlencode()})
