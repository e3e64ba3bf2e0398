"""The draft's units: imported from the parser's tree, corrected (merged, split, relabelled) before the
consultation opens; and the adopted text attached after it closes."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ngo_platform.consultations.models import Consultation, DraftUnit
from ngo_platform.consultations.services import clock
from ngo_platform.consultations.services.common import S, check_officer, lock_consultation
from ngo_platform.consultations.workflows import ConsultationError
from ngo_platform.core.drafting import units as unitlib
from ngo_platform.core.drafting.models import store_rows
from ngo_platform.core.services import audit_log

OFFSET = 1_000_000  # positions are moved out of the way before renumbering (unique per consultation)


def _editable_draft(consultation: Consultation) -> Consultation:
    consultation = lock_consultation(consultation)
    if not consultation.before_opening:
        raise ConsultationError(_("The draft can be corrected only before the consultation opens."))
    return consultation


def draft_import(*, actor, consultation: Consultation, root, source: str) -> int:
    """Replace the draft's units with the parser's tree (`drafting.Unit`); only before opening."""
    check_officer(actor, consultation)
    rows = unitlib.flatten(root)
    if not rows:
        raise ConsultationError(_("No text was found in the draft."), field="text")
    with transaction.atomic():
        consultation = _editable_draft(consultation)
        replaced = consultation.units.count()
        consultation.units.all().delete()
        store_rows(rows, partial(DraftUnit, consultation=consultation), consultation.units)
        consultation.draft_source = source[:255]
        consultation.save(update_fields=["draft_source"])
        audit_log(
            actor=actor,
            action="consultations.draft_import",
            target=consultation,
            acting_for=consultation.authority,
            details={"source": source, "units": len(rows), "replaced": replaced},
        )
    return len(rows)


def _load_units(consultation: Consultation) -> list[DraftUnit]:
    return list(consultation.units.order_by("position"))


def _recite(units: list[DraftUnit], start: DraftUnit) -> None:
    """Recompute the citations of `start` and its descendants from their ancestors' kinds and labels."""
    by_id = {unit.pk: unit for unit in units if unit.pk}

    def chain(unit) -> list[tuple[str, str]]:
        out = []
        while unit is not None:
            out.append((unit.kind, unit.label))
            unit = by_id.get(unit.parent_id) if unit.parent_id else None
        return out[::-1]

    index = units.index(start)
    for unit in [start, *_descendants(units, index)]:
        if unit.kind == "text":
            parent = by_id.get(unit.parent_id) if unit.parent_id else None
            unit.citation = parent.citation if parent is not None else ""
        else:
            unit.citation = unitlib.cite(chain(unit))[:200]


def _descendants(units: list[DraftUnit], index: int) -> list[DraftUnit]:
    out = []
    for unit in units[index + 1 :]:
        if unit.depth <= units[index].depth:
            break
        out.append(unit)
    return out


def _save_order(consultation: Consultation, units: list[DraftUnit]) -> None:
    """Store the units in the given order with positions 0…n-1."""
    consultation.units.update(position=F("position") + OFFSET)
    for index, unit in enumerate(units):
        unit.position = index
    DraftUnit.objects.bulk_update(
        units, ["position", "parent", "depth", "label", "title", "text", "citation"], batch_size=500
    )


def unit_merge_previous(*, actor, unit: DraftUnit) -> DraftUnit:
    """Merge a unit into the previous unit at the same level (or, if it is the first there, into its parent).

    Its text is appended to the other's text and its children move under the other.
    """
    consultation = unit.consultation
    check_officer(actor, consultation)
    with transaction.atomic():
        consultation = _editable_draft(consultation)
        units = _load_units(consultation)
        index = next(i for i, u in enumerate(units) if u.pk == unit.pk)
        unit = units[index]
        target = None
        for candidate in reversed(units[:index]):
            if candidate.depth < unit.depth:
                break
            if candidate.depth == unit.depth and candidate.parent_id == unit.parent_id:
                target = candidate
                break
        into_parent = target is None
        if into_parent:
            target = next((u for u in units if u.pk == unit.parent_id), None)
            if target is None:
                raise ConsultationError(_("This is the first unit of the document: there is nothing to merge it with."))
        children = _descendants(units, index)
        target.text = "\n".join(part for part in (target.text, unit.text) if part)
        if unit.title and not target.title:
            target.title = unit.title
        for child in children:
            if child.parent_id == unit.pk:
                child.parent_id = target.pk
            if into_parent:
                child.depth -= 1
        units.pop(index)
        DraftUnit.objects.filter(parent=unit).update(parent=target)
        unit.delete()
        for child in children:
            if child.parent_id == target.pk:
                _recite(units, child)
        _save_order(consultation, units)
        audit_log(
            actor=actor,
            action="consultations.unit_merge",
            target=consultation,
            acting_for=consultation.authority,
            details={"merged": unit.citation or unit.label, "into": target.citation or target.label, "unit": target.pk},
        )
    return target


def unit_split(*, actor, unit: DraftUnit, at: int, label: str = "") -> DraftUnit:
    """Split a unit's text at character `at`: the rest becomes a new unit of the same kind right after it."""
    consultation = unit.consultation
    check_officer(actor, consultation)
    with transaction.atomic():
        consultation = _editable_draft(consultation)
        units = _load_units(consultation)
        index = next(i for i, u in enumerate(units) if u.pk == unit.pk)
        unit = units[index]
        head, tail = unit.text[:at].rstrip(), unit.text[at:].strip()
        if at <= 0 or at >= len(unit.text) or not head or not tail:
            raise ConsultationError(
                _("Choose a place inside the unit's text: both parts must keep some text."), field="at"
            )
        unit.text = head
        new = DraftUnit(
            consultation=consultation,
            position=OFFSET * 2 + len(units),
            parent_id=unit.parent_id,
            depth=unit.depth,
            kind=unit.kind,
            label=label.strip()[:40],
            text=tail,
        )
        new.save()
        after = index + 1 + len(_descendants(units, index))
        units.insert(after, new)
        _recite(units, new)
        _save_order(consultation, units)
        audit_log(
            actor=actor,
            action="consultations.unit_split",
            target=consultation,
            acting_for=consultation.authority,
            details={"unit": unit.pk, "new": new.pk, "at": at, "citation": unit.citation, "new_citation": new.citation},
        )
    return new


def unit_relabel(*, actor, unit: DraftUnit, label: str, title: str | None = None, text: str | None = None) -> DraftUnit:
    """Correct a unit's label (and heading or text); the citations of it and its descendants follow."""
    consultation = unit.consultation
    check_officer(actor, consultation)
    with transaction.atomic():
        consultation = _editable_draft(consultation)
        units = _load_units(consultation)
        index = next(i for i, u in enumerate(units) if u.pk == unit.pk)
        unit = units[index]
        before = {"label": unit.label, "title": unit.title, "citation": unit.citation}
        unit.label = label.strip()[:40]
        if title is not None:
            unit.title = title.strip()[:500]
        if text is not None:
            unit.text = text.strip()
        _recite(units, unit)
        changed = [unit, *_descendants(units, index)]
        DraftUnit.objects.bulk_update(changed, ["label", "title", "text", "citation"], batch_size=500)
        audit_log(
            actor=actor,
            action="consultations.unit_relabel",
            target=consultation,
            acting_for=consultation.authority,
            details={
                "unit": unit.pk,
                "before": before,
                "after": {"label": unit.label, "title": unit.title, "citation": unit.citation},
            },
        )
    return unit


def final_version_attach(*, actor, consultation: Consultation, root, text: str, note: str = "") -> Consultation:
    """Attach the adopted text (parsed like the draft) after the consultation closed."""
    check_officer(actor, consultation)
    rows = unitlib.flatten(root)
    if not rows:
        raise ConsultationError(_("No text was found in the adopted act."), field="text")
    with transaction.atomic():
        consultation = lock_consultation(consultation)
        if consultation.state not in (S.CLOSED, S.ANSWERED, S.ARCHIVED):
            raise ConsultationError(_("The adopted text is attached after the consultation closes."))
        consultation.final_text = text
        consultation.final_units = [
            {
                "citation": r.citation,
                "kind": r.kind,
                "label": r.label,
                "title": r.title,
                "text": r.text,
                "depth": r.depth,
            }
            for r in rows
        ]
        consultation.final_note = note.strip()[:300]
        consultation.final_attached_at = clock.now()
        consultation.save(update_fields=["final_text", "final_units", "final_note", "final_attached_at"])
        audit_log(
            actor=actor,
            action="consultations.final_version_attach",
            target=consultation,
            acting_for=consultation.authority,
            details={"units": len(rows), "note": consultation.final_note},
        )
    return consultation
