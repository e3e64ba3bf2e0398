"""Import of organisations from CSV and XLSX files (`ngo-platform import_organisations`, upload page).

The flow:

1. `table_read` turns a file into headers and rows (CSV: UTF-8 with or without BOM, else
   Windows-1250, `;`/`,`/tab sniffed from the header line; XLSX: the first sheet, read-only).
2. `organisations_import` validates every row first, outside any transaction, writing the
   progress to `ImportRun.processed_rows` every `PROGRESS_EVERY` rows (that is where the time
   goes). A row is refused only when importing it would make data wrong: no name, an identifier
   failing its check digit, a form outside the act, a repetition of an earlier row, and (step 3)
   a conflict with an existing organisation. Any other problem leaves that value out (a warning);
   a new organisation without a determinable seat or legal form is marked to complete
   (`Organisation.to_complete`). The refused rows are kept on the run (`ImportRun.refused`) as the
   file had them, with the reason, to be downloaded as CSV, fixed and imported again.
   `ImportRun.strict`: any problem is an error and the run is FAILED with nothing written.
3. Then, in ONE transaction, rows are matched to existing organisations by KRS, then NIP, then
   REGON (a row without any identifier: by name within the same gmina), new organisations are
   bulk-created, changed ones bulk-updated, spheres set, search re-indexed once
   (`search.index_organisations`) and ONE audit entry `organisations.import` written. A dry run
   stops before writing but reports what it would have done, refused rows included.

The report is a list of {"row", "column", "reason", "level"} in Polish: "row" is the number a
spreadsheet shows (the header is row 1; None for the file as a whole), "column" the header as
written in the file, "level" "error" (the row is refused; strict: the run fails) or "warning" (a value left out, an unknown
column).

Empty cells never clear what an existing organisation has, except `opp` (empty means "nie",
unless `opp_od` has a date). Every read and write is done in bulk, so the number of queries does
not grow with the number of rows, apart from one progress write per `PROGRESS_EVERY` rows and
the batches Django splits a bulk INSERT into on SQLite (at most 999 parameters per statement).

This module runs an import (the ImportRun's progress, all or nothing) and is where callers import from;
the steps live by subject: `import_files` (reading CSV/XLSX), `import_columns` (headers, aliases, value
formats), `import_rows` (validating each row into a plan) and `import_writing` (matching and writing).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ngo_platform.organisations import krs
from ngo_platform.organisations.import_columns import (
    COLUMNS,
    HEADER_TO_COLUMN,
    IDENTIFIER_LABELS,
    cell_text,
    header_key,
    map_headers,
)
from ngo_platform.organisations.import_files import (
    ACCEPTED_EXTENSIONS,
    MAX_UPLOAD_BYTES,
    ImportFileError,
    Table,
    file_kind,
    table_read,
)
from ngo_platform.organisations.import_rows import Lookups, RowPlan, has_errors, parse_row
from ngo_platform.organisations.import_writing import AUDIT_ACTION, UPDATE_BATCH_SIZE, write
from ngo_platform.organisations.models import ImportRun, ImportState
from ngo_platform.organisations.tasks import organisations_import_run

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "AUDIT_ACTION",
    "COLUMNS",
    "HEADER_TO_COLUMN",
    "MAX_UPLOAD_BYTES",
    "PROGRESS_EVERY",
    "UPDATE_BATCH_SIZE",
    "ImportFileError",
    "ProgressCallback",
    "RowPlan",
    "Table",
    "file_kind",
    "header_key",
    "import_run_create",
    "import_run_execute",
    "organisations_import",
    "refused_csv",
    "report_lines",
    "table_read",
]

ProgressCallback = Callable[[int, int], None]

PROGRESS_EVERY = 500


class _Abort(Exception):
    """Roll back the import transaction (errors found while matching, or a dry run)."""


def _run_save(run: ImportRun, **values: Any) -> None:
    for name, value in values.items():
        setattr(run, name, value)
    run.save(update_fields=list(values))


def organisations_import(
    *,
    run: ImportRun,
    rows_source: Table,
    actor,
    progress: ProgressCallback | None = None,
    fill_from_krs: bool = False,
) -> ImportRun:
    """Import the sound rows of `rows_source` as organisations (`run.strict`: all or nothing); return the
    finished run.

    `run.dry_run`: check and count only. `actor` is the person (needs
    `organisations.import_organisations`) or None for the system. `progress(done, total)` is
    called every `PROGRESS_EVERY` rows of the validation and at its end. `fill_from_krs`: rows with a KRS
    number take what they lack (legal form, seat, address, registration date) from the register's open API
    (`krs.fetch`, one request per such row: for files of hundreds of rows, not of the whole voivodeship).
    """
    if actor is not None and not actor.has_perm("organisations.import_organisations"):
        raise PermissionDenied
    total = len(rows_source.rows)
    _run_save(
        run,
        state=ImportState.RUNNING,
        total_rows=total,
        processed_rows=0,
        report=[],
        created_count=0,
        updated_count=0,
        unchanged_count=0,
        refused={},
        refused_count=0,
        to_complete_count=0,
    )
    strict = run.strict
    report: list[dict] = []
    index = map_headers(rows_source.headers, report, strict=strict)
    if index is None:
        return _fail(run, report)
    if total == 0:
        report.append(_file_error("Plik nie zawiera żadnego wiersza z danymi."))
        return _fail(run, report)

    headers = {key: rows_source.headers[position] for key, position in index.items()}
    lookups = Lookups.load(need_spheres="spheres" in index)
    plans: list[RowPlan] = []
    first_row_of: dict[tuple[str, Any], int] = {}
    for done, (number, cells) in enumerate(rows_source.rows, start=1):
        plan = parse_row(number, cells, index, headers, lookups, report, strict=strict)
        if plan is not None and not _repeats_earlier_row(plan, first_row_of, headers, report):
            plans.append(plan)
        if done % PROGRESS_EVERY == 0 and done < total:
            _run_save(run, processed_rows=done)
            if progress:
                progress(done, total)
    _run_save(run, processed_rows=total)
    if progress:
        progress(total, total)
    if fill_from_krs:
        _fill_from_krs(plans, lookups, headers, report)
    if strict and has_errors(report):
        return _fail(run, report)

    counts = (0, 0, 0, 0)
    try:
        with transaction.atomic():
            counts = write(run=run, plans=plans, headers=headers, report=report, actor=actor)
            if (strict and has_errors(report)) or run.dry_run:
                raise _Abort  # roll back (a dry run wrote nothing anyway, but took the locks)
            _finish(run, report, counts, rows_source)
    except _Abort:
        if strict and has_errors(report):
            return _fail(run, report)
        _finish(run, report, counts, rows_source)
    return run


# What the import takes from a KRS entry (`krs.settled`), as the warning names it.
KRS_FILLS = {
    "legal_form": "forma prawna",
    "seat_id": "gmina siedziby",
    "street": "ulica",
    "postal_code": "kod",
    "city": "miejscowość",
    "founded_on": "data rejestracji",
}


def _fill_from_krs(plans: list[RowPlan], lookups: Lookups, headers: dict[str, str], report: list[dict]) -> None:
    """What the rows with a KRS number lack, from the register (a warning says what came from it, or why not)."""
    for plan in plans:
        number = plan.identifiers.get("krs")
        if not number:
            continue
        column = headers.get("krs", "krs")
        try:
            entry = krs.fetch(number)
        except krs.KrsError as error:
            report.append({"row": plan.number, "column": column, "reason": f"KRS: {error.message}", "level": "warning"})
            continue
        found = krs.settled(entry)
        found["seat_id"] = lookups.gminas_by_code.get(found.get("seat_teryt", ""))
        filled = [name for name in KRS_FILLS if found.get(name) and not plan.values.get(name)]
        for name in filled:
            plan.values[name] = found[name]
            plan.to_complete.pop("seat" if name == "seat_id" else name, None)
        plan.name_key = (plan.name_key[0], plan.values.get("seat_id"))
        if filled:
            what = ", ".join(KRS_FILLS[name] for name in filled)
            report.append(
                {"row": plan.number, "column": column, "reason": f"Uzupełniono z KRS: {what}.", "level": "warning"}
            )


def _refused(report: list[dict], rows_source: Table) -> dict:
    """The refused rows as the file had them, each with its reasons: what the refused-rows CSV holds."""
    reasons: dict[int, list[str]] = {}
    for item in report:
        if item["level"] == "error" and item.get("row"):
            reasons.setdefault(item["row"], []).append(f"{item['column']}: {item['reason']}")
    rows = [
        [number, [cell_text(cell, multiline=True) for cell in cells], " ".join(reasons[number])]
        for number, cells in rows_source.rows
        if number in reasons
    ]
    return {"headers": list(rows_source.headers), "rows": rows} if rows else {}


def _repeats_earlier_row(
    plan: RowPlan, first_row_of: dict[tuple[str, Any], int], headers: dict[str, str], report: list[dict]
) -> bool:
    """An identifier (or, without any, the name within the gmina) already used by an earlier row of
    the file is an error on the later row."""
    repeated = False
    for key, value in list(plan.identifiers.items()) or [("name", plan.name_key)]:
        earlier = first_row_of.setdefault((key, value), plan.number)
        if earlier == plan.number:
            continue
        repeated = True
        if key == "name":
            reason = (
                f"Organizacja o tej nazwie w tej gminie występuje już w wierszu {earlier}. "
                "Dodaj KRS, NIP albo REGON, jeśli to różne organizacje."
            )
        else:
            reason = f"{IDENTIFIER_LABELS[key]} {value} występuje już w wierszu {earlier}."
        report.append({"row": plan.number, "column": headers[key], "reason": reason, "level": "error"})
    return repeated


def _fail(run: ImportRun, report: list[dict]) -> ImportRun:
    _run_save(
        run,
        state=ImportState.FAILED,
        report=sorted(report, key=lambda item: item["row"] or 0),
        created_count=0,
        updated_count=0,
        unchanged_count=0,
        finished_at=timezone.now(),
    )
    return run


def _finish(run: ImportRun, report: list[dict], counts: tuple[int, int, int, int], rows_source: Table) -> None:
    created, updated, unchanged, to_complete = counts
    refused = _refused(report, rows_source)
    _run_save(
        run,
        state=ImportState.DONE,
        report=sorted(report, key=lambda item: item["row"] or 0),
        refused=refused,
        refused_count=len(refused.get("rows", ())),
        to_complete_count=to_complete,
        created_count=created,
        updated_count=updated,
        unchanged_count=unchanged,
        processed_rows=run.total_rows,
        finished_at=timezone.now(),
    )


# ---------------------------------------------------------------------------------------------
# Runs: started from the upload page (task) or the command
# ---------------------------------------------------------------------------------------------


def import_run_create(*, actor, file, dry_run: bool, strict: bool = False) -> ImportRun:
    """Store an uploaded file as a queued run and enqueue its import (after the commit)."""
    if actor is not None and not actor.has_perm("organisations.import_organisations"):
        raise PermissionDenied
    with transaction.atomic():
        run = ImportRun.objects.create(
            created_by=actor if actor is not None and actor.is_authenticated else None,
            source_name=Path(file.name).name[:255],
            file=file,
            dry_run=dry_run,
            strict=strict,
        )
        transaction.on_commit(lambda: organisations_import_run.enqueue(run.pk))
    return run


def import_run_execute(
    *,
    run: ImportRun,
    actor,
    source: Path | str | IO[bytes] | None = None,
    progress: ProgressCallback | None = None,
    fill_from_krs: bool = False,
) -> ImportRun:
    """Read the run's file (or `source`) and import it. A file that cannot be read, or an
    unexpected failure, ends the run as FAILED with the reason in the report."""
    try:
        if source is None:
            with run.file.open("rb") as handle:
                table = table_read(handle, name=run.source_name)
        else:
            table = table_read(source, name=run.source_name)
    except ImportFileError as error:
        return _fail(run, [_file_error(error.message)])
    except OSError:
        return _fail(run, [_file_error("Nie znaleziono pliku importu.")])
    try:
        return organisations_import(
            run=run, rows_source=table, actor=actor, progress=progress, fill_from_krs=fill_from_krs
        )
    except PermissionDenied:
        return _fail(run, [_file_error("Brak uprawnień do importu organizacji.")])
    except Exception as error:
        _fail(run, [_file_error(f"Import przerwany przez błąd ({type(error).__name__}); nic nie zapisano.")])
        raise


def _file_error(reason: str) -> dict:
    """A report entry about the file or the run as a whole (no row, no column)."""
    return {"row": None, "column": "", "reason": reason, "level": "error"}


def report_lines(run: ImportRun) -> Iterable[str]:
    """The report as lines of text, for the command."""
    for item in run.report:
        where = f"wiersz {item['row']}" if item.get("row") else "plik"
        column = f", kolumna „{item['column']}”" if item.get("column") else ""
        kind = "ostrzeżenie" if item.get("level") == "warning" else "błąd"
        yield f"{where}{column}: {kind}: {item['reason']}"


REFUSED_COLUMNS = ("powod_odrzucenia", "wiersz_w_pliku")


def refused_csv(run: ImportRun) -> str:
    """The refused rows as CSV for a spreadsheet (UTF-8 with BOM, semicolons): the file's columns as it had them,
    then the reason and the row's number in the file. Fixed, it imports again: the two extra columns are unknown
    to the import and left out with a warning."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write("\ufeff")
    headers = run.refused.get("headers", [])
    writer.writerow([*headers, *REFUSED_COLUMNS])
    for number, cells, reason in run.refused.get("rows", []):
        writer.writerow([*cells, *[""] * (len(headers) - len(cells)), reason, number])
    return buffer.getvalue()
