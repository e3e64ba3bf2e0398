"""Reminders about the final report: 7 days and 1 day before the due date and once when overdue, each sent
once (recorded), by the `agreements_remind` command for cron; none once the report is submitted."""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ngo_platform.agreements import services
from ngo_platform.agreements.models import Agreement, AgreementParameters, ReminderSent
from ngo_platform.core.models import AuditEntry
from tests.agreements.factories import member, ready_agreement
from tests.agreements.test_services import fill_report

pytestmark = pytest.mark.django_db


def at(day):
    return timezone.make_aware(datetime.combine(day, time(6, 0)))


def test_reminders_7_days_1_day_and_overdue_each_once(opolskie):
    agreement = ready_agreement(sign=True)
    due = agreement.report_due
    admin = agreement.offer.created_by
    mail.outbox.clear()
    assert services.reminders_send(now=at(due - timedelta(days=8))) == 0
    assert services.reminders_send(now=at(due - timedelta(days=7))) == 1
    assert services.reminders_send(now=at(due - timedelta(days=6))) == 0  # sent once
    assert services.reminders_send(now=at(due - timedelta(days=1))) == 1
    assert services.reminders_send(now=at(due)) == 0
    assert services.reminders_send(now=at(due + timedelta(days=1))) == 1
    assert services.reminders_send(now=at(due + timedelta(days=5))) == 0
    assert list(ReminderSent.objects.values_list("kind", flat=True)) == ["before_7", "before_1", "overdue"]
    assert len(mail.outbox) == 3 and all(admin.email in message.to for message in mail.outbox)
    assert "za 7 dni" in mail.outbox[0].body or "in 7 days" in mail.outbox[0].body
    assert f"/umowy/{agreement.pk}/sprawozdanie/" in mail.outbox[2].body
    assert AuditEntry.objects.filter(action="agreements.report_reminder", actor=None).count() == 3


def test_a_missed_day_sends_only_the_most_urgent_and_a_new_due_date_reminds_again(opolskie):
    agreement = ready_agreement(sign=True)
    due = agreement.report_due
    assert services.reminders_send(now=at(due - timedelta(days=1))) == 1
    assert list(ReminderSent.objects.values_list("kind", flat=True)) == ["before_1"]
    # An annex moves the task's end: reminders follow the new due date.
    Agreement.objects.filter(pk=agreement.pk).update(report_due=due + timedelta(days=20))
    assert services.reminders_send(now=at(due + timedelta(days=13))) == 1
    assert ReminderSent.objects.count() == 2


def test_no_reminder_once_the_report_is_submitted_or_for_unsigned_agreements(opolskie):
    agreement = ready_agreement(sign=True)
    unsigned = ready_agreement()
    ngo = member(agreement.offer.organisation)
    report = fill_report(ngo, services.report_start(actor=ngo, agreement=agreement))
    services.report_submit(actor=ngo, report=report)
    assert services.reminders_send(now=at(agreement.report_due - timedelta(days=1))) == 0
    assert services.reminders_send(now=at(unsigned.report_due + timedelta(days=1))) == 0
    assert ReminderSent.objects.count() == 0


def test_an_authoritys_own_reminder_days(opolskie):
    AgreementParameters.objects.create(
        version=f"Zarządzenie 5/{timezone.localdate().year}",
        authority=opolskie,
        effective_from=timezone.localdate() - timedelta(days=400),
        legal_basis="zarządzenie",
        report_due_days=30,
        reminder_days=[14, 3],
    )
    agreement = ready_agreement(sign=True)
    assert services.reminders_send(now=at(agreement.report_due - timedelta(days=14))) == 1
    assert services.reminders_send(now=at(agreement.report_due - timedelta(days=7))) == 0
    assert services.reminders_send(now=at(agreement.report_due - timedelta(days=3))) == 1
    assert list(ReminderSent.objects.values_list("kind", flat=True)) == ["before_14", "before_3"]


def test_the_command_for_cron_is_idempotent(opolskie):
    agreement = ready_agreement(sign=True)
    today = timezone.localdate()  # the task ended 27 days ago: its report is due in 3 days
    Agreement.objects.filter(pk=agreement.pk).update(
        task_start=today - timedelta(days=90),
        task_end=today - timedelta(days=27),
        report_due=today + timedelta(days=3),
    )
    out = StringIO()
    call_command("agreements_remind", stdout=out)
    assert "Wysłane przypomnienia: 1" in out.getvalue()
    out = StringIO()
    call_command("agreements_remind", stdout=out)
    assert "Wysłane przypomnienia: 0" in out.getvalue()
