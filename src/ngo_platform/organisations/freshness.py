"""The directory's data version: every cached page, total and facet count of the directory is keyed by
it, and it changes after every committed write of organisations (`search.index_organisations` bumps it,
since every writer re-indexes; writes that do not touch the index call `directory_changed` themselves)."""

from ngo_platform.core.page_cache import DataVersion

DIRECTORY = DataVersion("organisations:directory-version")
directory_version = DIRECTORY.current
directory_changed = DIRECTORY.bump
directory_changes_on_commit = DIRECTORY.bump_on_commit
