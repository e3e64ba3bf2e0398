"""Whole-page caching of public pages for visitors who are not signed in.

A list page such as the directory renders the same HTML for every anonymous visitor with the same
address, language and display preferences, until the data change. The key includes a version that the
data's services bump on every write, so a cached page is never stale after a write commits.

Pages cached this way must not hold per-visitor content: anonymous pages carry no CSRF token
(the display and language switches are CSRF-exempt, see docs/decisions/0007-page-cache.md).
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import get_language

from ngo_platform.core import preferences

DEFAULT_TIMEOUT = 300


class DataVersion:
    """A number kept in the cache under `key` that changes after every committed write of some data: pages,
    totals and counts cached under it are never served stale once the write has committed."""

    def __init__(self, key: str):
        self.key = key

    def current(self) -> int:
        version = cache.get(self.key)
        if version is None:
            version = 1
            cache.add(self.key, version, timeout=None)
        return version

    def bump(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:
            cache.set(self.key, 2, timeout=None)

    def bump_on_commit(self) -> None:
        """Bump once the current transaction commits (readers never cache what a rollback would undo)."""
        transaction.on_commit(self.bump)


def _has_pending_messages(request) -> bool:
    return bool(request.COOKIES.get("messages")) or (
        settings.SESSION_COOKIE_NAME in request.COOKIES and "_messages" in request.session
    )


def cache_anonymous_page(*versions: DataVersion, clock_seconds: int | None = None, timeout: int = DEFAULT_TIMEOUT):
    """Cache the view's page for anonymous visitors, keyed by the versions of the data it shows (read fresh on
    every request) and, with `clock_seconds`, by the clock's tick: a page whose lists are chosen by their dates
    (open until...) is then not served longer than that after a deadline.

    A hit costs one cache round trip: the versions and the page stored under the versions this process saw last
    are fetched together; only when a version has moved is the page looked up again.
    """
    keys = [version.key for version in versions]

    def decorator(view):
        last_seen: dict[str, tuple] = {}

        def page_key(request, data_versions: tuple, tick: int) -> str:
            display = preferences.read(request)
            raw_key = (
                f"{data_versions}|{tick}|{get_language()}|{display['high_contrast']}|{display['font_size']}"
                f"|{request.get_full_path()}"
            )
            return f"page:{view.__module__}.{view.__name__}:{hashlib.sha256(raw_key.encode()).hexdigest()}"

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "GET" or request.user.is_authenticated or _has_pending_messages(request):
                return view(request, *args, **kwargs)
            tick = int(time.time()) // clock_seconds if clock_seconds else 0
            guessed_key = page_key(request, last_seen["versions"], tick) if "versions" in last_seen else None
            found = cache.get_many([*keys, guessed_key] if guessed_key else keys)
            content = None
            key = guessed_key
            if guessed_key and tuple(found.get(name) for name in keys) == last_seen["versions"]:
                content = found.get(guessed_key)
            if content is None:
                data_versions = tuple(
                    found[version.key] if version.key in found else version.current() for version in versions
                )
                last_seen["versions"] = data_versions
                key = page_key(request, data_versions, tick)
                if key != guessed_key:
                    content = cache.get(key)
            if content is not None:
                return HttpResponse(content, content_type="text/html; charset=utf-8")
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, response.content, timeout)
            return response

        return wrapped

    return decorator
