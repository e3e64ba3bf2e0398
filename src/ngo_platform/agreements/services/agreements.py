"""The agreement itself: prepared as a draft by an officer, changed, sent to the organisation, taken back
to a draft, signed and terminated."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.agreements import selectors
from ngo_platform.agreements.iban import iban_error
from ngo_platform.agreements.models import (
    Agreement,
    AgreementParty,
    CostUpdate,
    HistorySubject,
    Instalment,
    PartyRole,
)
from ngo_platform.agreements.services.common import (
    AS,
    RS,
    audit,
    history,
    lock,
    notify,
    organisation_emails,
    printable,
)
from ngo_platform.agreements.workflows import AGREEMENT, AgreementError, Incomplete, Problem
from ngo_platform.competitions.models import Offer, OfferState
from ngo_platform.core.money import format_money
from ngo_platform.core.workflow import perform

AGREEMENT_FIELDS = (
    "number",
    "place",
    "authority_signatories",
    "granted_amount",
    "task_start",
    "task_end",
    "account_number",
)


def _report_due(offer: Offer, task_end: date) -> date:
    params = selectors.agreement_parameters(authority=offer.competition.authority, on=task_end)
    return task_end + timedelta(days=params.report_due_days)


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
        history(agreement, HistorySubject.AGREEMENT, AS.DRAFT, actor)
        audit(
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
        agreement = lock(agreement)
        if not actor.has_perm("agreements.manage_agreement", agreement):
            raise PermissionDenied
        if agreement.state != AS.DRAFT:
            raise AgreementError(_("Only a draft agreement can be changed: take it back to a draft first."))
        changes = {}
        for field in AGREEMENT_FIELDS:
            if field in data and data[field] is not None and getattr(agreement, field) != data[field]:
                changes[field] = [printable(field, getattr(agreement, field)), printable(field, data[field])]
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
            audit(actor, "agreement_update", agreement, changes=changes)
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
        agreement = lock(agreement)
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
        history(agreement, HistorySubject.AGREEMENT, AS.SENT, actor, at=now)
        if selectors.needs_cost_update(agreement):
            message = _(
                "The agreement for the offer “%(title)s” is ready. The grant, %(grant)s, is lower than requested: "
                "update the cost calculation, which the authority accepts before the agreement is signed."
            )
        else:
            message = _("The agreement for the offer “%(title)s” is ready: the grant is %(grant)s.")
        notify(
            organisation_emails(agreement),
            agreement,
            _("The agreement is ready"),
            message % {"title": agreement.offer.title, "grant": format_money(agreement.granted_amount)},
        )
    return agreement


def agreement_reopen(*, actor, agreement: Agreement, note: str = "") -> Agreement:
    """Take a sent agreement back to a draft to correct it (the organisation sees the note)."""
    with transaction.atomic():
        agreement = lock(agreement)
        if not actor.has_perm("agreements.manage_agreement", agreement):
            raise PermissionDenied
        perform(AGREEMENT, agreement, "reopen", actor=actor, details={"note": note.strip()})
        history(agreement, HistorySubject.AGREEMENT, AS.DRAFT, actor, note=note.strip())
    return agreement


def agreement_sign(*, actor, agreement: Agreement, signed_on: date) -> Agreement:
    """Record that both parties signed the agreement on `signed_on` (not in the future). When the grant is
    lower than requested, the updated cost calculation must have been accepted for this grant."""
    with transaction.atomic():
        agreement = lock(agreement)
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
        history(agreement, HistorySubject.AGREEMENT, AS.SIGNED, actor)
        notify(
            organisation_emails(agreement),
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
        agreement = lock(agreement)
        if not actor.has_perm("agreements.manage_agreement", agreement):
            raise PermissionDenied
        if agreement.state in AGREEMENT["terminate"].sources and not reason.strip():
            raise AgreementError(_("Give the reason for the termination."), "reason")
        previous = agreement.state
        values = {"termination_reason": reason.strip()}
        perform(AGREEMENT, agreement, "terminate", actor=actor, values=values, details={"reason": reason.strip()})
        history(agreement, HistorySubject.AGREEMENT, AS.TERMINATED, actor, note=reason.strip())
        if previous != AS.DRAFT:
            notify(
                organisation_emails(agreement),
                agreement,
                _("The agreement has been terminated"),
                _("The agreement %(number)s has been terminated.") % {"number": agreement.number},
                note=reason.strip(),
            )
    return agreement
