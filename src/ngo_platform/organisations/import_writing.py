"""Writing the valid rows of an import, inside its one transaction.

`write` finds the organisation each row updates (by KRS, then NIP, then REGON; a row without any
identifier: by name within the same gmina), then, unless it is a dry run or matching found errors,
bulk-updates the changed ones, bulk-creates the new ones, sets spheres, re-indexes search once and
writes ONE audit entry `organisations.import`. Every read and write is done in bulk.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from ngo_platform.core.services import audit_log
from ngo_platform.organisations import search
from ngo_platform.organisations.import_columns import IDENTIFIER_LABELS, norm, quoted
from ngo_platform.organisations.import_rows import RowPlan
from ngo_platform.organisations.models import ImportRun, Organisation
from ngo_platform.organisations.services import IDENTIFIER_FIELDS, unique_slug

UPDATE_BATCH_SIZE = 1000  # rows per UPDATE … FROM (VALUES …) on PostgreSQL
AUDIT_ACTION = "organisations.import"

Counts = tuple[int, int, int, int]  # created, updated, unchanged, new ones to complete


@dataclass
class _Existing:
    pk: int
    name: str
    identifiers: dict[str, str | None]


@dataclass
class _Known:
    """The organisations in the database: by pk, by identifier and (if rows need it) by name within a gmina."""

    existing: dict[int, _Existing]
    by_identifier: dict[str, dict[str, int]]
    by_name: dict[tuple[str, int], list[int]]

    @classmethod
    def load(cls, *, need_names: bool) -> _Known:
        known = cls(existing={}, by_identifier={key: {} for key in IDENTIFIER_FIELDS}, by_name={})
        columns = ["pk", "name", "seat_id", *IDENTIFIER_FIELDS]
        for pk, name, seat_id, *identifiers in Organisation.objects.values_list(*columns):
            known.existing[pk] = _Existing(
                pk=pk, name=name, identifiers=dict(zip(IDENTIFIER_FIELDS, identifiers, strict=True))
            )
            for key, value in zip(IDENTIFIER_FIELDS, identifiers, strict=True):
                if value:
                    known.by_identifier[key][value] = pk
            if need_names:
                known.by_name.setdefault((norm(name), seat_id), []).append(pk)
        return known


@dataclass
class _Errors:
    """Errors of matching, on the row of a plan, under the column's header as written in the file."""

    headers: dict[str, str]
    report: list[dict]
    count: int = 0

    def add(self, plan: RowPlan, key: str, reason: str) -> None:
        self.count += 1
        self.report.append(
            {"row": plan.number, "column": self.headers.get(key, key), "reason": reason, "level": "error"}
        )


@dataclass
class _Changes:
    """What the rows change in the matched organisations."""

    by_fields: dict[frozenset, list[Organisation]]  # the changed fields → the organisations changing them
    spheres: dict[int, set[int]]  # organisation pk → its new spheres
    unchanged: int
    updated_ids: set[int]


def chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _in_chunk_size() -> int:
    limit = connection.features.max_query_params
    return max(1, limit - 10) if limit else 1_000_000


def write(*, run: ImportRun, plans: list[RowPlan], headers: dict[str, str], report: list[dict], actor) -> Counts:
    """Match, then (unless dry run, or errors of a strict run) write. Inside the import transaction. A row that
    conflicts with an existing organisation is refused (an error in `report`) and the others are written."""
    known = _Known.load(need_names=any(not plan.identifiers for plan in plans))
    errors = _Errors(headers, report)
    matches, new_plans = _match(plans, known, errors)
    if errors.count and run.strict:
        return 0, 0, 0, 0

    size = _in_chunk_size()
    organisations, current_spheres = _lock_matched(matches, size)
    changes = _changes(organisations, matches, current_spheres)
    new_organisations = _new_organisations(new_plans)
    to_complete = sum(1 for organisation in new_organisations if organisation.to_complete)
    counts = (len(new_organisations), len(changes.updated_ids), changes.unchanged, to_complete)
    if run.dry_run:
        return counts

    for fields, group in changes.by_fields.items():
        _update_rows(sorted(fields), group)
    _create(new_organisations, size)
    _set_spheres(new_organisations, new_plans, changes.spheres, size)
    touched = new_organisations + [o for o in organisations if o.pk in changes.updated_ids]
    if touched:
        search.index_organisations(touched)
    _audit(run, actor, counts)
    return counts


# --- Finding existing organisations -------------------------------------------------------------


def _match(plans: list[RowPlan], known: _Known, errors: _Errors) -> tuple[dict[int, RowPlan], list[RowPlan]]:
    """The row that updates each matched organisation (pk → plan), and the rows of new organisations."""
    matches: dict[int, RowPlan] = {}
    new_plans: list[RowPlan] = []
    for plan in plans:
        found = _find(plan, known, errors)
        if found is None:
            continue
        pk, found_by = found
        if pk is None:
            new_plans.append(plan)
            continue
        match = known.existing[pk]
        if _conflicts(plan, match, found_by, errors):
            continue
        if pk in matches:
            errors.add(
                plan,
                found_by or "name",
                f"Ta sama organizacja ({quoted(match.name)}) jest już w wierszu {matches[pk].number}.",
            )
            continue
        matches[pk] = plan
    return matches, new_plans


def _find(plan: RowPlan, known: _Known, errors: _Errors) -> tuple[int | None, str | None] | None:
    """(pk, the identifier it was found by: None when by name), (None, None) for a new organisation,
    or None when the row matches ambiguously (an error is reported)."""
    hits = [
        (key, known.by_identifier[key][value])
        for key, value in plan.identifiers.items()
        if value in known.by_identifier[key]
    ]
    hits.sort(key=lambda hit: IDENTIFIER_FIELDS.index(hit[0]))  # KRS, then NIP, then REGON
    if len({pk for _key, pk in hits}) > 1:
        (key_a, pk_a), (key_b, pk_b) = hits[0], next(hit for hit in hits if hit[1] != hits[0][1])
        errors.add(
            plan,
            key_b,
            f"{IDENTIFIER_LABELS[key_a]} {plan.identifiers[key_a]} należy do organizacji "
            f"{quoted(known.existing[pk_a].name)}, a {IDENTIFIER_LABELS[key_b]} {plan.identifiers[key_b]} "
            f"do innej: {quoted(known.existing[pk_b].name)}. Popraw identyfikatory.",
        )
        return None
    if hits:
        return hits[0][1], hits[0][0]
    if plan.identifiers:
        return None, None
    candidates = known.by_name.get(plan.name_key, [])
    if len(candidates) > 1:
        errors.add(
            plan,
            "name",
            "W tej gminie jest kilka organizacji o tej nazwie: podaj KRS, NIP albo REGON, żeby wskazać właściwą.",
        )
        return None
    return (candidates[0] if candidates else None), None


def _conflicts(plan: RowPlan, match: _Existing, found_by: str | None, errors: _Errors) -> bool:
    """Whether the matched organisation has another identifier than the row (each one an error)."""
    conflict = False
    for key, value in plan.identifiers.items():
        current = match.identifiers[key]
        if current and current != value:
            how = f"po {IDENTIFIER_LABELS[found_by]} {plan.identifiers[found_by]}" if found_by else "po nazwie i gminie"
            errors.add(
                plan,
                key,
                f"Organizacja {quoted(match.name)} (dopasowana {how}) ma inny {IDENTIFIER_LABELS[key]}: "
                f"{current}, a w pliku {value}.",
            )
            conflict = True
    return conflict


# --- Updating ------------------------------------------------------------------------------------


def _lock_matched(matches: dict[int, RowPlan], size: int) -> tuple[list[Organisation], dict[int, set[int]]]:
    """Current state of the matched organisations (and their spheres, if rows set any), locked until the
    end of the transaction."""
    matched_ids = sorted(matches)
    organisations: list[Organisation] = []
    current_spheres: dict[int, set[int]] = {pk: set() for pk in matched_ids}
    through = Organisation.spheres.through
    need_spheres = any(plan.spheres is not None for plan in matches.values())
    for chunk in chunks(matched_ids, size):
        organisations.extend(Organisation.objects.select_for_update().filter(pk__in=chunk).order_by("pk"))
        if need_spheres:
            for organisation_id, sphere_id in through.objects.filter(organisation_id__in=chunk).values_list(
                "organisation_id", "sphere_id"
            ):
                current_spheres[organisation_id].add(sphere_id)
    return organisations, current_spheres


def _changes(
    organisations: list[Organisation], matches: dict[int, RowPlan], current_spheres: dict[int, set[int]]
) -> _Changes:
    """Set the rows' values on the matched organisations; group the changed ones by the fields they change."""
    now = timezone.now()
    by_fields: dict[frozenset, list[Organisation]] = {}
    changed_spheres: dict[int, set[int]] = {}
    unchanged = 0
    for organisation in organisations:
        plan = matches[organisation.pk]
        fields = [name for name, value in plan.values.items() if getattr(organisation, name) != value]
        for name in fields:
            setattr(organisation, name, plan.values[name])
        if organisation.forget_completed():
            fields.append("to_complete")
        if plan.spheres is not None and plan.spheres != current_spheres[organisation.pk]:
            changed_spheres[organisation.pk] = plan.spheres
        if fields:
            organisation.updated_at = now
            by_fields.setdefault(frozenset([*fields, "updated_at"]), []).append(organisation)
        elif organisation.pk not in changed_spheres:
            unchanged += 1
    updated_ids = {o.pk for group in by_fields.values() for o in group} | set(changed_spheres)
    return _Changes(by_fields=by_fields, spheres=changed_spheres, unchanged=unchanged, updated_ids=updated_ids)


def _update_rows(attnames: list[str], organisations: list[Organisation]) -> None:
    """UPDATE the given columns of many organisations by primary key.

    Django's `bulk_update` builds a CASE per field whose expressions it resolves in Python, which
    takes seconds per thousand rows. PostgreSQL: `UPDATE … FROM (VALUES …)`, one statement per
    `UPDATE_BATCH_SIZE` rows; SQLite (in-process, no round trips): one statement run for every row.
    """
    fields = [Organisation._meta.get_field(attname) for attname in attnames]
    pk = Organisation._meta.pk
    quote = connection.ops.quote_name
    table = quote(Organisation._meta.db_table)
    rows = [
        [organisation.pk, *(f.get_db_prep_save(getattr(organisation, f.attname), connection) for f in fields)]
        for organisation in organisations
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            casts = "(" + ", ".join(f"%s::{f.db_type(connection)}" for f in [pk, *fields]) + ")"
            names = ", ".join(["pk", *(f"v{i}" for i in range(len(fields)))])
            assignments = ", ".join(f"{quote(f.column)} = v.v{i}" for i, f in enumerate(fields))
            for chunk in chunks(rows, UPDATE_BATCH_SIZE):
                cursor.execute(
                    f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([casts] * len(chunk))}) AS v({names}) "
                    f"WHERE {table}.{quote(pk.column)} = v.pk",
                    [value for row in chunk for value in row],
                )
        else:
            assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {quote(pk.column)} = %s", [[*row[1:], row[0]] for row in rows]
            )


# --- Creating ------------------------------------------------------------------------------------


def _new_organisations(new_plans: list[RowPlan]) -> list[Organisation]:
    """New organisations (not saved) with unique slugs, also among those of this run."""
    taken = set(Organisation.objects.values_list("slug", flat=True)) if new_plans else set()
    new_organisations = []
    for plan in new_plans:
        organisation = Organisation(**{**plan.create_defaults, **plan.values}, to_complete=plan.to_complete)
        organisation.slug = unique_slug(plan.values["name"], taken)
        new_organisations.append(organisation)
    return new_organisations


def _create(new_organisations: list[Organisation], size: int) -> None:
    Organisation.objects.bulk_create(new_organisations)
    if any(o.pk is None for o in new_organisations):  # a database that does not return ids
        ids = {}
        for chunk in chunks([o.slug for o in new_organisations], size):
            ids.update(Organisation.objects.filter(slug__in=chunk).values_list("slug", "pk"))
        for organisation in new_organisations:
            organisation.pk = ids[organisation.slug]


def _set_spheres(
    new_organisations: list[Organisation], new_plans: list[RowPlan], changed_spheres: dict[int, set[int]], size: int
) -> None:
    """The spheres of the new organisations, and the new spheres of the changed ones (replacing the old)."""
    through = Organisation.spheres.through
    links = [
        through(organisation_id=organisation.pk, sphere_id=sphere_id)
        for organisation, plan in zip(new_organisations, new_plans, strict=True)
        for sphere_id in sorted(plan.spheres or ())
    ]
    if changed_spheres:
        for chunk in chunks(sorted(changed_spheres), size):
            through.objects.filter(organisation_id__in=chunk).delete()
        links += [
            through(organisation_id=pk, sphere_id=s) for pk, spheres in changed_spheres.items() for s in sorted(spheres)
        ]
    if links:
        through.objects.bulk_create(links)


# --- Reporting -----------------------------------------------------------------------------------


def _audit(run: ImportRun, actor, counts: Counts) -> None:
    """ONE audit entry for the whole import."""
    created, updated, unchanged, to_complete = counts
    audit_log(
        actor=actor,
        action=AUDIT_ACTION,
        target=run,
        details={
            "file": run.source_name,
            "rows": run.total_rows,
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
            "to_complete": to_complete,
        },
    )
