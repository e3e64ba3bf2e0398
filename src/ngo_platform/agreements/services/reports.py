"""The final report: the agreement's planned costs, then the organisation's report of the results achieved and
the costs incurred (start, save, submit, late or not) and the officer's decision, which settles the agreement."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.agreements import selectors
from ngo_platform.agreements.models import (
    Agreement,
    CostUpdate,
    HistorySubject,
    Report,
    ReportCostLine,
    ReportKind,
    ReportResult,
)
from ngo_platform.agreements.services.common import (
    AS,
    RS,
    audit,
    authority_emails,
    basis_lines,
    fillable,
    history,
    lock,
    notify,
    organisation_emails,
    printable,
)
from ngo_platform.agreements.workflows import AGREEMENT, EDITABLE, REPORT, AgreementError, Incomplete, Problem
from ngo_platform.core.arrival import arrived_at
from ngo_platform.core.money import format_money
from ngo_platform.core.workflow import perform


def planned_costs(agreement: Agreement) -> tuple[list[dict], dict[str, int]]:
    """The agreement's cost lines and sources: the accepted updated calculation, else the offer as submitted
    (with the grant of the agreement)."""
    update = selectors.cost_update_of(agreement)
    if update is not None and update.state == RS.ACCEPTED:
        lines = [{"category": line.category, "name": line.name, "total": line.total} for line in update.lines.all()]
        return lines, {field: getattr(update, field) for field in CostUpdate.SOURCE_FIELDS}
    basis = selectors.offer_basis(agreement.offer)
    sources = basis["V"]["B"]
    return basis_lines(basis), {
        "grant": agreement.granted_amount,
        "own_financial": sources["own_financial"],
        "own_personal": sources["own_personal"],
        "own_in_kind": sources["own_in_kind"],
        "beneficiary_fees": sources["beneficiary_fees"],
    }


def report_start(*, actor, agreement: Agreement) -> Report:
    """The organisation starts its final report: the results of the offer (III.6) and the agreement's cost
    lines, to fill in with what was achieved and spent. Idempotent."""
    with transaction.atomic():
        agreement = fillable(actor, agreement)
        existing = Report.objects.filter(agreement=agreement, kind=ReportKind.FINAL).first()
        if existing is not None:
            return existing
        if agreement.state != AS.SIGNED:
            raise AgreementError(_("The report is made for a signed agreement."))
        basis = selectors.offer_basis(agreement.offer)
        lines, _sources = planned_costs(agreement)
        report = Report.objects.create(agreement=agreement, kind=ReportKind.FINAL)
        ReportResult.objects.bulk_create(
            ReportResult(report=report, position=n, name=row["name"], planned=row["target_value"])
            for n, row in enumerate(basis["III"]["results"], start=1)
        )
        ReportCostLine.objects.bulk_create(
            ReportCostLine(report=report, position=n, category=row["category"], name=row["name"], planned=row["total"])
            for n, row in enumerate(lines, start=1)
        )
        history(agreement, HistorySubject.REPORT, RS.DRAFT, actor)
        audit(actor, "report_start", agreement, target=report)
    return report


REPORT_FIELDS = ("description", "additional_info", "interest", "declares_truth", *Report.SOURCE_FIELDS)


def report_save(
    *,
    actor,
    report: Report,
    data: dict[str, Any],
    achieved: dict[int, dict] | None = None,
    spent: dict[int, int] | None = None,
) -> Report:
    """Save the report: its fields, the results achieved ({result id: {achieved, comment}}) and the costs
    incurred ({line id: grosze}). A draft is saved even when the sums are not right yet."""
    with transaction.atomic():
        agreement = fillable(actor, report.agreement)
        report = Report.objects.select_for_update().get(pk=report.pk)
        if agreement.state != AS.SIGNED or report.state not in EDITABLE:
            raise AgreementError(
                _("The report has been submitted: it can be changed only if the authority returns it.")
            )
        changes = {}
        for field in REPORT_FIELDS:
            if field in data and data[field] is not None and getattr(report, field) != data[field]:
                changes[field] = [printable(field, getattr(report, field)), printable(field, data[field])]
                setattr(report, field, data[field])
        report.save()
        for result in report.results.filter(pk__in=list(achieved or {})):
            row = achieved[result.pk]
            if (result.achieved, result.comment) != (row.get("achieved", ""), row.get("comment", "")):
                result.achieved, result.comment = row.get("achieved", "").strip(), row.get("comment", "").strip()
                result.save(update_fields=["achieved", "comment"])
                changes[f"result:{result.position}"] = result.achieved
        for line in report.cost_lines.filter(pk__in=list(spent or {})):
            if line.spent != spent[line.pk]:
                changes[f"line:{line.position}"] = [format_money(line.spent), format_money(spent[line.pk])]
                line.spent = spent[line.pk]
                line.save(update_fields=["spent"])
        if changes:
            # Long texts are kept in the report itself; the audit records that they changed.
            for field in ("description", "additional_info"):
                if field in changes:
                    changes[field] = len(report.description if field == "description" else report.additional_info)
            audit(actor, "report_save", agreement, target=report, changes=changes)
    return report


def report_problems(report: Report, agreement: Agreement) -> list[Problem]:
    problems = []
    if not report.description.strip():
        problems.append(Problem("description", _("Describe what was done.")))
    for result in report.results.all():
        if not result.achieved.strip():
            problems.append(
                Problem("", _("Give the value achieved for the result “%(name)s”.") % {"name": result.name})
            )
    spent = sum(line.spent for line in report.cost_lines.all())
    if spent != report.sources_total:
        problems.append(
            Problem(
                "grant",
                _(
                    "The costs incurred add up to %(spent)s, but the sources of financing (grant %(grant)s + own financial "
                    "%(financial)s + own personal %(personal)s + own in-kind %(in_kind)s + fees %(fees)s) add up to %(sources)s: "
                    "the difference is %(difference)s."
                )
                % {
                    "spent": format_money(spent),
                    "grant": format_money(report.grant),
                    "financial": format_money(report.own_financial),
                    "personal": format_money(report.own_personal),
                    "in_kind": format_money(report.own_in_kind),
                    "fees": format_money(report.beneficiary_fees),
                    "sources": format_money(report.sources_total),
                    "difference": format_money(abs(spent - report.sources_total)),
                },
            )
        )
    if report.grant > agreement.granted_amount:
        problems.append(
            Problem(
                "grant",
                _("The grant used, %(used)s, is more than the grant of the agreement, %(grant)s.")
                % {"used": format_money(report.grant), "grant": format_money(agreement.granted_amount)},
            )
        )
    if not report.declares_truth:
        problems.append(Problem("declares_truth", _("Make the declaration at the end of the report.")))
    return problems


def report_submit(*, actor, report: Report) -> Report:
    """Submit the report. After the due date it is still accepted, marked late (the way offices handle
    it: the authority may call for it and draw consequences, but a report is never refused for being late).
    The first submission is the one that counts for the due date; a corrected report is submitted again."""
    with transaction.atomic():
        agreement = fillable(actor, report.agreement)
        report = Report.objects.select_for_update().get(pk=report.pk)
        if agreement.state != AS.SIGNED:
            raise AgreementError(_("The report is made for a signed agreement."))
        report.agreement = agreement
        if report.state in EDITABLE and (problems := report_problems(report, agreement)):
            raise Incomplete(problems)
        now = arrived_at()  # a report is late by when it reached the platform
        first = report.submitted_at is None
        values = {"submitted_at": now, "submitted_by": actor, "late": timezone.localdate(now) > agreement.report_due}
        details = {
            "late": values["late"] if first else report.late,
            "resubmission": not first,
            "grant_used": format_money(report.grant),
            "to_return": format_money(agreement.granted_amount - report.grant),
        }
        perform(REPORT, report, "submit", actor=actor, now=now, values=values if first else None, details=details)
        note = (
            _("Submitted after the due date (%(due)s).") % {"due": agreement.report_due.strftime("%d.%m.%Y")}
            if first and report.late
            else ""
        )
        history(agreement, HistorySubject.REPORT, RS.SUBMITTED, actor, note=note, at=now)
        notify(
            authority_emails(agreement),
            agreement,
            _("A report to check"),
            _("%(organisation)s has submitted the final report for the agreement %(number)s.")
            % {"organisation": agreement.offer.organisation, "number": agreement.number},
            note=note,
        )
    return report


def report_decide(*, actor, report: Report, accept: bool, note: str = "") -> Report:
    """The officer accepts the report (the agreement is settled) or returns it for corrections with a note."""
    with transaction.atomic():
        agreement = lock(report.agreement)
        if not actor.has_perm("agreements.manage_agreement", agreement):
            raise PermissionDenied
        report = Report.objects.select_for_update().get(pk=report.pk)
        report.agreement = agreement
        if report.state == RS.SUBMITTED and not accept and not note.strip():
            raise AgreementError(_("Say what is to be corrected: the organisation sees the note."), "note")
        now = timezone.now()
        values = {"decided_by": actor, "note": note.strip()}
        name = "accept" if accept else "return"
        perform(REPORT, report, name, actor=actor, now=now, values=values, details={"note": note.strip()})
        history(agreement, HistorySubject.REPORT, report.state, actor, note=note.strip(), at=now)
        if accept:
            perform(AGREEMENT, agreement, "settle", actor=actor, now=now)
            history(agreement, HistorySubject.AGREEMENT, AS.SETTLED, actor, at=now)
        subject = _("The report has been accepted") if accept else _("The report needs corrections")
        notify(organisation_emails(agreement), agreement, subject, subject + ".", note=note.strip())
    return report
