"""The directory's data version: every cached page, total and facet count of the directory is keyed by
it, and it changes after every committed write of organisations (`search.index_organisations` bumps it,
since every writer re-indexes; writes that do not touch the index call `directory_changed` themselves)."""

from django.core.cache import cache
from django.db import transaction

DIRECTORY_VERSION_KEY = "organisations:directory-version"


def directory_version() -> int:
    """A number that changes whenever any organisation changes."""
    version = cache.get(DIRECTORY_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(DIRECTORY_VERSION_KEY, version, timeout=None)
    return version


def directory_changed() -> None:
    """Invalidate every cached page, total and facet count of the directory."""
    try:
        cache.incr(DIRECTORY_VERSION_KEY)
    except ValueError:
        cache.set(DIRECTORY_VERSION_KEY, 2, timeout=None)


def directory_changes_on_commit() -> None:
    """Bump the version once the current transaction commits (readers never cache pre-commit data)."""
    transaction.on_commit(directory_changed)
