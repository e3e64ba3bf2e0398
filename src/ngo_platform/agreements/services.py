"""Writes of agreements, updated cost calculations and reports. Every change runs in one transaction,
locks the agreement row, reads the server's clock (Europe/Warsaw) at that moment, goes through the
declared transition tables below, is recorded in the agreement's history (what the organisation sees)
and audited (`details`: competition, offer, agreement; money as old → new amounts)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.agreements import selectors
from ngo_platform.agreements.iban import iban_error
from ngo_platform.agreements.models import (
    Agreement,
    AgreementParameters,
    AgreementParty,
    AgreementState,
    CostUpdate,
    CostUpdateLine,
    HistoryEntry,
    HistorySubject,
    Instalment,
    PartyRole,
    ReminderSent,
    Report,
    ReportCostLine,
    ReportKind,
    ReportResult,
    ReviewState,
)
from ngo_platform.agreements.workflows import (
    AGREEMENT,
    COST_UPDATE,
    EDITABLE,
    REPORT,
    AgreementError,
    Incomplete,
    Problem,
    acting_for,
)
from ngo_platform.agreements.workflows import details as workflow_details
from ngo_platform.competitions.canonical import cost_totals, own_contribution
from ngo_platform.competitions.models import CostCategory, Offer, OfferState
from ngo_platform.competitions.money import format_money, format_percent, line_total, share_bp
from ngo_platform.core.services import audit_log, email_notify
from ngo_platform.core.workflow import perform

AS = AgreementState
RS = ReviewState

AGREEMENT_FIELDS = (
    "number",
    "place",
    "authority_signatories",
    "granted_amount",
    "task_start",
    "task_end",
    "account_number",
)
MONEY_FIELDS = {
    "granted_amount",
    "grant",
    "own_financial",
    "own_personal",
    "own_in_kind",
    "beneficiary_fees",
    "interest",
}


# --- Helpers ---------------------------------------------------------------------------------


def _lock(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("offer", "offer__competition", "offer__competition__authority", "offer__organisation")
        .get(pk=agreement.pk)
    )


def _printable(field: str, value) -> Any:
    if field in MONEY_FIELDS:
        return format_money(value)
    return value.isoformat() if hasattr(value, "isoformat") else value


def _audit(actor, action: str, agreement: Agreement, target=None, **details) -> None:
    audit_log(
        actor=actor,
        action=f"agreements.{action}",
        target=target or agreement,
        acting_for=acting_for(actor, agreement),
        details={**workflow_details(agreement), **details},
    )


def _history(agreement: Agreement, subject: str, state: str, actor, note: str = "", at=None) -> None:
    HistoryEntry.objects.create(
        agreement=agreement, subject=subject, state=state, note=note, actor=actor, at=at or timezone.now()
    )


def _organisation_emails(agreement: Agreement) -> list[str]:
    organisation = agreement.offer.organisation
    admins = organisation.memberships.filter(role="admin").values_list("user__email", flat=True)
    return [organisation.email, *admins]


def _authority_emails(agreement: Agreement) -> list[str]:
    authority = agreement.offer.competition.authority
    return [authority.email, *authority.memberships.values_list("user__email", flat=True)]


def _notify(to: list[str], agreement: Agreement, subject: str, message: str, note: str = "") -> None:
    email_notify(
        to=to,
        template="agreements/email/status",
        context={"agreement": agreement, "subject": subject, "message": message, "note": note},
    )


def _report_due(offer: Offer, task_end: date) -> date:
    params = selectors.agreement_parameters(authority=offer.competition.authority, on=task_end)
    return task_end + timedelta(days=params.report_due_days)


# --- The agreement ---------------------------------------------------------------------------


def agreement_create(*, actor, offer: Offer) -> Agreement:
    """An officer prepares the agreement for a funded offer (a draft), prefilled from the offer: the
    parties (the lead and the partners of a joint offer, with the signatories of section VII), the
    grant (the amount awarded, else the amount requested), the task's dates, one instalment.

    Idempotent: the offer's existing agreement is returned (one agreement per offer)."""
    with transaction.atomic():
        offer = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("competition", "competition__authority", "organisation")
            .get(pk=offer.pk)
        )
        if not actor.has_perm("agreements.manage_agreement", offer):
            raise PermissionDenied
        existing = Agreement.objects.filter(offer=offer).first()
        if existing is not None:
            return existing
        if offer.state != OfferState.FUNDED:
            raise AgreementError(_("An agreement is made only for an offer that has been awarded a grant."))
        granted = getattr(offer, "granted_amount", None) or offer.grant_requested
        if not granted or granted <= 0:
            raise AgreementError(_("The offer has no grant amount: record the amount awarded first."))
        competition = offer.competition
        start, end = offer.date_from or competition.task_start, offer.date_to or competition.task_end
        agreement = Agreement.objects.create(
            offer=offer,
            granted_amount=granted,
            task_start=start,
            task_end=end,
            report_due=_report_due(offer, end),
            created_by=actor,
        )
        agreement.number = f"UM/{timezone.localdate().year}/{agreement.pk:06d}"
        agreement.save(update_fields=["number"])
        parties = [
            AgreementParty(
                agreement=agreement,
                organisation=offer.organisation,
                role=PartyRole.LEAD,
                position=1,
                signatories=offer.signatories.strip(),
            )
        ]
        for n, partner in enumerate(
            offer.partners.select_related("organisation").order_by("invited_at", "id"), start=2
        ):
            parties.append(
                AgreementParty(
                    agreement=agreement, organisation=partner.organisation, role=PartyRole.PARTNER, position=n
                )
            )
        AgreementParty.objects.bulk_create(parties)
        Instalment.objects.create(agreement=agreement, position=1, due_on=start, amount=granted)
        _history(agreement, HistorySubject.AGREEMENT, AS.DRAFT, actor)
        _audit(
            actor,
            "agreement_create",
            agreement,
            grant=format_money(granted),
            requested=format_money(offer.grant_requested),
        )
    return agreement


def agreement_update(
    *,
    actor,
    agreement: Agreement,
    data: dict[str, Any],
    signatories: dict[int, str] | None = None,
    instalments: list[dict] | None = None,
) -> Agreement:
    """Change the draft: its fields, who signs for each organisation ({party id: text}) and the payment
    schedule (rows of due_on and amount in grosze)."""
    with transaction.atomic():
        agreement = _lock(agreement)
        if not actor.has_perm("agreements.manage_agreement", agreement):
            raise PermissionDenied
        if agreement.state != AS.DRAFT:
            raise AgreementError(_("Only a draft agreement can be changed: take it back to a draft first."))
        changes = {}
        for field in AGREEMENT_FIELDS:
            if field in data and data[field] is not None and getattr(agreement, field) != data[field]:
                changes[field] = [_printable(field, getattr(agreement, field)), _printable(field, data[field])]
                setattr(agreement, field, data[field])
        offer = agreement.offer
        if agreement.task_start > agreement.task_end:
            raise AgreementError(_("The task must end after it starts."), "task_end")
        if agreement.granted_amount <= 0:
            raise AgreementError(_("The grant must be more than zero."), "granted_amount")
        if agreement.granted_amount > offer.grant_requested:
            raise AgreementError(
                _("The grant cannot be higher than the grant requested in the offer, %(requested)s.")
                % {"requested": format_money(offer.grant_requested)},
                "granted_amount",
            )
        if agreement.account_number and (error := iban_error(agreement.account_number)):
            raise AgreementError(error, "account_number")
        agreement.report_due = _report_due(offer, agreement.task_end)
        agreement.save()
        if signatories:
            for party in agreement.parties.filter(pk__in=list(signatories)):
                text = signatories[party.pk].strip()
                if party.signatories != text:
                    changes[f"signatories:{party.organisation_id}"] = [party.signatories, text]
                    party.signatories = text
                    party.save(update_fields=["signatories"])
        if instalments is not None:
            before = [[row.due_on.isoformat(), format_money(row.amount)] for row in agreement.instalments.all()]
            agreement.instalments.all().delete()
            Instalment.objects.bulk_create(
                Instalment(agreement=agreement, position=n, due_on=row["due_on"], amount=row["amount"])
                for n, row in enumerate(instalments, start=1)
            )
            after = [[row["due_on"].isoformat(), format_money(row["amount"])] for row in instalments]
            if before != after:
                changes["instalments"] = [before, after]
        if changes:
            _audit(actor, "agreement_update", agreement, changes=changes)
    return agreement


def agreement_problems(agreement: Agreement) -> list[Problem]:
    """What must be complete before the agreement is sent to the organisation."""
    problems = []
    if not agreement.number.strip():
        problems.append(Problem("number", _("Give the number of the agreement.")))
    if not agreement.authority_signatories.strip():
        problems.append(Problem("authority_signatories", _("Name who signs for the authority.")))
    for party in agreement.parties.all():
        if not party.signatories.strip():
            problems.append(
                Problem("", _("Name who signs for %(organisation)s.") % {"organisation": party.organisation})
            )
    if not agreement.account_number:
        problems.append(Problem("account_number", _("Give the bank account the grant is paid to.")))
    instalments = list(agreement.instalments.all())
    paid = sum(row.amount for row in instalments)
    if paid != agreement.granted_amount:
        problems.append(
            Problem(
                "",
                _(
                    "The payment schedule adds up to %(paid)s, but the grant is %(grant)s: the difference is %(difference)s."
                )
                % {
                    "paid": format_money(paid),
                    "grant": format_money(agreement.granted_amount),
                    "difference": format_money(abs(agreement.granted_amount - paid)),
                },
            )
        )
    for row in instalments:
        if row.due_on > agreement.task_end:
            problems.append(
                Problem(
                    "",
                    _("Instalment %(n)s is due on %(date)s, after the end of the task (%(end)s).")
                    % {
                        "n": row.position,
                        "date": row.due_on.strftime("%d.%m.%Y"),
                        "end": agreement.task_end.strftime("%d.%m.%Y"),
                    },
                )
            )
    return problems


def agreement_send(*, actor, agreement: Agreement) -> Agreement:
    """Send the complete draft to the organisation: it sees it and, if the grant is lower than
    requested, updates its cost calculation."""
    with transaction.atomic():
        agreement = _lock(agreement)
        if not actor.has_perm("agreements.manage_agreement", agreement):
            raise PermissionDenied
        if agreement.state == AS.DRAFT and (problems := agreement_problems(agreement)):
            raise Incomplete(problems)
        now = timezone.now()
        perform(
            AGREEMENT,
            agreement,
            "send",
            actor=actor,
            now=now,
            details={"grant": format_money(agreement.granted_amount)},
        )
        _history(agreement, HistorySubject.AGREEMENT, AS.SENT, actor, at=now)
        if selectors.needs_cost_update(agreement):
            message = _(
                "The agreement for the offer “%(title)s” is ready. The grant, %(grant)s, is lower than requested: "
                "update the cost calculation, which the authority accepts before the agreement is signed."
            )
        else:
            message = _("The agreement for the offer “%(title)s” is ready: the grant is %(grant)s.")
        _notify(
            _organisation_emails(agreement),
            agreement,
            _("The agreement is ready"),
            message % {"title": agreement.offer.title, "grant": format_money(agreement.granted_amount)},
        )
    return agreement


def agreement_reopen(*, actor, agreement: Agreement, note: str = "") -> Agreement:
    """Take a sent agreement back to a draft to correct it (the organisation sees the note)."""
    with transaction.atomic():
        agreement = _lock(agreement)
        if not actor.has_perm("agreements.manage_agreement", agreement):
            raise PermissionDenied
        perform(AGREEMENT, agreement, "reopen", actor=actor, details={"note": note.strip()})
        _history(agreement, HistorySubject.AGREEMENT, AS.DRAFT, actor, note=note.strip())
    return agreement


def agreement_sign(*, actor, agreement: Agreement, signed_on: date) -> Agreement:
    """Record that both parties signed the agreement on `signed_on` (not in the future). When the grant is
    lower than requested, the updated cost calculation must have been accepted for this grant."""
    with transaction.atomic():
        agreement = _lock(agreement)
        if not actor.has_perm("agreements.manage_agreement", agreement):
            raise PermissionDenied
        today = timezone.localdate()
        if agreement.state == AS.SENT and signed_on > today:
            raise AgreementError(_("The date of signing cannot be in the future."), "signed_on")
        if agreement.state == AS.SENT and selectors.needs_cost_update(agreement):
            update = CostUpdate.objects.filter(agreement=agreement).first()
            if update is None or update.state != RS.ACCEPTED or update.grant != agreement.granted_amount:
                raise AgreementError(
                    _("The grant is lower than requested: accept the organisation's updated cost calculation first.")
                )
        details = {"signed_on": signed_on.isoformat(), "grant": format_money(agreement.granted_amount)}
        perform(AGREEMENT, agreement, "sign", actor=actor, values={"signed_on": signed_on}, details=details)
        _history(agreement, HistorySubject.AGREEMENT, AS.SIGNED, actor)
        _notify(
            _organisation_emails(agreement),
            agreement,
            _("The agreement has been signed"),
            _("The agreement %(number)s has been signed on %(date)s. The final report is due by %(due)s.")
            % {
                "number": agreement.number,
                "date": signed_on.strftime("%d.%m.%Y"),
                "due": agreement.report_due.strftime("%d.%m.%Y"),
            },
        )
    return agreement


def agreement_terminate(*, actor, agreement: Agreement, reason: str) -> Agreement:
    """Terminate (or abandon) the agreement before it is settled, with the reason."""
    with transaction.atomic():
        agreement = _lock(agreement)
        if not actor.has_perm("agreements.manage_agreement", agreement):
            raise PermissionDenied
        if agreement.state in AGREEMENT["terminate"].sources and not reason.strip():
            raise AgreementError(_("Give the reason for the termination."), "reason")
        previous = agreement.state
        values = {"termination_reason": reason.strip()}
        perform(AGREEMENT, agreement, "terminate", actor=actor, values=values, details={"reason": reason.strip()})
        _history(agreement, HistorySubject.AGREEMENT, AS.TERMINATED, actor, note=reason.strip())
        if previous != AS.DRAFT:
            _notify(
                _organisation_emails(agreement),
                agreement,
                _("The agreement has been terminated"),
                _("The agreement %(number)s has been terminated.") % {"number": agreement.number},
                note=reason.strip(),
            )
    return agreement


# --- The updated cost calculation -----------------------------------------------------------


def _basis_lines(basis: dict) -> list[dict]:
    actions = {a["no"]: a["name"] for a in basis["III"]["actions"]}
    return [
        {
            "category": line["category"],
            "action_no": line["action"],
            "action_name": actions.get(line["action"], ""),
            "name": line["name"],
            "unit": line["unit"],
            "unit_cost": line["unit_cost"],
            "units": line["units"],
            "total": line["total"],
            "year": line["year"],
        }
        for line in basis["V"]["A"]["lines"]
    ]


def _fillable(actor, agreement: Agreement) -> Agreement:
    agreement = _lock(agreement)
    if not actor.has_perm("agreements.fill_agreement", agreement):
        raise PermissionDenied
    return agreement


def cost_update_start(*, actor, agreement: Agreement) -> CostUpdate:
    """The organisation starts its updated cost calculation: a copy of the submitted offer's V.A lines and
    V.B sources, with the grant set to the amount awarded. Idempotent."""
    with transaction.atomic():
        agreement = _fillable(actor, agreement)
        existing = CostUpdate.objects.filter(agreement=agreement).first()
        if existing is not None:
            return existing
        if agreement.state != AS.SENT:
            raise AgreementError(_("The cost calculation is updated while the agreement waits to be signed."))
        if not selectors.needs_cost_update(agreement):
            raise AgreementError(
                _("The grant is the amount requested: the cost calculation of the offer stays as it is.")
            )
        basis = selectors.offer_basis(agreement.offer)
        sources = basis["V"]["B"]
        update = CostUpdate.objects.create(
            agreement=agreement,
            grant=agreement.granted_amount,
            own_financial=sources["own_financial"],
            own_personal=sources["own_personal"],
            own_in_kind=sources["own_in_kind"],
            beneficiary_fees=sources["beneficiary_fees"],
        )
        CostUpdateLine.objects.bulk_create(
            CostUpdateLine(
                cost_update=update,
                position=n,
                offer_total=row.pop("total"),
                total=line_total(row["unit_cost"], row["units"]),
                **row,
            )
            for n, row in enumerate(_basis_lines(basis), start=1)
        )
        _history(agreement, HistorySubject.COST_UPDATE, RS.DRAFT, actor)
        _audit(actor, "cost_update_start", agreement, target=update)
    return update


def cost_update_save(*, actor, cost_update: CostUpdate, lines: list[dict], sources: dict[str, int]) -> CostUpdate:
    """Save the lines (category, action_no, name, unit, unit_cost in grosze, units, year; the server
    computes each value) and the sources. A draft is saved even when the sums are not right yet."""
    with transaction.atomic():
        agreement = _fillable(actor, cost_update.agreement)
        update = CostUpdate.objects.select_for_update().get(pk=cost_update.pk)
        if agreement.state != AS.SENT or update.state not in EDITABLE:
            raise AgreementError(
                _(
                    "The updated cost calculation has been submitted: it can be changed only if the authority returns it."
                )
            )
        basis = selectors.offer_basis(agreement.offer)
        offer_lines = {(row["category"], row["name"]): row["total"] for row in _basis_lines(basis)}
        action_names = {a["no"]: a["name"] for a in basis["III"]["actions"]}
        before = [[line.name, format_money(line.total)] for line in update.lines.all()]
        update.lines.all().delete()
        created = []
        for n, row in enumerate(lines, start=1):
            category = row["category"]
            action_no = row.get("action_no") if category == CostCategory.ACTION else None
            if category == CostCategory.ACTION and action_no not in action_names:
                raise AgreementError(_("Cost line %(n)s: choose the action of the plan it belongs to.") % {"n": n})
            created.append(
                CostUpdateLine(
                    cost_update=update,
                    position=n,
                    category=category,
                    action_no=action_no,
                    action_name=action_names.get(action_no, ""),
                    name=row["name"],
                    unit=row["unit"],
                    unit_cost=row["unit_cost"],
                    units=row["units"],
                    total=line_total(row["unit_cost"], row["units"]),
                    year=row.get("year") or 1,
                    offer_total=offer_lines.get((category, row["name"])),
                )
            )
        CostUpdateLine.objects.bulk_create(created)
        changes = {}
        for field, value in sources.items():
            if field in CostUpdate.SOURCE_FIELDS and value is not None and getattr(update, field) != value:
                changes[field] = [format_money(getattr(update, field)), format_money(value)]
                setattr(update, field, value)
        update.save()
        after = [[line.name, format_money(line.total)] for line in created]
        if after != before:
            changes["lines"] = [before, after]
        if changes:
            _audit(actor, "cost_update_save", agreement, target=update, changes=changes)
    return update


def cost_update_problems(update: CostUpdate, agreement: Agreement, lines=None) -> list[Problem]:
    """The sums of the updated calculation: V.B = V.A, the grant = the amount awarded, the own
    contribution the announcement requires, the cap on administrative costs. Messages name the amounts."""
    competition = agreement.offer.competition
    lines = list(update.lines.all()) if lines is None else lines
    totals = cost_totals(lines)
    total, sources = totals.total, update.sources_total
    problems = []
    if not lines:
        problems.append(Problem("", _("Add at least one cost line.")))
    if update.grant != agreement.granted_amount:
        problems.append(
            Problem(
                "grant",
                _(
                    "The grant in the updated calculation is %(grant)s, but the grant awarded in the agreement is %(awarded)s."
                )
                % {"grant": format_money(update.grant), "awarded": format_money(agreement.granted_amount)},
            )
        )
    if sources != total:
        problems.append(
            Problem(
                "grant",
                _(
                    "The sources of financing (grant %(grant)s + own financial %(financial)s + own personal %(personal)s + own "
                    "in-kind %(in_kind)s + fees %(fees)s) add up to %(sources)s, but the total costs are %(total)s: the difference "
                    "is %(difference)s."
                )
                % {
                    "grant": format_money(update.grant),
                    "financial": format_money(update.own_financial),
                    "personal": format_money(update.own_personal),
                    "in_kind": format_money(update.own_in_kind),
                    "fees": format_money(update.beneficiary_fees),
                    "sources": format_money(sources),
                    "total": format_money(total),
                    "difference": format_money(abs(total - sources)),
                },
            )
        )
    own = own_contribution(update, competition)
    if total and own * 10000 < total * competition.own_contribution_min_bp:
        required = -(-total * competition.own_contribution_min_bp // 10000)
        problems.append(
            Problem(
                "own_financial",
                _(
                    "The own contribution that counts in this competition is %(own)s, %(share)s of the total costs; the "
                    "announcement requires at least %(min)s, that is %(required)s."
                )
                % {
                    "own": format_money(own),
                    "share": format_percent(share_bp(own, total)),
                    "min": format_percent(competition.own_contribution_min_bp),
                    "required": format_money(required),
                },
            )
        )
    if (
        competition.admin_costs_max_bp is not None
        and total
        and totals.administrative * 10000 > total * competition.admin_costs_max_bp
    ):
        problems.append(
            Problem(
                "",
                _(
                    "The administrative costs of %(admin)s are %(share)s of the total costs; this competition allows at most %(max)s."
                )
                % {
                    "admin": format_money(totals.administrative),
                    "share": format_percent(share_bp(totals.administrative, total)),
                    "max": format_percent(competition.admin_costs_max_bp),
                },
            )
        )
    return problems


def cost_update_submit(*, actor, cost_update: CostUpdate) -> CostUpdate:
    """Submit the updated calculation to the authority; refused with every problem if the sums are wrong."""
    with transaction.atomic():
        agreement = _fillable(actor, cost_update.agreement)
        update = CostUpdate.objects.select_for_update().get(pk=cost_update.pk)
        if agreement.state != AS.SENT:
            raise AgreementError(_("The cost calculation is updated while the agreement waits to be signed."))
        update.agreement = agreement
        if update.state in EDITABLE and (problems := cost_update_problems(update, agreement)):
            raise Incomplete(problems)
        now = timezone.now()
        totals = cost_totals(list(update.lines.all()))
        details = {"total": format_money(totals.total), "grant": format_money(update.grant)}
        values = {"submitted_at": now, "submitted_by": actor}
        perform(COST_UPDATE, update, "submit", actor=actor, now=now, values=values, details=details)
        _history(agreement, HistorySubject.COST_UPDATE, RS.SUBMITTED, actor, at=now)
        _notify(
            _authority_emails(agreement),
            agreement,
            _("An updated cost calculation to accept"),
            _("%(organisation)s has submitted the updated cost calculation for the agreement %(number)s.")
            % {"organisation": agreement.offer.organisation, "number": agreement.number},
        )
    return update


def cost_update_decide(*, actor, cost_update: CostUpdate, accept: bool, note: str = "") -> CostUpdate:
    """The officer accepts the updated calculation or returns it for corrections with a note."""
    with transaction.atomic():
        agreement = _lock(cost_update.agreement)
        if not actor.has_perm("agreements.manage_agreement", agreement):
            raise PermissionDenied
        update = CostUpdate.objects.select_for_update().get(pk=cost_update.pk)
        update.agreement = agreement
        if update.state == RS.SUBMITTED:
            if not accept and not note.strip():
                raise AgreementError(_("Say what is to be corrected: the organisation sees the note."), "note")
            if accept and update.grant != agreement.granted_amount:
                raise AgreementError(_("The grant in the updated calculation differs from the grant in the agreement."))
        now = timezone.now()
        values = {"decided_by": actor, "note": note.strip()}
        name = "accept" if accept else "return"
        perform(COST_UPDATE, update, name, actor=actor, now=now, values=values, details={"note": note.strip()})
        _history(agreement, HistorySubject.COST_UPDATE, update.state, actor, note=note.strip(), at=now)
        subject = (
            _("The updated cost calculation has been accepted")
            if accept
            else _("The updated cost calculation needs corrections")
        )
        _notify(_organisation_emails(agreement), agreement, subject, subject + ".", note=note.strip())
    return update


# --- The report ------------------------------------------------------------------------------


def planned_costs(agreement: Agreement) -> tuple[list[dict], dict[str, int]]:
    """The agreement's cost lines and sources: the accepted updated calculation, else the offer as submitted
    (with the grant of the agreement)."""
    update = selectors.cost_update_of(agreement)
    if update is not None and update.state == RS.ACCEPTED:
        lines = [{"category": line.category, "name": line.name, "total": line.total} for line in update.lines.all()]
        return lines, {field: getattr(update, field) for field in CostUpdate.SOURCE_FIELDS}
    basis = selectors.offer_basis(agreement.offer)
    sources = basis["V"]["B"]
    return _basis_lines(basis), {
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
        agreement = _fillable(actor, agreement)
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
        _history(agreement, HistorySubject.REPORT, RS.DRAFT, actor)
        _audit(actor, "report_start", agreement, target=report)
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
        agreement = _fillable(actor, report.agreement)
        report = Report.objects.select_for_update().get(pk=report.pk)
        if agreement.state != AS.SIGNED or report.state not in EDITABLE:
            raise AgreementError(
                _("The report has been submitted: it can be changed only if the authority returns it.")
            )
        changes = {}
        for field in REPORT_FIELDS:
            if field in data and data[field] is not None and getattr(report, field) != data[field]:
                changes[field] = [_printable(field, getattr(report, field)), _printable(field, data[field])]
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
            _audit(actor, "report_save", agreement, target=report, changes=changes)
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
        agreement = _fillable(actor, report.agreement)
        report = Report.objects.select_for_update().get(pk=report.pk)
        if agreement.state != AS.SIGNED:
            raise AgreementError(_("The report is made for a signed agreement."))
        report.agreement = agreement
        if report.state in EDITABLE and (problems := report_problems(report, agreement)):
            raise Incomplete(problems)
        now = timezone.now()
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
        _history(agreement, HistorySubject.REPORT, RS.SUBMITTED, actor, note=note, at=now)
        _notify(
            _authority_emails(agreement),
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
        agreement = _lock(report.agreement)
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
        _history(agreement, HistorySubject.REPORT, report.state, actor, note=note.strip(), at=now)
        if accept:
            perform(AGREEMENT, agreement, "settle", actor=actor, now=now)
            _history(agreement, HistorySubject.AGREEMENT, AS.SETTLED, actor, at=now)
        subject = _("The report has been accepted") if accept else _("The report needs corrections")
        _notify(_organisation_emails(agreement), agreement, subject, subject + ".", note=note.strip())
    return report


# --- Reminders -------------------------------------------------------------------------------


def _reminder_kind(days_left: int, reminder_days: list[int]) -> str | None:
    if days_left < 0:
        return "overdue"
    eligible = sorted(d for d in reminder_days if days_left <= d)
    return f"before_{eligible[0]}" if eligible else None


def reminders_send(*, now=None) -> int:
    """E-mail the reminders whose time has come: 7 and 1 day before the report is due (as the parameters
    say) and once when it is overdue. Each is sent once per agreement and due date (recorded in
    `ReminderSent`); a run that missed a day sends only the most urgent one. For cron; idempotent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    reminder_days = [list(row) for row in AgreementParameters.objects.values_list("reminder_days", flat=True)]
    horizon = max([d for days in reminder_days for d in days] + AgreementParameters.documented_defaults().reminder_days)
    sent = 0
    for agreement in selectors.reminder_candidates(today, horizon):
        params = selectors.agreement_parameters(authority=agreement.offer.competition.authority, on=agreement.task_end)
        days_left = (agreement.report_due - today).days
        kind = _reminder_kind(days_left, params.reminder_days)
        if kind is None or any(r.kind == kind and r.due_on == agreement.report_due for r in agreement.reminders.all()):
            continue
        try:
            with transaction.atomic():
                locked = _lock(agreement)
                if locked.state != AS.SIGNED or locked.report_due != agreement.report_due:
                    continue
                recipients = sorted({address for address in _organisation_emails(locked) if address})
                ReminderSent.objects.create(
                    agreement=locked, kind=kind, due_on=locked.report_due, sent_at=now, recipients=len(recipients)
                )
                email_notify(
                    to=recipients,
                    template="agreements/email/reminder",
                    context={"agreement": locked, "kind": kind, "days_left": days_left},
                )
                audit_log(
                    actor=None,
                    action="agreements.report_reminder",
                    target=locked,
                    details={
                        "competition": locked.offer.competition_id,
                        "offer": locked.offer_id,
                        "agreement": locked.pk,
                        "kind": kind,
                        "due": locked.report_due.isoformat(),
                        "recipients": len(recipients),
                    },
                )
        except IntegrityError:  # another run sent it at the same moment
            continue
        sent += 1
    return sent
