"""The error pages: 400, 403 (also a failed CSRF check), 404 and 500, in the site's layout and the request's language.

Wired in `ngo_platform/urls.py` (`handler400` … `handler500`) and `settings.CSRF_FAILURE_VIEW`. The 400, 403 and 404
pages render like any page (context processors, the signed-in person). Should that fail (the database is down, a
context processor raises), they fall back to the same template rendered without the request context, as the 500
page always is: it needs only the templates, the URLconf and the cookies. The last resort is a short bilingual page
in plain HTML. What happened is said on the page; the log line is written by Django (`core.logging`).
"""

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import render, resolve_url
from django.template import loader
from django.utils import translation
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from ngo_platform.core import preferences

logger = logging.getLogger(__name__)

# When even the plain template fails: no template, no URL reversing, no translation machinery.
LAST_RESORT = """<!DOCTYPE html>
<html lang="pl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{status} – {site}</title></head><body><main>
<h1>Wystąpił błąd ({status})</h1><p>Spróbuj ponownie za kilka minut. <a href="/">Strona główna</a></p>
<h2 lang="en">An error occurred ({status})</h2><p lang="en">Please try again in a few minutes. <a href="/">Home</a></p>
</main></body></html>
"""


def bad_request(request, exception):
    return _page(request, "400.html", 400)


def permission_denied(request, exception):
    """403: log in (and come back) when anonymous; otherwise the refusal's message, if it has one, and whom to ask."""
    message = str(exception) if exception is not None else ""
    return _page(request, "403.html", 403, {"message": message, **_ways_on(request)})


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (expired session, blocked cookies): say so and how to send it again."""
    return _page(request, "403.html", 403, {"csrf": True, **_ways_on(request)})


def page_not_found(request, exception):
    return _page(request, "404.html", 404, _ways_on(request))


def server_error(request):
    """500: rendered without the request context (no database, no context processors)."""
    return _bare(request, "500.html", 500, {})


def _ways_on(request) -> dict:
    """The login address that comes back here, and the previous page when it is ours."""
    query = urlencode({"next": request.get_full_path()})
    back = request.META.get("HTTP_REFERER", "")
    try:
        ours = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) and (
            back != request.build_absolute_uri()
        )
    except Exception:  # a host not allowed (DisallowedHost): no way back to offer
        ours = False
    return {"login_url": f"{resolve_url(settings.LOGIN_URL)}?{query}", "back_url": back if ours else ""}


def _page(request, template: str, status: int, context: dict | None = None) -> HttpResponse:
    context = context or {}
    try:
        return render(request, template, context, status=status)
    except Exception:
        logger.exception("The %s page could not be rendered with the request context; rendering it without.", status)
        return _bare(request, template, status, context)


def _bare(request, template: str, status: int, context: dict) -> HttpResponse:
    """The template without context processors: an anonymous visitor, the display and language cookies only."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            content = loader.get_template(template).render(
                {
                    "request": request,
                    "user": AnonymousUser(),
                    "site_name": settings.NGO_SITE_NAME,
                    "display": preferences.read(request),
                    "bare": True,
                    **context,
                }
            )
    except Exception:
        logger.exception("The %s page could not be rendered; answering with the plain one.", status)
        content = LAST_RESORT.format(status=status, site=escape(settings.NGO_SITE_NAME))
    response = HttpResponse(content, status=status)
    response.headers["Content-Language"] = language
    return response
