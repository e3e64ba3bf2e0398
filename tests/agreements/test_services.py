"""Services: the agreement from a funded offer (parties, grant, dates, schedule, account), the updated cost
calculation copied from the frozen offer and checked on the server, the final report (late but accepted,
returned with a note, accepted → settled); every refusal changes nothing; every decision audited."""

from datetime import UTC, date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.agreements import selectors, services
from ngo_platform.agreements.iban import iban_error, normalise
from ngo_platform.agreements.models import (
    Agreement,
    AgreementParameters,
    AgreementState,
    CostUpdate,
    HistoryEntry,
    Report,
    ReviewState,
)
from ngo_platform.agreements.words import amount_in_words
from ngo_platform.competitions.models import CostLine, Offer, OfferPartner, OfferState, PartnerState
from ngo_platform.core.models import AuditEntry
from tests.agreements.factories import IBAN, funded_offer, member, officer, ready_agreement, verified_organisation
from tests.competitions.factories import complete_offer
from tests.dates import new_year, warsaw

# Services are tested with English messages (matched below); the pages in Polish.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
DAY = timedelta(days=1)


def set_granted(monkeypatch, offer, amount):
    """`Offer.granted_amount` is being added by the results increment: set it either way."""
    if any(field.name == "granted_amount" for field in Offer._meta.fields):
        Offer.objects.filter(pk=offer.pk).update(granted_amount=amount)
    else:
        monkeypatch.setattr(Offer, "granted_amount", amount, raising=False)


def audit_actions(agreement):
    return list(
        AuditEntry.objects.filter(details__agreement=agreement.pk).order_by("id").values_list("action", flat=True)
    )


# --- Creating and preparing the agreement ----------------------------------------------------


def test_agreement_is_prefilled_from_the_funded_offer_once_per_offer(opolskie):
    offer = funded_offer()
    partner = verified_organisation(name="Fundacja Partnerska")
    OfferPartner.objects.create(
        offer=offer, organisation=partner, cost_share=0, state=PartnerState.CONFIRMED, invited_by=offer.created_by
    )
    clerk = officer(opolskie)
    with time_machine.travel(timezone.now(), tick=False):  # the number's year and "today" are the same day
        agreement = services.agreement_create(actor=clerk, offer=offer)
        assert agreement.number == f"UM/{timezone.localdate().year}/{agreement.pk:06d}"
    assert agreement.state == AgreementState.DRAFT and agreement.granted_amount == 8_000_00
    assert (agreement.task_start, agreement.task_end) == (offer.date_from, offer.date_to)
    assert agreement.report_due == offer.date_to + timedelta(days=30)
    parties = list(agreement.parties.order_by("position"))
    assert [(p.organisation, p.role) for p in parties] == [(offer.organisation, "lead"), (partner, "partner")]
    assert parties[0].signatories == "Anna Nowak – prezeska"
    assert [(i.due_on, i.amount) for i in agreement.instalments.all()] == [(offer.date_from, 8_000_00)]
    assert services.agreement_create(actor=clerk, offer=offer).pk == agreement.pk  # idempotent
    assert Agreement.objects.count() == 1
    entry = AuditEntry.objects.get(action="agreements.agreement_create")
    assert entry.acting_for == opolskie and entry.details["grant"] == "8\u00a0000,00\u00a0zł" and entry.actor == clerk


def test_the_number_takes_the_year_in_warsaw_on_new_years_night(opolskie):
    offer = funded_offer()
    moment = new_year() + timedelta(minutes=30)  # 00:30 on 1 January in Warsaw, 23:30 on 31 December in UTC
    assert moment.astimezone(UTC).year == moment.year - 1
    with time_machine.travel(moment, tick=False):
        agreement = services.agreement_create(actor=officer(opolskie), offer=offer)
    assert agreement.number == f"UM/{moment.year}/{agreement.pk:06d}"


def test_the_granted_amount_of_the_results_is_prefilled(opolskie, monkeypatch):
    offer = funded_offer()
    set_granted(monkeypatch, offer, 6_000_00)
    agreement = services.agreement_create(actor=officer(opolskie), offer=offer)
    assert agreement.granted_amount == 6_000_00
    assert selectors.needs_cost_update(selectors.agreement_page(agreement.pk))


def test_only_officers_of_the_authority_create_and_only_for_funded_offers(opolskie, gmina_brzeg):
    offer = funded_offer()
    for outsider in (officer(gmina_brzeg), member(offer.organisation), member(verified_organisation())):
        with pytest.raises(PermissionDenied):
            services.agreement_create(actor=outsider, offer=offer)
    evaluated = complete_offer()
    Offer.objects.filter(pk=evaluated.pk).update(state=OfferState.EVALUATED)
    with pytest.raises(services.AgreementError, match="awarded a grant"):
        services.agreement_create(actor=officer(opolskie), offer=evaluated)
    assert Agreement.objects.count() == 0 and not AuditEntry.objects.filter(action__startswith="agreements.").exists()


def test_update_validates_grant_account_dates_and_recomputes_the_due_date(opolskie):
    offer = funded_offer()
    clerk = officer(opolskie)
    agreement = services.agreement_create(actor=clerk, offer=offer)
    year = agreement.task_start.year  # the factory's task: 1 June – 30 November of next year
    for data, field in (
        ({"granted_amount": 8_000_01}, "granted_amount"),
        ({"account_number": "PL61109010140000071219812875"}, "account_number"),
        ({"task_start": date(year, 12, 1)}, "task_end"),
    ):
        with pytest.raises(services.AgreementError) as error:
            services.agreement_update(actor=clerk, agreement=agreement, data=data)
        assert error.value.field == field
    agreement.refresh_from_db()
    assert agreement.granted_amount == 8_000_00 and agreement.account_number == ""
    AgreementParameters.objects.create(
        version=f"Uchwała 1/{year}",
        authority=opolskie,
        effective_from=date(year, 1, 1),
        legal_basis="uchwała",
        report_due_days=45,
        reminder_days=[10],
    )
    services.agreement_update(
        actor=clerk, agreement=agreement, data={"task_end": date(year, 10, 31), "granted_amount": 6_000_00}
    )
    agreement.refresh_from_db()
    assert agreement.report_due == date(year, 12, 15)  # the authority's own 45 days
    entry = AuditEntry.objects.filter(action="agreements.agreement_update").last()
    assert entry.details["changes"]["granted_amount"] == ["8\u00a0000,00\u00a0zł", "6\u00a0000,00\u00a0zł"]
    with pytest.raises(PermissionDenied):
        services.agreement_update(actor=member(offer.organisation), agreement=agreement, data={"place": "Brzeg"})


def test_send_refuses_an_incomplete_draft_then_sends_and_notifies(opolskie):
    offer = funded_offer()
    clerk = officer(opolskie)
    agreement = services.agreement_create(actor=clerk, offer=offer)
    with pytest.raises(services.Incomplete) as error:
        services.agreement_send(actor=clerk, agreement=agreement)
    messages = " ".join(p.message for p in error.value.problems)
    assert "signs for the authority" in messages and "bank account" in messages
    services.agreement_update(
        actor=clerk,
        agreement=agreement,
        data={"authority_signatories": "Jan Kowalski", "account_number": normalise(IBAN)},
        instalments=[
            {"due_on": agreement.task_start, "amount": 5_000_00},
            {"due_on": agreement.task_end + 20 * DAY, "amount": 2_000_00},
        ],
    )
    with pytest.raises(services.Incomplete) as error:
        services.agreement_send(actor=clerk, agreement=agreement)
    messages = " ".join(p.message for p in error.value.problems)
    assert "adds up to 7\u00a0000,00\u00a0zł" in messages and "the difference is 1\u00a0000,00\u00a0zł" in messages
    assert "after the end of the task" in messages
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.DRAFT
    mail.outbox.clear()
    agreement = ready_agreement(offer, clerk=clerk)
    assert agreement.state == AgreementState.SENT and agreement.sent_at is not None
    assert len(mail.outbox) == 1 and offer.created_by.email in mail.outbox[0].to
    assert "8\u00a0000,00\u00a0zł" in mail.outbox[0].body and agreement.get_absolute_url() in mail.outbox[0].body
    with pytest.raises(services.AgreementError):
        services.agreement_update(actor=clerk, agreement=agreement, data={"place": "Brzeg"})
    services.agreement_reopen(actor=clerk, agreement=agreement, note="Zły numer rachunku")
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.DRAFT
    assert HistoryEntry.objects.filter(agreement=agreement, state="draft", note="Zły numer rachunku").exists()


def test_sign_needs_a_past_date_and_when_the_grant_is_lower_an_accepted_cost_update(opolskie):
    agreement = ready_agreement(granted=6_000_00)
    clerk = agreement.clerk
    with pytest.raises(services.AgreementError) as error:
        services.agreement_sign(actor=clerk, agreement=agreement, signed_on=timezone.localdate() + DAY)
    assert error.value.field == "signed_on"
    with pytest.raises(services.AgreementError, match="updated cost calculation"):
        services.agreement_sign(actor=clerk, agreement=agreement, signed_on=timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.agreement_sign(
            actor=member(agreement.offer.organisation), agreement=agreement, signed_on=timezone.localdate()
        )
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SENT and agreement.signed_on is None


def test_terminate_needs_a_reason_and_is_final(opolskie):
    agreement = ready_agreement()
    with pytest.raises(services.AgreementError) as error:
        services.agreement_terminate(actor=agreement.clerk, agreement=agreement, reason=" ")
    assert error.value.field == "reason"
    services.agreement_terminate(
        actor=agreement.clerk, agreement=agreement, reason="Organizacja zrezygnowała z dotacji."
    )
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.TERMINATED
    with pytest.raises(services.AgreementError):
        services.agreement_sign(actor=agreement.clerk, agreement=agreement, signed_on=timezone.localdate())


# --- The updated cost calculation -----------------------------------------------------------


def cost_rows(update):
    return [
        {
            "category": line.category,
            "action_no": line.action_no,
            "name": line.name,
            "unit": line.unit,
            "unit_cost": line.unit_cost,
            "units": line.units,
            "year": line.year,
        }
        for line in update.lines.all()
    ]


def test_cost_update_is_copied_from_the_frozen_offer_checked_returned_and_accepted(opolskie):
    agreement = ready_agreement(granted=6_000_00)
    offer = agreement.offer
    # The live rows change after submission: the update copies what was submitted.
    CostLine.objects.filter(offer=offer, position=1).update(name="Zmienione po złożeniu")
    ngo = member(offer.organisation)
    update = services.cost_update_start(actor=ngo, agreement=agreement)
    assert services.cost_update_start(actor=ngo, agreement=agreement).pk == update.pk
    lines = list(update.lines.all())
    assert [(line.name, line.total, line.offer_total, line.action_no) for line in lines] == [
        ("Honoraria", 9_000_00, 9_000_00, 1),
        ("Księgowość", 1_000_00, 1_000_00, None),
    ]
    assert (update.grant, update.own_financial) == (6_000_00, 2_000_00)
    # A draft is saved with wrong sums; submission is refused with every problem, naming the amounts.
    rows = cost_rows(update)
    rows[0]["units"] = Decimal("2")  # 6 000 zł of concerts
    services.cost_update_save(
        actor=ngo, cost_update=update, lines=rows, sources={"grant": 6_500_00, "own_financial": 100_00}
    )
    with pytest.raises(services.Incomplete) as error:
        services.cost_update_submit(actor=ngo, cost_update=update)
    messages = " ".join(p.message for p in error.value.problems)
    assert "grant awarded in the agreement is 6\u00a0000,00\u00a0zł" in messages
    assert "add up to 6\u00a0600,00\u00a0zł, but the total costs are 7\u00a0000,00\u00a0zł" in messages
    assert "requires at least 10%" in messages
    update.refresh_from_db()
    assert update.state == ReviewState.DRAFT
    services.cost_update_save(
        actor=ngo, cost_update=update, lines=rows, sources={"grant": 6_000_00, "own_financial": 1_000_00}
    )
    editor = member(offer.organisation, role=OrganisationRole.EDITOR)
    for outsider in (editor, officer(opolskie)):
        with pytest.raises(PermissionDenied):
            services.cost_update_submit(actor=outsider, cost_update=update)
    services.cost_update_submit(actor=ngo, cost_update=update)
    with pytest.raises(services.AgreementError):
        services.cost_update_save(actor=ngo, cost_update=update, lines=rows, sources={})
    with pytest.raises(PermissionDenied):
        services.cost_update_decide(actor=ngo, cost_update=update, accept=True)
    with pytest.raises(services.AgreementError) as error:
        services.cost_update_decide(actor=agreement.clerk, cost_update=update, accept=False, note="")
    assert error.value.field == "note"
    services.cost_update_decide(
        actor=agreement.clerk, cost_update=update, accept=False, note="Proszę urealnić honoraria."
    )
    services.cost_update_save(
        actor=ngo, cost_update=update, lines=rows, sources={"grant": 6_000_00, "own_financial": 1_000_00}
    )
    services.cost_update_submit(actor=ngo, cost_update=update)
    services.cost_update_decide(actor=agreement.clerk, cost_update=update, accept=True)
    services.agreement_sign(actor=agreement.clerk, agreement=agreement, signed_on=timezone.localdate())
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SIGNED
    history = list(HistoryEntry.objects.filter(agreement=agreement, subject="cost_update").values_list("state", "note"))
    assert history == [
        ("draft", ""),
        ("submitted", ""),
        ("returned", "Proszę urealnić honoraria."),
        ("submitted", ""),
        ("accepted", ""),
    ]
    assert "agreements.cost_update_return" in audit_actions(
        agreement
    ) and "agreements.cost_update_accept" in audit_actions(agreement)


def test_no_cost_update_when_the_grant_is_as_requested_or_before_sending(opolskie):
    agreement = ready_agreement()
    ngo = member(agreement.offer.organisation)
    with pytest.raises(services.AgreementError, match="amount requested"):
        services.cost_update_start(actor=ngo, agreement=agreement)
    draft = ready_agreement(granted=5_000_00, send=False)
    with pytest.raises(PermissionDenied):  # the organisation does not see a draft
        services.cost_update_start(actor=member(draft.offer.organisation), agreement=draft)
    assert CostUpdate.objects.count() == 0


# --- The final report ------------------------------------------------------------------------


def fill_report(ngo, report, **data):
    values = {
        "description": "Zorganizowano trzy koncerty.",
        "grant": 8_000_00,
        "own_financial": 2_000_00,
        "declares_truth": True,
        **data,
    }
    achieved = {r.pk: {"achieved": "210", "comment": ""} for r in report.results.all()}
    spent = {line.pk: line.planned for line in report.cost_lines.all()}
    return services.report_save(actor=ngo, report=report, data=values, achieved=achieved, spent=spent)


def test_report_is_checked_submitted_returned_with_a_note_corrected_and_accepted(opolskie):
    agreement = ready_agreement(sign=True)
    ngo = member(agreement.offer.organisation)
    report = services.report_start(actor=ngo, agreement=agreement)
    assert [(r.name, r.planned) for r in report.results.all()] == [("Uczestnicy", "200")]
    assert [(line.name, line.planned) for line in report.cost_lines.all()] == [
        ("Honoraria", 9_000_00),
        ("Księgowość", 1_000_00),
    ]
    with pytest.raises(services.Incomplete) as error:
        services.report_submit(actor=ngo, report=report)
    messages = " ".join(p.message for p in error.value.problems)
    assert "Describe what was done" in messages and "Uczestnicy" in messages and "declaration" in messages
    fill_report(ngo, report, grant=9_000_00, own_financial=1_000_00)
    with pytest.raises(services.Incomplete, match="1 problem"):
        services.report_submit(actor=ngo, report=report)  # more grant used than granted
    fill_report(ngo, report)
    for outsider in (member(agreement.offer.organisation, role=OrganisationRole.EDITOR), agreement.clerk):
        with pytest.raises(PermissionDenied):
            services.report_submit(actor=outsider, report=report)
    services.report_submit(actor=ngo, report=report)
    report.refresh_from_db()
    assert report.state == ReviewState.SUBMITTED and not report.late
    services.report_decide(actor=agreement.clerk, report=report, accept=False, note="Brak listy obecności.")
    fill_report(ngo, report, additional_info="Lista obecności w załączeniu.")
    services.report_submit(actor=ngo, report=report)
    services.report_decide(actor=agreement.clerk, report=report, accept=True)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SETTLED and agreement.settled_at is not None
    with pytest.raises(services.AgreementError):
        fill_report(ngo, report)
    notes = list(HistoryEntry.objects.filter(agreement=agreement, subject="report").values_list("state", "note"))
    assert ("returned", "Brak listy obecności.") in notes and notes[-1] == ("accepted", "")
    assert audit_actions(agreement)[-2:] == ["agreements.report_accept", "agreements.agreement_settle"]


def test_late_report_is_accepted_but_marked_late(opolskie):
    agreement = ready_agreement(sign=True)
    Agreement.objects.filter(pk=agreement.pk).update(
        report_due=timezone.localdate() - DAY,
        task_end=timezone.localdate() - 31 * DAY,
        task_start=timezone.localdate() - 90 * DAY,
    )
    ngo = member(agreement.offer.organisation)
    report = fill_report(ngo, services.report_start(actor=ngo, agreement=agreement))
    services.report_submit(actor=ngo, report=report)
    report.refresh_from_db()
    assert report.late and report.state == ReviewState.SUBMITTED
    assert HistoryEntry.objects.filter(
        subject="report", state="submitted", note__contains="after the due date"
    ).exists()


def test_a_report_is_late_from_midnight_in_warsaw_after_the_due_day(opolskie):
    in_time, late = ready_agreement(sign=True), ready_agreement(sign=True)
    due = in_time.report_due
    assert late.report_due == due
    last_second = warsaw(due.year, due.month, due.day, 23, 59, 59)
    one_second_late = last_second + timedelta(seconds=2)  # 00:00:01 the next day in Warsaw
    assert one_second_late.astimezone(UTC).date() == due  # but still the due day in UTC
    for agreement, moment in ((in_time, last_second), (late, one_second_late)):
        ngo = member(agreement.offer.organisation)
        report = fill_report(ngo, services.report_start(actor=ngo, agreement=agreement))
        with time_machine.travel(moment, tick=False):
            services.report_submit(actor=ngo, report=report)
    assert [report.late for report in Report.objects.order_by("agreement__report_due", "pk")] == [False, True]


def test_report_lines_follow_the_accepted_cost_update(opolskie):
    agreement = ready_agreement(granted=6_000_00)
    ngo = member(agreement.offer.organisation)
    update = services.cost_update_start(actor=ngo, agreement=agreement)
    rows = cost_rows(update)
    rows[0]["units"] = Decimal("2")
    services.cost_update_save(actor=ngo, cost_update=update, lines=rows, sources={"own_financial": 1_000_00})
    services.cost_update_submit(actor=ngo, cost_update=update)
    services.cost_update_decide(actor=agreement.clerk, cost_update=update, accept=True)
    services.agreement_sign(actor=agreement.clerk, agreement=agreement, signed_on=timezone.localdate())
    report = services.report_start(actor=ngo, agreement=agreement)
    assert [line.planned for line in report.cost_lines.all()] == [6_000_00, 1_000_00]


def test_report_only_for_a_signed_agreement(opolskie):
    agreement = ready_agreement()
    with pytest.raises(services.AgreementError, match="signed"):
        services.report_start(actor=member(agreement.offer.organisation), agreement=agreement)
    assert Report.objects.count() == 0


# --- Small pieces ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grosze", "words"),
    [
        (8_000_00, "osiem tysięcy złotych 00/100"),
        (1_00, "jeden złoty 00/100"),
        (22_04, "dwadzieścia dwa złote 04/100"),
        (12_00, "dwanaście złotych 00/100"),
        (1_234_567_89, "jeden milion dwieście trzydzieści cztery tysiące pięćset sześćdziesiąt siedem złotych 89/100"),
        (1_000_00, "tysiąc złotych 00/100"),
    ],
)
def test_amount_in_words(grosze, words):
    assert amount_in_words(grosze) == words


def test_polish_iban_is_checked_with_stdnum():
    assert iban_error(IBAN) is None and normalise("61 1090 1014 0000 0712 1981 2874") == "PL61109010140000071219812874"
    assert "check digits" in iban_error("PL61109010140000071219812875")
    assert "Polish" in iban_error("DE89370400440532013000")
    assert "26 digits" in iban_error("PL12345")
