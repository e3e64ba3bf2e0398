"""Whole-page caching of public pages for visitors who are not signed in.

A list page such as the directory renders the same HTML for every anonymous visitor with the same
address, language and display preferences, until the data change. The key includes a version that the
data's services bump on every write, so a cached page is never stale after a write commits.

Pages cached this way must not hold per-visitor content: anonymous pages carry no CSRF token
(the display and language switches are CSRF-exempt, see docs/decisions/0007-page-cache.md).
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

from ngo_platform.core import preferences

DEFAULT_TIMEOUT = 300


def _has_pending_messages(request) -> bool:
    return bool(request.COOKIES.get("messages")) or (
        settings.SESSION_COOKIE_NAME in request.COOKIES and "_messages" in request.session
    )


def cache_anonymous_page(*, version: Callable[[], object], version_key: str, timeout: int = DEFAULT_TIMEOUT):
    """Cache the view's page for anonymous visitors, keyed by the data version kept under `version_key`
    (read fresh on every request; `version()` reads it, creating it if missing).

    A hit costs one cache round trip: the version and the page stored under the version this process
    saw last are fetched together; only when the version has moved is the page looked up again.
    """

    def decorator(view):
        last_seen: dict[str, object] = {}

        def page_key(request, data_version) -> str:
            display = preferences.read(request)
            raw_key = f"{data_version}|{get_language()}|{display['high_contrast']}|{display['font_size']}|{request.get_full_path()}"
            return f"page:{view.__module__}.{view.__name__}:{hashlib.sha256(raw_key.encode()).hexdigest()}"

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "GET" or request.user.is_authenticated or _has_pending_messages(request):
                return view(request, *args, **kwargs)
            content = None
            if "version" in last_seen:
                guessed_key = page_key(request, last_seen["version"])
                found = cache.get_many([version_key, guessed_key])
                if found.get(version_key) == last_seen["version"]:
                    content = found.get(guessed_key)
            if content is None:
                last_seen["version"] = data_version = version()
                key = page_key(request, data_version)
                content = cache.get(key)
            if content is not None:
                return HttpResponse(content, content_type="text/html; charset=utf-8")
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, response.content, timeout)
            return response

        return wrapped

    return decorator
