"""The fields every stored draft shares, whoever holds it: a consultation's draft (`consultations.DraftUnit`), a
version of a working group's document (`workgroups.VersionUnit`); and the comment in the standard form (current
wording, proposed wording, justification; domain.md §C) made on one of their units.

Abstract models only: each module keeps its own table and says what a unit belongs to. `store_rows` writes the
parser's rows (`units.flatten`) as units of any of them, so a draft read from a file is stored one way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import models
from django.utils.translation import gettext_lazy as _

from ngo_platform.core.drafting.units import Row, subtree_text

# A draft act with its annexes, pasted or read from a file (at most 10 MB): 300,000 characters is some 150
# pages. A unit of it is never longer than the whole.
DRAFT_TEXT_LIMIT = 300_000
UNIT_LIMITS = {"text": DRAFT_TEXT_LIMIT}
# The longest texts of a comment: a unit's wording, a proposal and its reasons, not a treatise; reports print
# them all.
STANDARD_COMMENT_LIMITS = {"current_wording": 10_000, "proposed_wording": 5_000, "justification": 5_000}


class UnitFields(models.Model):
    """One editorial unit (rozdział, §, ust., pkt, lit., …) of a stored draft, in document order.

    `position` is the pre-order index (0-based) within its draft; `parent` and `depth` keep the tree; `text` is
    the unit's own text, without its children's; `citation` is canonical ("§ 3 ust. 2 pkt 4 lit. a").
    """

    position = models.PositiveIntegerField(_("position"))
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    kind = models.CharField(_("kind"), max_length=12)
    label = models.CharField(_("label"), max_length=40, blank=True)
    title = models.CharField(_("heading"), max_length=500, blank=True)
    text = models.TextField(_("text"), max_length=UNIT_LIMITS["text"], blank=True)
    citation = models.CharField(_("citation"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.citation or self.label or self.kind


def store_rows(rows: Sequence[Row], make: Callable[..., UnitFields], manager) -> list:
    """Create the units of `rows` with `make(**fields)` (an unsaved unit of one draft) and link their parents;
    `manager` is the draft's units (`consultation.units`), in which the draft holds no units yet. Two queries
    per 500 units. A paragraph read as a heading's title longer than a heading may be is kept whole, as its
    text; a label is a number or a letter (a citation is derived from labels)."""
    model = manager.model
    title_limit = model._meta.get_field("title").max_length
    created = []
    for row in rows:
        title, text = row.title, row.text
        if len(title) > title_limit:
            title, text = "", f"{title}\n\n{text}".strip()
        created.append(
            make(
                position=row.position,
                depth=row.depth,
                kind=row.kind,
                label=row.label[:40],
                title=title,
                text=text,
                citation=row.citation[:200],
            )
        )
    model.objects.bulk_create(created, batch_size=500)
    # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35, but reading them back keeps to one way.
    created = list(manager.order_by("position"))
    for unit, row in zip(created, rows, strict=True):
        unit.parent_id = created[row.parent].pk if row.parent is not None else None
    model.objects.bulk_update(created, ["parent"], batch_size=500)
    return created


def rows_of(units: Sequence[UnitFields]) -> list[Row]:
    """Stored units (in order) as the parser's rows again: what `store_rows` takes to copy a draft elsewhere."""
    index = {unit.pk: i for i, unit in enumerate(units)}
    return [
        Row(
            position=i,
            parent=index.get(unit.parent_id) if unit.parent_id else None,
            depth=unit.depth,
            kind=unit.kind,
            label=unit.label,
            title=unit.title,
            text=unit.text,
            citation=unit.citation,
        )
        for i, unit in enumerate(units)
    ]


def unit_wording(unit: UnitFields, units) -> str:
    """The current wording of `unit` with its descendants (fills the comment form); `units` are its draft's units
    (a queryset). One query, of at most 500 units."""
    following = list(
        units.filter(position__gte=unit.position)
        .order_by("position")
        .only("depth", "kind", "label", "title", "text")[:500]
    )
    return subtree_text(following, 0)


class StandardComment(models.Model):
    """A comment on a unit (or, with none, on the whole document) in the standard form."""

    unit_citation = models.CharField(_("part of the document"), max_length=200, blank=True)
    current_wording = models.TextField(
        _("current wording"), max_length=STANDARD_COMMENT_LIMITS["current_wording"], blank=True
    )
    proposed_wording = models.TextField(
        _("proposed wording"), max_length=STANDARD_COMMENT_LIMITS["proposed_wording"], blank=True
    )
    justification = models.TextField(_("justification"), max_length=STANDARD_COMMENT_LIMITS["justification"])

    class Meta:
        abstract = True
