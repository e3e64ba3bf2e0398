"""What a completion changed: the differences between two canonical bodies of an offer, as text for
people (money in złoty, table rows a line each, attachments with their SHA-256)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ngo_platform.core.money import format_money

EMPTY = (None, "", [])
MONEY_KEYS = frozenset(
    {
        "grant",
        "own_financial",
        "own_personal",
        "own_in_kind",
        "beneficiary_fees",
        "total",
        "actions_total",
        "administrative_total",
        "amount",
        "unit_cost",
    }
)
# Parts of the canonical content by their place in the template, for people reading the differences.
PART_LABELS = {
    "II.correspondence_address": "II",
    "II.contact.name": "II",
    "II.contact.email": "II",
    "II.contact.phone": "II",
    "III.title": "III.1",
    "III.date_from": "III.2",
    "III.date_to": "III.2",
    "III.summary": "III.3",
    "III.actions": "III.4",
    "III.expected_results": "III.5",
    "III.results": "III.6",
    "IV.previous_activity": "IV.1",
    "IV.resources": "IV.2",
    "V.A.lines": "V.A",
    "V.A.actions_total": "V.A I",
    "V.A.administrative_total": "V.A II",
    "V.A.total": "V.A III",
    "V.B.grant": "V.B 2",
    "V.B.own_financial": "V.B 3.1",
    "V.B.own_personal": "V.B 3.2",
    "V.B.own_in_kind": "V.B 3.3",
    "V.B.beneficiary_fees": "V.B 4",
    "V.B.total": "V.B",
    "V.C": "V.C",
    "VI.paid_activity": "VI",
    "VI.partners_split": "VI",
    "VI.other_info": "VI",
    "VII.signatories": "VII",
    "attachments": "",
}


def _flat(data: dict, prefix: str = "") -> dict[str, Any]:
    flat = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and path != "V.A.per_year":
            flat.update(_flat(value, path + "."))
        else:
            flat[path] = value
    return flat


def _readable(key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int) and key in MONEY_KEYS:
        return format_money(value)
    if isinstance(value, dict):
        return "; ".join(
            f"{k}: {format_money(v) if isinstance(v, int) else v}" for k, v in value.items()
        )  # V.A per year
    if isinstance(value, list):
        return "\n".join(
            " · ".join(_readable(k, v) for k, v in row.items() if v not in (None, ""))
            if isinstance(row, dict)
            else _readable(key, row)
            for row in value
        )
    return str(value)


def body_changes(before: dict, after: dict) -> dict[str, list[str]]:
    """The parts of the offer that differ between two canonical contents: {"III.1 III.title": [before,
    after]} as text for people (money in złoty, table rows a line each, attachments with their SHA-256).
    Nothing when the content before is unknown (a call recorded before contents were kept)."""
    if not before:
        return {}
    old, new = _flat(before), _flat(after)
    changes = {}
    for path in sorted(old.keys() | new.keys()):  # I, II, III, IV, V, VI, VII, then attachments
        before, after = old.get(path), new.get(path)
        if path in ("schema", "offer") or before == after or (before in EMPTY and after in EMPTY):
            continue
        key = path.rsplit(".", 1)[-1]
        label = " ".join(part for part in (PART_LABELS.get(path, ""), path) if part)
        changes[label] = [_readable(key, before), _readable(key, after)]
    return changes
