"""The canonical content of an offer and the checks of its sums and limits.

Canonical serialisation (docs/decisions/0010-competitions.md): the offer as a JSON object, keys sorted,
no insignificant whitespace (separators "," and ":"), non-ASCII characters written as themselves, encoded
as UTF-8; money as integer grosze, numbers of units as decimal strings with two places ("12.50"), dates
as ISO 8601 ("2026-05-01"), times as ISO 8601 in UTC with "Z". The SHA-256 of those bytes is the checksum
on the receipt and the PDF.

`offer_body` is what the applicants agree on (partners confirm its checksum); the submitted content adds
the partners' confirmations under "confirmations".

The modules: `content` (the body, its JSON and SHA-256, the submitted content), `problems` (the checks
that stop a submission, the limits of a small grant) and `changes` (what a completion changed). Every
public name is importable from here.
"""

from ngo_platform.competitions.canonical.changes import EMPTY, MONEY_KEYS, PART_LABELS, body_changes
from ngo_platform.competitions.canonical.content import (
    SCHEMA,
    SCHEMA_SIMPLIFIED,
    Totals,
    body_digest,
    canonical_json,
    content_document,
    cost_totals,
    offer_body,
    sha256_hex,
    submission_content,
    utc,
)
from ngo_platform.competitions.canonical.problems import (
    DECLARATIONS,
    Problem,
    missing_attachments,
    money_problems,
    offer_problems,
    own_contribution,
    small_grant_problems,
    split_problems,
    task_days,
)

__all__ = [
    "DECLARATIONS",
    "EMPTY",
    "MONEY_KEYS",
    "PART_LABELS",
    "SCHEMA",
    "SCHEMA_SIMPLIFIED",
    "Problem",
    "Totals",
    "body_changes",
    "body_digest",
    "canonical_json",
    "content_document",
    "cost_totals",
    "missing_attachments",
    "money_problems",
    "offer_body",
    "offer_problems",
    "own_contribution",
    "sha256_hex",
    "small_grant_problems",
    "split_problems",
    "submission_content",
    "task_days",
    "utc",
]
