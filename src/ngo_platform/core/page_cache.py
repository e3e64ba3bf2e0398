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


def cache_anonymous_page(*, version: Callable[[], object], timeout: int = DEFAULT_TIMEOUT):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "GET" or request.user.is_authenticated or _has_pending_messages(request):
                return view(request, *args, **kwargs)
            display = preferences.read(request)
            raw_key = f"{version()}|{get_language()}|{display['high_contrast']}|{display['font_size']}|{request.get_full_path()}"
            key = f"page:{view.__module__}.{view.__name__}:{hashlib.sha256(raw_key.encode()).hexdigest()}"
            content = cache.get(key)
            if content is not None:
                return HttpResponse(content, content_type="text/html; charset=utf-8")
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, response.content, timeout)
            return response

        return wrapped

    return decorator
