"""The size of a draft imported from a file; attachments are checked by `core.uploads.check_document`."""

DRAFT_MAX_BYTES = 10 * 1024 * 1024
