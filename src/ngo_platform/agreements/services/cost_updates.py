"""The updated cost calculation: when the grant is lower than requested, the organisation adapts the offer's
cost lines and sources to it (start, save, submit) and the officer accepts it or returns it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.agreements import selectors
from ngo_platform.agreements.models import Agreement, CostUpdate, CostUpdateLine, HistorySubject
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
)
from ngo_platform.agreements.workflows import COST_UPDATE, EDITABLE, AgreementError, Incomplete, Problem
from ngo_platform.competitions.canonical import cost_totals, own_contribution
from ngo_platform.competitions.models import CostCategory
from ngo_platform.core.money import format_money, format_percent, line_total, share_bp
from ngo_platform.core.workflow import perform


def cost_update_start(*, actor, agreement: Agreement) -> CostUpdate:
    """The organisation starts its updated cost calculation: a copy of the submitted offer's V.A lines and
    V.B sources, with the grant set to the amount awarded. Idempotent."""
    with transaction.atomic():
        agreement = fillable(actor, agreement)
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
            for n, row in enumerate(basis_lines(basis), start=1)
        )
        history(agreement, HistorySubject.COST_UPDATE, RS.DRAFT, actor)
        audit(actor, "cost_update_start", agreement, target=update)
    return update


def cost_update_save(*, actor, cost_update: CostUpdate, lines: list[dict], sources: dict[str, int]) -> CostUpdate:
    """Save the lines (category, action_no, name, unit, unit_cost in grosze, units, year; the server
    computes each value) and the sources. A draft is saved even when the sums are not right yet."""
    with transaction.atomic():
        agreement = fillable(actor, cost_update.agreement)
        update = CostUpdate.objects.select_for_update().get(pk=cost_update.pk)
        if agreement.state != AS.SENT or update.state not in EDITABLE:
            raise AgreementError(
                _(
                    "The updated cost calculation has been submitted: it can be changed only if the authority returns it."
                )
            )
        basis = selectors.offer_basis(agreement.offer)
        offer_lines = {(row["category"], row["name"]): row["total"] for row in basis_lines(basis)}
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
            audit(actor, "cost_update_save", agreement, target=update, changes=changes)
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
        agreement = fillable(actor, cost_update.agreement)
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
        history(agreement, HistorySubject.COST_UPDATE, RS.SUBMITTED, actor, at=now)
        notify(
            authority_emails(agreement),
            agreement,
            _("An updated cost calculation to accept"),
            _("%(organisation)s has submitted the updated cost calculation for the agreement %(number)s.")
            % {"organisation": agreement.offer.organisation, "number": agreement.number},
        )
    return update


def cost_update_decide(*, actor, cost_update: CostUpdate, accept: bool, note: str = "") -> CostUpdate:
    """The officer accepts the updated calculation or returns it for corrections with a note."""
    with transaction.atomic():
        agreement = lock(cost_update.agreement)
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
        history(agreement, HistorySubject.COST_UPDATE, update.state, actor, note=note.strip(), at=now)
        subject = (
            _("The updated cost calculation has been accepted")
            if accept
            else _("The updated cost calculation needs corrections")
        )
        notify(organisation_emails(agreement), agreement, subject, subject + ".", note=note.strip())
    return update
