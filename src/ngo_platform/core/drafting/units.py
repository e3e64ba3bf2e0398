"""The draft as rows: flattening the parser's tree, canonical citations, and the text of a subtree.

Pure functions (no database), used by the services and selectors.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Units that organise the act into parts; a basic unit's citation does not mention them.
SYSTEMATISING = ("dzial", "rozdzial", "oddzial")
PREFIX = {
    "dzial": "Dział {}",
    "rozdzial": "Rozdział {}",
    "oddzial": "Oddział {}",
    "artykul": "art. {}",
    "paragraf": "§ {}",
    "ustep": "ust. {}",
    "punkt": "pkt {}",
    "litera": "lit. {}",
    "tiret": "tiret {}",
    "zalacznik": "Załącznik nr {}",
}
# How a unit's label is written in the text ("§ 3.", "2)", "a)").
LABEL_FORMAT = {
    "dzial": "Dział {}",
    "rozdzial": "Rozdział {}",
    "oddzial": "Oddział {}",
    "artykul": "Art. {}.",
    "paragraf": "§ {}.",
    "ustep": "{}.",
    "punkt": "{})",
    "litera": "{})",
    "tiret": "–",
    "zalacznik": "Załącznik nr {}",
}


@dataclass
class Row:
    position: int
    parent: int | None  # position of the parent row
    depth: int
    kind: str
    label: str
    title: str
    text: str
    citation: str


def cite(chain: Sequence[tuple[str, str]]) -> str:
    """The canonical citation of the last unit of `chain` [(kind, label), …] from the top.

    "§ 3 ust. 2 pkt 4 lit. a"; a chapter is "Rozdział II"; inside an annex: "Załącznik nr 1 § 2".
    """
    if not chain:
        return ""
    own_kind = chain[-1][0]
    parts = []
    for kind, label in chain:
        if kind == "zalacznik":
            parts = [PREFIX[kind].format(label).strip()]
        elif kind in SYSTEMATISING:
            if own_kind in SYSTEMATISING:
                parts.append(PREFIX[kind].format(label).strip())
        elif kind in PREFIX and label:
            parts.append(PREFIX[kind].format(label))
        elif kind == "preamble":
            parts.append("preambuła")
        elif kind == "podpis":  # the signature of the act or of its annex
            parts.append("Podpis")
        elif kind == "uzasadnienie":
            parts = ["Uzasadnienie"]
    return " ".join(parts)


def flatten(root) -> list[Row]:
    """The parser's tree (`drafting.Unit`, root of kind "document") as rows in document order."""
    rows: list[Row] = []

    def visit(unit, parent: int | None, depth: int, chain: list[tuple[str, str]]) -> None:
        for child in unit.children:
            here = [*chain, (child.kind, child.label)]
            row = Row(
                position=len(rows),
                parent=parent,
                depth=depth,
                kind=child.kind,
                label=child.label or "",
                title=child.title or "",
                text=child.text or "",
                citation=child.citation
                or (cite(here) if child.kind != "text" else rows[parent].citation if parent is not None else ""),
            )
            rows.append(row)
            visit(child, row.position, depth + 1, here)

    visit(root, None, 0, [])
    return rows


def heading(unit) -> str:
    """How a unit starts in the text: "§ 3.", "Rozdział II – Cele programu"."""
    template = LABEL_FORMAT.get(unit.kind)
    head = template.format(unit.label) if template and (unit.label or unit.kind == "tiret") else ""
    if unit.title:
        head = f"{head} {unit.title}".strip() if head else unit.title
    return head


def line(unit) -> str:
    return " ".join(part for part in (heading(unit), unit.text) if part)


def subtree_text(units: Sequence, index: int) -> str:
    """The unit at `index` of the ordered `units` with all its descendants, one unit per line."""
    first = units[index]
    lines = [line(first)]
    for unit in units[index + 1 :]:
        if unit.depth <= first.depth:
            break
        lines.append("  " * (unit.depth - first.depth) + line(unit))
    return "\n".join(part for part in lines if part.strip())


WORD = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level difference: [("same" | "removed" | "added", text), …]."""
    a, b = old.split(), new.split()
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("same", " ".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("removed", " ".join(a[i1:i2])))
            if j2 > j1:
                out.append(("added", " ".join(b[j1:j2])))
    return out


def compare(old: Sequence, new: Sequence) -> list[dict]:
    """What `new` changed of `old` (two drafts' units in document order, anything with kind, label, title, text,
    citation and depth), unit by unit: [{"citation", "status": "same" | "changed" | "added" | "removed", "old",
    "new", "diff": word_diff}], in the order of the text. Units are paired by citation, in order (a citation
    repeated, as unlabelled texts are, pairs its occurrences one by one), so a unit inserted or dropped shifts
    nothing else; a unit is known by its kind and citation (or, without one, its label)."""
    keys_old, keys_new = [_key(unit) for unit in old], [_key(unit) for unit in new]
    out: list[dict] = []
    matcher = difflib.SequenceMatcher(a=keys_old, b=keys_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(_paired(a, b) for a, b in zip(old[i1:i2], new[j1:j2], strict=True))
            continue
        out.extend(_alone(unit, "removed") for unit in old[i1:i2])
        out.extend(_alone(unit, "added") for unit in new[j1:j2])
    return out


def _key(unit) -> tuple[str, ...]:
    return (unit.kind, unit.citation or unit.label)


def _paired(a, b) -> dict:
    before, after = line(a), line(b)
    citation = a.citation or a.label
    if normalised(before) == normalised(after):
        return {"citation": citation, "status": "same", "old": before, "new": after, "diff": [("same", after)]}
    return {"citation": citation, "status": "changed", "old": before, "new": after, "diff": word_diff(before, after)}


def _alone(unit, status: str) -> dict:
    text = line(unit)
    return {
        "citation": unit.citation or unit.label,
        "status": status,
        "old": text if status == "removed" else "",
        "new": text if status == "added" else "",
        "diff": [(status, text)],
    }


def summary(rows: Iterable[dict]) -> dict[str, int]:
    """How many units of a comparison are changed, added, removed and the same."""
    counts = {"changed": 0, "added": 0, "removed": 0, "same": 0}
    for row in rows:
        counts[row["status"]] += 1
    return counts


def normalised(text: str) -> str:
    return " ".join(text.split())


def group_identical(comments: Iterable) -> dict[tuple, list]:
    """Comments with the same unit and the same proposal and justification (ignoring spacing and case)."""
    groups: dict[tuple, list] = {}
    for comment in comments:
        key = (comment.unit_id, normalised(comment.proposed_wording).lower(), normalised(comment.justification).lower())
        groups.setdefault(key, []).append(comment)
    return groups
