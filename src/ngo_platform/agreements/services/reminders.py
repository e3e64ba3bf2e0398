"""Reminders of the final report's due date, e-mailed by cron (`agreements_remind`)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from ngo_platform.agreements import selectors
from ngo_platform.agreements.models import AgreementParameters, ReminderSent
from ngo_platform.agreements.services.common import AS, lock, organisation_emails
from ngo_platform.core.services import audit_log, email_notify


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
                locked = lock(agreement)
                if locked.state != AS.SIGNED or locked.report_due != agreement.report_due:
                    continue
                recipients = sorted({address for address in organisation_emails(locked) if address})
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
